"""The sections of the estimates report, and the summary tables of an archive.

``sections(frames, ...)`` computes what each section of the report shows (the
header's counts, the comparison of sources, the corpus table, the chart's marks,
the citations, the claims listed, the disagreements, the timeline) from the
frames of ``kit.report.frames``: every figure of the corpus, grouped and summarised
(``kit.present.summary``) when there are more than ``summarise_above``.

For an archive of a million articles that grouping takes minutes, so the first report
with the default parameters after a run of ``kit extract`` writes the summarised
sections beside the datasets (``write_summary``; not ``kit extract`` itself, whose
incremental runs would then group every figure each time):
``DIR/summary/*.parquet`` (a few thousand rows: the citations, the claims listed,
the comparison, the disagreements, the corpus by outlet, the chart's marks for each
axis scale) and ``DIR/summary/summary.json`` (the header's counts, the chart's facts,
the report parameters they were made with and the digest of the manifest of the
datasets they were made from).  ``report_sections(corpus, ...)`` reads them when the
report's parameters are those and the datasets are those (a few thousand rows, no
figure), and otherwise computes the sections from the datasets, saying why in the
report's note.  The tables are the sections ``sections`` computes, so both give the
same report (a test compares them).  ``write_summary`` makes them from the datasets read as
Arrow codes, batch by batch, without a frame of every figure
(``kit.report.summarise``: tests compare the tables of both ways).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kit.output import archive
from kit.output.atomic import TMP_PREFIX, temporary_folder
from kit.output.datasets import MANIFEST

#: The folder of the summary tables inside the output of kit extract.
SUMMARY = "summary"
INFO = "summary.json"
FORMAT = 1
#: The report parameters the summary tables depend on (``scale``: one chart per value).
PARAMETERS = ("kinds", "nouns", "statuses", "tolerance", "reviewed_only", "summarise_above")
SCALES = ("auto", "log", "linear")
_TABLES = ("cited", "claims", "comparison", "disagreements", "corpus")


class SummaryError(archive.ArchiveError):
    """The summary tables cannot be read (names the file and why)."""


@dataclass
class Sections:
    """What each section of the estimates report shows."""

    summarised: bool
    counts: dict  # tables.summary_counts
    note: str  # the summary's note (and why the summary tables were not read)
    cited: pd.DataFrame  # numbered figures of the citation list
    claims: pd.DataFrame  # claims listed
    comparison: pd.DataFrame  # kit.compare of the compared figures
    disagreements: pd.DataFrame  # kit.discrepancies (attrs["discrepancies"]: how many)
    corpus: pd.DataFrame  # the corpus table (by outlet when summarised)
    charts: dict  # scale -> (chart_frame, axis)
    facts: dict  # charts.chart_facts
    timeline: pd.DataFrame  # figures, or the listed claims when summarised
    max_dates: int | None = None
    per_claim: int | None = None
    limit: int | None = None
    skipped: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    source: str = "figures"  # "figures" (computed) or "summary" (read from the tables)

    def header_html(self, *, title: str = "", reviewed_only: bool = False) -> str:
        """The heading, the counts and the summary's note (``tables.summary_html``)."""
        from kit.present import tables

        return tables.counts_html(self.counts, title=title, reviewed_only=reviewed_only,
                                  skipped=self.skipped, problems=self.problems,
                                  stale=self.stale) + self.note

    def corpus_html(self) -> str:
        from kit.present.html import table_html

        return table_html(self.corpus, empty="The corpus holds no articles.")

    def chart(self, scale: str = "auto"):
        """The chart of the estimates by source (``charts.estimates_by_source``)."""
        from kit.present import charts

        if not self.facts["figures"]:
            return charts.estimates_by_source(self.cited.iloc[:0], scale=scale)
        return charts.estimates_chart(*self.charts[scale], self.facts)


def sections(data, *, filters: dict, reviewed_only: bool = False, tolerance="rounding",
             summarise_above: int, scales=("auto",)) -> Sections:
    """The sections of the report of ``data`` (``kit.report.frames.ReportFrames``), its
    chart drawn for each of ``scales``."""
    import kit
    from kit.present import charts, summary, tables

    articles, all_figures, figs, claims = data.articles, data.all_figures, data.figs, data.claims
    shown = summary.view(figs, claims, above=summarise_above)
    corpus = summary.by_outlet(articles, figs) if shown.summarised else \
        tables.corpus_frame(articles, figs)
    disc = kit.discrepancies(figs, claims, tolerance=tolerance, limit=shown.limit)
    return Sections(
        summarised=shown.summarised,
        counts=tables.summary_counts(articles, all_figures, figs, filters),
        note=shown.note, cited=shown.cited, claims=shown.claims,
        comparison=kit.compare(shown.compared, claims), disagreements=disc, corpus=corpus,
        charts={s: charts.chart_frame(figs, s) for s in scales} if len(figs) else {},
        facts=charts.chart_facts(figs), timeline=shown.timeline, max_dates=shown.max_dates,
        per_claim=shown.per_claim, limit=shown.limit,
        skipped=articles.attrs.get("skipped", []), problems=articles.attrs.get("problems", []),
        stale=all_figures.attrs.get("stale_corrections", []))


