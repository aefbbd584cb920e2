"""Writing results: frames as files (``export``), figures on a stream (``formats``), and
the one atomic file writer (``atomic``)."""
