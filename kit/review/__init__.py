"""The analyst's review: decisions about figures kept as data (corrections.csv).

``kit.figures`` is :func:`figures` here: the kit's figures (``kit.extract.figures``)
with the corrections of ``corrections.csv`` beside the corpus (or of the file given)
applied, the ``reviewed`` column saying what the review made of each figure, and the
corrections that could not be applied in ``attrs["stale_corrections"]`` (dicts with
file, line, action, path, reason and message).  The file format, and why decisions
are keyed by the article text's hash, are in ``kit.review.corrections``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kit.review.apply import Problem, apply
from kit.review.corrections import (ACTIONS, COLUMNS, NAME, Correction, CorrectionsError,
                                    addition, append, decision, default_path, find_words, read,
                                    text_hash)

__all__ = ["ACTIONS", "COLUMNS", "NAME", "Correction", "CorrectionsError", "Problem",
           "addition", "append", "apply", "corrections_path", "corrected", "decision",
           "default_path", "figures", "find_words", "read", "text_hash"]


def corrections_path(articles: pd.DataFrame, corrections=None) -> Path | None:
    """The corrections file for ``articles``: ``corrections`` when given (a path), none
    with ``False``, else corrections.csv beside the corpus ``kit.load_corpus`` read
    (``articles.attrs["corpus"]``) when that file exists."""
    if corrections is False:
        return None
    if corrections is not None and corrections is not True and str(corrections) != "":
        return Path(corrections)
    found = default_path(articles.attrs.get("corpus")) if hasattr(articles, "attrs") else None
    return found if found is not None and found.exists() else None


def corrected(figs: pd.DataFrame, articles: pd.DataFrame, corrections=None, *,
              lexicon: object = None, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """``figs`` with the corrections of ``corrections_path(articles, corrections)``
    applied; those not applied are in ``attrs["stale_corrections"]``.  A bad corrections
    file raises CorrectionsError naming the file and line."""
    path = corrections_path(articles, corrections)
    rows = read(path) if path is not None else []
    out, problems = apply(figs, articles, rows, lexicon=lexicon, sentences=sentences)
    out.attrs = {**figs.attrs, **out.attrs}
    out.attrs["corrections"] = str(path) if path is not None else None
    out.attrs["stale_corrections"] = [p.as_dict() for p in problems]
    return out


def figures(articles: pd.DataFrame, sentences: pd.DataFrame | None = None, *,
            corrections=None, lexicon: object = None, **options) -> pd.DataFrame:
    """The figures frame of ``articles`` with the analyst's corrections applied.

    The extraction and its options (``lexicon``, ``client``, ``store``, ``jobs``,
    ``progress``) are those of :func:`kit.extract.figures.figures`.  ``corrections``: a
    corrections.csv (default: the one beside the corpus, when there is one; ``False``:
    none).  The ``reviewed`` column says kit, accepted, corrected or added; decisions
    that could not be applied (the article changed or vanished, a span that is no
    figure any more) are in ``attrs["stale_corrections"]``, each with its reason."""
    from kit.extract.figures import figures as extract

    out = extract(articles, sentences, lexicon=lexicon, **options)
    if not isinstance(articles, pd.DataFrame):  # a Dask dataframe: no texts here to match
        if corrections not in (None, False):
            raise ValueError("corrections= needs the articles as a pandas frame")
        return out
    return corrected(out, articles, corrections, lexicon=lexicon, sentences=sentences)