def report_sections(corpus, *, lexicon=None, kinds=(), nouns=(), statuses=(),
                    reviewed_only: bool = False, tolerance="rounding", corrections=None,
                    store=None, jobs: int = 0, summarise_above: int, scale: str = "auto"
                    ) -> Sections:
    """The sections of the report of ``corpus``: from the summary tables of kit extract
    when ``corpus`` holds them for these parameters, else computed (see the module doc)."""
    from kit.report.frames import report_frames

    params = _parameters(kinds, nouns, statuses, tolerance, reviewed_only, summarise_above)
    why = None
    if archive.is_extract_output(corpus) and not corrections:
        why = _unusable(Path(corpus), params, scale)
        if why is not None and _outdated(Path(corpus)) and params == default_parameters():
            why = _made(Path(corpus), lexicon, params, scale)
        if why is None:
            return read_summary(Path(corpus), lexicon=lexicon, scale=scale)
    filters = dict(kinds=kinds, nouns=nouns, statuses=statuses)
    data = report_frames(corpus, lexicon=lexicon, reviewed_only=reviewed_only,
                         tolerance=tolerance, corrections=corrections, store=store, jobs=jobs,
                         **filters)
    out = sections(data, filters=filters, reviewed_only=reviewed_only, tolerance=tolerance,
                   summarise_above=summarise_above, scales=(scale,))
    if why and out.summarised:
        from kit.present.html import esc

        out.note += (f'<p class="kit-note">Grouped from every figure of the datasets, not read '
                     f'from the summary tables of kit extract: {esc(why)}.</p>')
    return out


def _outdated(folder: Path) -> bool:
    """Whether the summary tables of ``folder`` are missing or of an earlier run of kit
    extract than its datasets."""
    info = _info(folder)
    return info is None or info.get("manifest") != manifest_digest(folder)


def _made(folder: Path, lexicon, params: dict, scale: str) -> str | None:
    """Write the summary tables of ``folder`` for ``params`` (the first report after a run
    of kit extract does, so that the later ones read them); why they still do not hold
    the report (None: they do)."""
    if not os.access(folder, os.W_OK):  # before the grouping, not after it
        return f"they could not be written into {folder / SUMMARY} (Permission denied)"
    try:
        write_summary(folder, lexicon, parameters=params)
    except OSError as err:  # a folder this user cannot write: the report groups every figure
        return f"they could not be written into {folder / SUMMARY} ({err.strerror or err})"
    return _unusable(folder, params, scale)


def _parameters(kinds, nouns, statuses, tolerance, reviewed_only, summarise_above) -> dict:
    return {"kinds": list(kinds), "nouns": list(nouns), "statuses": list(statuses),
            "tolerance": str(tolerance), "reviewed_only": bool(reviewed_only),
            "summarise_above": summarise_above}


def default_parameters() -> dict:
    """The parameters of the estimates report by default (its notebook's parameters cell)."""
    from kit.report.params import notebook_parameters
    from kit.report.run import NOTEBOOK_DIR

    spec = notebook_parameters(NOTEBOOK_DIR / "estimates.ipynb")
    return _parameters(*(spec[k]["default"] for k in PARAMETERS))


def manifest_digest(folder: Path) -> str:
    """The digest of the manifest of the datasets of ``folder`` (what the tables are of)."""
    return hashlib.sha256((Path(folder) / MANIFEST).read_bytes()).hexdigest()


def _info(folder: Path) -> dict | None:
    path = folder / SUMMARY / INFO
    if not path.is_file():
        return None
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise SummaryError(f"{path}: not a summary this kit writes ({err}); remove the "
                           "folder: the next report writes it again") from None
    if not isinstance(info, dict) or info.get("format") != FORMAT:
        raise SummaryError(f"{path}: not a summary this kit writes (format "
                           f"{info.get('format') if isinstance(info, dict) else None!r}); "
                           "remove the folder: the next report writes it again")
    return info


