"""Extraction stage: articles -> sentences -> figures.

``segment`` splits sentences (standoff spans, boilerplate marked), ``numbers``
reads the number grammar, ``figures`` turns numbers into figures (ranges,
hedges, counted noun, status) and ``attribution`` finds who each is
attributed to.  The stage functions are ``kit.sentences`` and ``kit.figures`` (the
modules keep their own names: ``kit.extract.figures`` is the module).
"""
