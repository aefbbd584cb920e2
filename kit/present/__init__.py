"""Presentation: tables, citations, claims and charts for notebooks and reports; the explore app.

``tables`` (frames and their HTML), ``citations`` (the numbered citation list),
``claims`` (claims and discrepancies as HTML), ``charts`` (Altair), ``explore``
(the ipywidgets app) and ``html`` (escaping and safe links).  Nothing here
changes a frame of the pipeline.
"""
