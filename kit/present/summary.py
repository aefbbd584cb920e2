"""What a report shows of a large corpus: a summary instead of every row.

Up to ``above`` figures a report lists everything: every citation, claim,
disagreement and date.  Past it (an archive of thousands of articles) the page
would run to hundreds of megabytes, so it shows the most reported: the
``claims`` claims with the most figures, at most ``per_claim`` sentences each
(the earliest), the ``claimants`` most reported sources of each measure side by
side over their last ``dates`` dates, the disagreements with the most figures,
the corpus by outlet, and the timeline of the listed claims instead of figures.  Every
citation number shown is in the citation list; what is left out is counted on
the page, and every row is in the datasets of ``kit extract``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kit.claims.grouping import SEP
from kit.present.html import STYLE

#: Figures above which a report summarises (the report parameter ``summarise_above``).
SUMMARISE_ABOVE = 5000


@dataclass
class View:
    """The rows each report section shows (all of them when not ``summarised``)."""

    summarised: bool
    cited: pd.DataFrame  # numbered figures the citation list holds (every [n] shown)
    claims: pd.DataFrame  # claims listed
    compared: pd.DataFrame  # figures the comparison is made from
    timeline: pd.DataFrame  # figures, or the listed claims when summarised
    max_dates: int | None  # dates per comparison table (None: all)
    per_claim: int | None  # sentences per claim or side (None: all)
    limit: int | None  # claims and disagreements listed (None: all)
    note: str  # what the page leaves out and where it is ("" when not summarised)


#: What a summarised report lists by default (``view``): claims, sentences of each, the
#: sources of each measure compared and their dates.
N_CLAIMS, PER_CLAIM, CLAIMANTS, DATES = 100, 3, 8, 30


def view(figs: pd.DataFrame, claims: pd.DataFrame, *, above: int = SUMMARISE_ABOVE,
         n_claims: int = N_CLAIMS, per_claim: int = PER_CLAIM, claimants: int = CLAIMANTS,
         dates: int = DATES) -> View:
    """What to show of ``figs`` (numbered, see ``tables.numbered``) and their ``claims``."""
    if above is None or above < 0:
        raise ValueError(f"summarise_above: {above!r} must be a number of figures, 0 or more")
    if len(figs) <= above:
        return View(False, figs, claims, figs, figs, None, None, None, "")
    top, ids = listed(claims, n_claims, per_claim)
    cited = figs[figs["figure_id"].isin(ids)]
    pairs = most_reported(figs.groupby(["measure", "claimant"], dropna=False).size(), claimants)
    compared = figs[[pair in pairs for pair in zip(figs["measure"], figs["claimant"])]]
    note = summary_note(len(figs), len(claims), len(top), len(cited), per_claim, claimants,
                        dates)
    return View(True, cited, top, compared, top, dates, per_claim, n_claims, note)


def listed(claims: pd.DataFrame, n_claims: int, per_claim: int) -> tuple[pd.DataFrame, set]:
    """The ``n_claims`` claims with the most figures (in the claims' own order) and the ids
    of the first ``per_claim`` figures of each (those the citation list holds)."""
    top = claims.sort_values("n_figures", ascending=False, kind="stable").head(n_claims)
    top = claims.loc[sorted(top.index)]  # in the claims' own order
    ids: set[str] = set()
    for figure_ids in top["figure_ids"]:
        ids.update(str(figure_ids).split(SEP)[:per_claim])
    return top, ids


def most_reported(per_source: pd.Series, claimants: int) -> set:
    """The (measure, claimant) pairs of the ``claimants`` most reported sources of each
    measure, from the figures of each pair (``per_source``: indexed by measure and
    claimant, in their order)."""
    keep = (per_source.rename("n").reset_index()
            .sort_values(["measure", "n"], ascending=[True, False], kind="stable")
            .groupby("measure", dropna=False).head(claimants))
    return set(zip(keep["measure"], keep["claimant"]))


def summary_note(figures: int, claims: int, top: int, cited: int, per_claim: int,
                 claimants: int, dates: int) -> str:
    """The note of a summarised report: what it lists of its ``figures`` and ``claims``."""
    return (f'{STYLE}<p class="kit-note">This corpus holds {figures:,} figures in '
            f'{claims:,} claims: the report summarises. Listed: the {top:,} claims '
            f'with the most figures, at most {per_claim} sentences each ({cited:,} '
            f'citations); side by side: the {claimants} most reported sources of each measure '
            f'over their last {dates} dates; the timeline shows the listed claims. Every figure and claim '
            'is in the datasets written by <code>kit extract CORPUS --out DIR</code> '
            '(Parquet, readable by pandas and DuckDB).</p>')


def by_outlet(articles: pd.DataFrame, figs: pd.DataFrame) -> pd.DataFrame:
    """The corpus by outlet: articles, figures, first and last publication date."""
    return outlets_table(articles, figs.groupby(
        figs["outlet"].fillna("unknown outlet").astype(str)).size())


def outlets_table(articles: pd.DataFrame, counts: pd.Series) -> pd.DataFrame:
    """``by_outlet`` from the figures of each outlet (``counts``, by outlet name)."""
    outlet = articles["outlet"].fillna("unknown outlet").astype(str)
    out = (pd.DataFrame({"outlet": outlet, "published": articles["published"]})
           .groupby("outlet").agg(articles=("outlet", "size"), first=("published", "min"),
                                  last=("published", "max")).reset_index())
    out["figures"] = out["outlet"].map(counts).fillna(0).astype("int64")
    return out.sort_values(["articles", "outlet"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)


def more(shown: int, total: int) -> str:
    """"+ 12 more" when ``total`` exceeds ``shown`` (escaped HTML), else ""."""
    return f' <span class="kit-more">+ {total - shown:,} more</span>' if total > shown else ""