def _unusable(folder: Path, params: dict, scale: str) -> str | None:
    """Why the summary tables of ``folder`` do not hold this report (None: they do)."""
    info = _info(folder)
    if info is None:
        return (f"{folder / SUMMARY} holds none (the first report with the default "
                "parameters after kit extract writes them)")
    if info.get("manifest") != manifest_digest(folder):
        return (f"{folder / SUMMARY / INFO} is of an earlier run of kit extract than the "
                "datasets (the next report with the default parameters writes them again)")
    if not info.get("summarised"):
        return "the datasets were not summarised with the default parameters"
    differ = [k for k in PARAMETERS if info["parameters"].get(k) != params[k]]
    if differ:
        return ("this report sets " + ", ".join(f"{k}={params[k]!r}" for k in differ)
                + ", they hold the report with " + ", ".join(
                    f"{k}={info['parameters'].get(k)!r}" for k in differ))
    if scale not in info.get("scales", []):
        return f"they hold no chart with scale={scale!r}"
    return None


def read_summary(folder, *, lexicon=None, scale: str = "auto") -> Sections:
    """The sections the summary tables of ``folder`` hold (SummaryError naming the file
    when one cannot be read; ArchiveError when the datasets are not of ``lexicon``)."""
    import pyarrow as pa

    from kit.report.frames import checked_manifest

    folder = Path(folder)
    manifest = checked_manifest(folder, lexicon)
    info = _info(folder)
    if info is None:
        raise SummaryError(f"{folder / SUMMARY / INFO}: no summary tables (a report with the "
                           "default parameters writes them)")
    frames = {}
    for name in (*_TABLES, f"chart-{scale}"):
        path = folder / SUMMARY / f"{name}.parquet"
        try:
            frames[name] = pd.read_parquet(path)
        except (OSError, pa.ArrowException, ValueError) as err:
            raise SummaryError(f"{path}: cannot be read ({err}); remove "
                               f"{folder / SUMMARY}: the next report writes it again") \
                from None
    disc = frames["disagreements"]
    disc.attrs["discrepancies"] = info["discrepancies"]
    shown = info["shown"]
    return Sections(
        summarised=True, counts=info["counts"], note=info["note"], cited=frames["cited"],
        claims=frames["claims"], comparison=frames["comparison"], disagreements=disc,
        corpus=frames["corpus"], charts={scale: (frames[f"chart-{scale}"], info["axes"][scale])},
        facts=info["facts"], timeline=frames["claims"], max_dates=shown["max_dates"],
        per_claim=shown["per_claim"], limit=shown["limit"],
        skipped=archive.skipped(manifest), problems=archive.problems(manifest),
        stale=archive.stale(manifest), source="summary")


def _last_dates(comparison: pd.DataFrame, cited: pd.DataFrame, max_dates: int) -> pd.DataFrame:
    """The rows of ``comparison`` its summarised table shows: those of the last
    ``max_dates`` dates of each measure and family, with the ids of the ``cited`` figures
    only; ``first_date`` (a claimant's first date, the columns' order), ``n_dates`` (the
    table's dates) and ``n_figure_ids`` (the cell's figures) say what the cut rows said
    (``kit.present.claims.comparison_html`` reads them)."""
    from kit.claims.grouping import SEP

    if not len(comparison):
        return comparison
    if "n_dates" in comparison.columns:  # compare cut it (``comparison(..., last=)``)
        out = comparison.copy()
    else:
        table = [comparison["measure"], comparison["what"]]
        dates = comparison.groupby(table, sort=False)["date"]
        rank = dates.rank(method="dense", ascending=False)
        out = comparison.assign(
            first_date=comparison.groupby([*table, comparison["claimant"]], sort=False)["date"]
            .transform("min"), n_dates=dates.transform("nunique").astype("int64"))
        out = out[(rank <= max_dates).to_numpy()].copy()
    ids = set(cited["figure_id"])
    split = [str(v).split(SEP) if isinstance(v, str) else [] for v in out["figure_ids"]]
    out["n_figure_ids"] = [len([i for i in v if i]) for v in split]
    out["figure_ids"] = [SEP.join(i for i in v if i in ids) for v in split]
    return out.reset_index(drop=True)


def _first_sentences(disc: pd.DataFrame, per_claim: int) -> pd.DataFrame:
    """The rows of the disagreements ``disc`` their summarised list shows: of the
    ``MAX_SIDES`` sides (claims) with the most figures of each, the first ``per_claim``,
    each with ``side_figures`` (the side's rows in all), ``disc_figures``, ``n_claims`` and
    ``n_claimants`` (the disagreement's rows, sides and claimants in all), which
    ``kit.present.claims.discrepancies_html`` reads."""
    from kit.present.claims import MAX_SIDES

    if not len(disc):
        return disc
    attrs = dict(disc.attrs)
    sides = disc.groupby(["discrepancy_id", "claim_id"], sort=False)
    by_disc = disc.groupby("discrepancy_id", sort=False)
    disc = disc.assign(side_figures=sides["claim_id"].transform("size").astype("int64"),
                       disc_figures=by_disc["claim_id"].transform("size").astype("int64"),
                       n_claims=by_disc["claim_id"].transform("nunique").astype("int64"),
                       n_claimants=by_disc["claimant"].transform("nunique").astype("int64"))
    # the largest sides, ties in order of appearance (as the list draws them)
    first = disc[(sides.cumcount() == 0).to_numpy()]
    rank = first.assign(order_=range(len(first))).sort_values(
        ["discrepancy_id", "side_figures", "order_"], ascending=[True, False, True],
        kind="stable").groupby("discrepancy_id", sort=False).cumcount()
    largest = set(zip(first.loc[rank.index[rank < MAX_SIDES], "discrepancy_id"],
                      first.loc[rank.index[rank < MAX_SIDES], "claim_id"]))
    keep = (sides.cumcount() < per_claim).to_numpy() & np.fromiter(
        ((d, c) in largest for d, c in zip(disc["discrepancy_id"], disc["claim_id"])),
        dtype=bool, count=len(disc))
    out = disc[keep]
    out.attrs = attrs
    return out.reset_index(drop=True)


