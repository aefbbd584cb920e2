"""Reports stage: the parameterised notebooks (``notebooks/``, shipped in the package)
run with papermill and written as self-contained HTML (``run``), with their
parameters checked first (``params``), their pages (``pages``) and the run log
(``runlog``)."""
