"""The frames the estimates report shows, from a corpus or from kit extract's datasets.

``report_frames(corpus, ...)`` gives the articles, every figure found, the figures
the report's filters keep (numbered in citation order) and their claims:

* from a **corpus** (a folder or file of articles): the articles are loaded and
  their figures extracted (``kit.figures``, with the incremental ``store``);
* from the **datasets of kit extract** (a folder holding ``kit-extract.json``): the
  articles' metadata without their texts, the figures' columns a report reads with
  the ``kinds``, ``statuses`` and ``reviewed_only`` filters applied while reading
  (``kit.output.archive``), only the columns the filter summary needs of the others,
  and the claims of the claims dataset when they are the claims of the kept figures
  (same tolerance and knowledge, the filters keep each claim whole, and each claimant
  is named as the kept figures name it); else the claims are made from the kept
  figures.

Either way the tables the report shows are the same (a test compares them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kit import schema
from kit.claims.grouping import SEP
from kit.output import archive

#: The columns of the articles a report reads from the datasets (not the texts).
ARTICLE_COLUMNS = ("article_id", "path", "outlet", "title", "published", "url")
#: The figure columns the report's tables, charts and citations read.
FIGURE_COLUMNS = tuple(c.name for c in schema.FIGURES if c.name not in (
    "path", "confidence", "confidence_reasons", "sentence_id", "sentence_end"))
#: The columns of the figures the filters drop that the report's summary reads.
FILTER_COLUMNS = ("what", "kind", "status", "reviewed")


@dataclass
class ReportFrames:
    """What a report is made from."""

    articles: pd.DataFrame  # one row per article (from the datasets: without ``text``)
    all_figures: pd.DataFrame  # every figure found (from the datasets: FILTER_COLUMNS only)
    figs: pd.DataFrame  # the figures the filters keep, numbered (``tables.numbered``)
    claims: pd.DataFrame  # their claims
    claims_from: str  # "figures" (made here) or "datasets" (read)


def report_frames(corpus, *, lexicon=None, kinds=(), nouns=(), statuses=(),
                  reviewed_only: bool = False, tolerance="rounding", corrections=None,
                  store=None, jobs: int = 0) -> ReportFrames:
    """The frames of a report of ``corpus``: a corpus of articles, or a folder of kit
    extract's datasets (see the module doc; ``corrections``, ``store`` and ``jobs`` are
    for a corpus: kit extract applied its corrections, and ValueError when given one)."""
    import kit
    from kit.present import tables

    filters = dict(kinds=kinds, nouns=nouns, statuses=statuses)
    if archive.is_extract_output(corpus):
        if corrections:
            raise ValueError(f"corrections {corrections}: {corpus} holds the datasets of kit "
                             "extract, which applied the corrections beside its corpus; pass "
                             "them to kit extract (--corrections) instead")
        return _from_datasets(Path(corpus), lexicon, filters, reviewed_only, tolerance)
    articles = kit.load_corpus(corpus, lexicon=lexicon)
    all_figures = kit.figures(articles, lexicon=lexicon, corrections=corrections or None,
                              store=store or None, jobs=jobs, progress=False)
    figs = tables.numbered(tables.select(all_figures, reviewed_only=reviewed_only, **filters))
    return ReportFrames(articles, all_figures, figs,
                        kit.claims(figs, lexicon=lexicon, tolerance=tolerance), "figures")


def _from_datasets(folder: Path, lexicon, filters: dict, reviewed_only: bool,
                   tolerance) -> ReportFrames:
    import kit
    from kit.lexicon import resolve
    from kit.present import tables

    lex = resolve(lexicon)
    manifest = checked_manifest(folder, lex)
    articles = archive.read_frame(folder, "articles", ARTICLE_COLUMNS)
    articles.attrs["skipped"] = archive.skipped(manifest)
    articles.attrs["problems"] = archive.problems(manifest)
    all_figures = archive.read_frame(folder, "figures", FILTER_COLUMNS)
    all_figures.attrs["stale_corrections"] = archive.stale(manifest)
    where = archive.figure_filter(kinds=filters["kinds"], statuses=filters["statuses"],
                                  reviewed_only=reviewed_only)
    kept = archive.read_frame(folder, "figures", FIGURE_COLUMNS, where)
    figs = tables.numbered(tables.select(kept, reviewed_only=reviewed_only, **filters))
    claims = None
    if _rounding(tolerance):
        claims = whole_claims(archive.read_frame(folder, "claims", _CLAIM_COLUMNS), figs)
    if claims is None:
        return ReportFrames(articles, all_figures, figs,
                            kit.claims(figs, lexicon=lex, tolerance=tolerance), "figures")
    return ReportFrames(articles, all_figures, figs, claims, "datasets")


def checked_manifest(folder: Path, lexicon=None) -> dict:
    """The manifest of the datasets of ``folder`` (``archive.read_manifest``), checked to be
    of the knowledge files of ``lexicon``: ArchiveError naming the manifest otherwise."""
    from kit.lexicon import resolve

    manifest = archive.read_manifest(folder)
    lex = resolve(lexicon)
    made_with = (manifest.get("version") or {}).get("knowledge")
    if made_with != lex.fingerprint:
        raise archive.ArchiveError(
            f"{Path(folder) / archive.MANIFEST}: the datasets were extracted with other "
            f"knowledge files ({made_with}) than this report's lexicon ({lex.fingerprint}): "
            "give the report the --lexicon given to kit extract, or run kit extract again")
    return manifest


_CLAIM_COLUMNS = tuple(c.name for c in schema.CLAIMS)


def _rounding(tolerance) -> bool:
    """Whether ``tolerance`` is the one kit extract makes its claims with."""
    from kit.claims.values import ROUNDING, check_tolerance

    return check_tolerance(tolerance) == ROUNDING


def whole_claims(claims: pd.DataFrame, figs: pd.DataFrame) -> pd.DataFrame | None:
    """The claims of ``claims`` (every figure's, as kit extract made them) made of the
    figures ``figs``, numbered again C1, C2, ... in their order: what ``kit.claims(figs)``
    gives when the figures a filter kept hold every claim they touch whole.  None when a
    claim is cut by the filters (some of its figures kept, some not) or a kept figure is
    in no claim: its claims must then be made from ``figs``."""
    if not len(figs):
        return schema.empty("claims")
    import pyarrow as pa

    written = figs["claimant"].astype(str)
    return claims_of_figures(claims, pa.array(figs["figure_id"], type=pa.large_string()),
                             pd.unique(written), lambda several: figs[written.isin(several)])


def figures_in_claims(claims: pd.DataFrame, figure_ids) -> tuple:
    """Each claim's number of figures and how many of them are among ``figure_ids`` (a
    pyarrow array), and how many of ``figure_ids`` some claim holds."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    # in Arrow: an archive's claims list millions of figures
    ids = pc.split_pattern(pa.array(claims["figure_ids"], type=pa.large_string()), SEP)
    sizes = pc.list_value_length(ids).to_numpy(zero_copy_only=False)
    kept = pc.is_in(pc.list_flatten(ids), value_set=figure_ids).to_numpy(zero_copy_only=False)
    found = np.add.reduceat(kept.astype("int64"), np.r_[0, np.cumsum(sizes)[:-1]]) \
        if len(sizes) else sizes
    return sizes, found, int(kept.sum())


