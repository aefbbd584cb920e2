"""Writing results: frames as files (``export``), figures on a stream (``formats``), the
month-partitioned datasets of ``kit extract`` (``datasets``) and the one atomic file
writer (``atomic``); and reading those datasets back for a report (``archive``)."""
