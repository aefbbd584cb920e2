"""Archives: the extraction run on all cores or a Dask cluster, and remembered.

``kit.scale.cluster`` opens the Dask client (a local cluster of ``jobs`` worker
processes, or an existing scheduler); ``kit.scale.parallel`` splits the articles
into partitions, runs the sentences and figures stages on them there and puts
the results back in the single-process order; ``kit.scale.store`` remembers each
article's results by content hash so that a run on a grown archive extracts only
what is new or changed.
"""