def claims_of_figures(claims: pd.DataFrame, figure_ids, names, rows_of,
                      counts: tuple | None = None) -> pd.DataFrame | None:
    """``whole_claims`` of the figures of ``figure_ids`` (a pyarrow array, not empty) whose
    claimants are written ``names`` (each once); ``rows_of(several)``: their rows (in the
    order of ``tables.numbered``) of the claimants written as in ``several``; ``counts``:
    ``figures_in_claims`` of them, when already counted."""
    rows = whole_rows(claims, counts or figures_in_claims(claims, figure_ids),
                      len(figure_ids))
    if rows is None:
        return None
    out = claims.iloc[rows].reset_index(drop=True)
    if not _names_agree(out["claimant"], names, rows_of):
        return None
    return renumbered(out)


def renumbered(claims: pd.DataFrame) -> pd.DataFrame:
    """The ``claims`` (indexed from 0) numbered C1, C2, ... in their order, conformed."""
    claims["claim_id"] = pd.array([f"C{k}" for k in range(1, len(claims) + 1)],
                                  dtype=schema.STRING)
    return schema.conform(claims, "claims")


def whole_rows(claims: pd.DataFrame, counts: tuple, figures: int):
    """The positions, in the order of their numbers, of the ``claims`` that hold some of
    ``figures`` figures (``counts``: ``figures_in_claims`` of them); None when one holds
    only some of its figures among them, or one of them is in no claim."""
    import numpy as np

    sizes, found, inside = counts
    touched = np.flatnonzero(found > 0)
    if (found[touched] != sizes[touched]).any() or inside != figures:
        return None
    number = claims["claim_id"].astype(str).str[1:].astype("int64").to_numpy()
    return touched[np.argsort(number[touched], kind="stable")]


def _names_agree(claimants: pd.Series, names, rows_of) -> bool:
    """Whether each claim's claimant is the name ``kit.claims(figs)`` gives it: kit extract
    names a claimant by its most frequent written form in the whole archive, the claims of
    some figures by the form most frequent among them (``claimant_names``, figures in the
    claims' order).  Only the claimants written more than one way are counted.  ``names``
    and ``rows_of``: as for ``claims_of_figures``."""
    from kit.claims.grouping import claimant_key

    shown = shown_names(names, rows_of)
    return all(shown.get(claimant_key(c)) == c for c in pd.unique(claimants.astype(str)))


def shown_names(names, rows_of) -> dict[str, str]:
    """Each claimant key's name as ``kit.claims`` of some figures shows it (their claimants
    written ``names``; ``rows_of`` as for ``claims_of_figures``)."""
    from kit.claims.grouping import claimant_key, claimant_names

    key_of = {name: claimant_key(name) for name in names}
    forms: dict[str, set[str]] = {}
    for name, key in key_of.items():
        forms.setdefault(key, set()).add(name)
    shown = {key: next(iter(names)) for key, names in forms.items() if len(names) == 1}
    several = [name for name, key in key_of.items() if key not in shown]
    if several:
        f = rows_of(several)
        order = pd.DataFrame({"undated": f["published"].isna().to_numpy(),
                              "date": f["published"].fillna("").astype(str).to_numpy(),
                              "outlet": f["outlet"].fillna(schema.UNKNOWN_OUTLET).astype(str)
                              .str.lower().to_numpy(),
                              "article": f["article_id"].astype(str).to_numpy(),
                              "start": f["start"].astype("int64").to_numpy(),
                              "name": f["claimant"].astype(str).to_numpy()})
        order = order.sort_values(["undated", "date", "outlet", "article", "start"],
                                  kind="stable")
        names = order["name"].tolist()
        shown.update(zip((key_of[n] for n in names), claimant_names(names)))
    return shown