@contextmanager
def _collector_paused():
    """Python's cycle collector paused while the summary tables are made: they make
    millions of lists, tuples and dicts of an archive's claims and figures (none in a
    reference cycle that outlives its function), and each full collection walks every one
    alive.  Collections resume after, as they were."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


#: prctl(2) options of Linux: whether the process may be given transparent huge pages.
_PR_SET_THP_DISABLE, _PR_GET_THP_DISABLE = 41, 42


@contextmanager
def _small_pages():
    """Transparent huge pages refused to the process while the summary tables are made
    (Linux; elsewhere, or when refused, nothing changes).  numpy, Arrow's allocator and
    malloc ask for huge pages for large arrays, and the summary makes and frees arrays of
    millions of rows again and again: the kernel zeroed a fresh 2 MB page at each first
    touch, for a fifth of the whole time at 1,000,000 articles.  Restored after, as it
    was (a process started meanwhile would keep it: the summary starts none)."""
    import sys

    prctl = None
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            prctl = ctypes.CDLL(None, use_errno=True).prctl
        except (ImportError, OSError, AttributeError):
            prctl = None
    was = prctl(_PR_GET_THP_DISABLE, 0, 0, 0, 0) if prctl is not None else -1
    changed = was == 0 and prctl(_PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0
    try:
        yield
    finally:
        if changed:
            prctl(_PR_SET_THP_DISABLE, 0, 0, 0, 0)


def write_summary(out, lexicon=None, *, parameters: dict | None = None) -> bool:
    """Write the summary tables of the datasets of ``out`` (kit extract's ``--out``) for the
    report with ``parameters`` (default: the report's defaults); returns whether the report
    summarises with them (when it does not, only ``summary.json`` is written, saying so).
    The tables replace the previous ones whole, or not at all."""
    from kit.report.frames import report_frames
    from kit.report.summarise import summarised_sections

    out = Path(out)
    params = parameters or default_parameters()
    with _collector_paused(), _small_pages():
        made = summarised_sections(out, lexicon, params, SCALES)
        if made is None:  # grouped from every figure
            filters = {k: params[k] for k in ("kinds", "nouns", "statuses")}
            data = report_frames(out, lexicon=lexicon, reviewed_only=params["reviewed_only"],
                                 tolerance=params["tolerance"], **filters)
            made = sections(data, filters=filters, reviewed_only=params["reviewed_only"],
                            tolerance=params["tolerance"],
                            summarise_above=params["summarise_above"], scales=SCALES)
            if made.summarised:
                made.comparison = _last_dates(made.comparison, made.cited, made.max_dates)
                made.disagreements = _first_sentences(made.disagreements, made.per_claim)
    info = {"format": FORMAT, "manifest": manifest_digest(out), "parameters": params,
            "summarised": made.summarised}
    tmp = temporary_folder(out)  # (swapped in whole: the mode of a new folder)
    try:
        if made.summarised:
            for name in _TABLES:
                getattr(made, name).to_parquet(tmp / f"{name}.parquet", index=False)
            for scale, (frame, _axis) in made.charts.items():
                frame.to_parquet(tmp / f"chart-{scale}.parquet", index=False)
            info.update(counts=made.counts, note=made.note, facts=made.facts,
                        scales=list(made.charts),
                        axes={s: axis for s, (_f, axis) in made.charts.items()},
                        discrepancies=int(made.disagreements.attrs.get(
                            "discrepancies", made.disagreements["discrepancy_id"].nunique()
                            if len(made.disagreements) else 0)),
                        shown={"max_dates": made.max_dates, "per_claim": made.per_claim,
                               "limit": made.limit})
        (tmp / INFO).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
        old = out / f"{TMP_PREFIX}old-{SUMMARY}"
        if (out / SUMMARY).exists():
            os.replace(out / SUMMARY, old)
        os.replace(tmp, out / SUMMARY)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return made.summarised
