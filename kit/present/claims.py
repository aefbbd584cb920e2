"""Claims, discrepancies and the comparison of sources as escaped HTML, each figure cited
by its number."""

from __future__ import annotations

import pandas as pd

from kit.claims.grouping import SEP
from kit.present.html import STYLE, esc, highlight, table_html
from kit.present.summary import more

def _numbers(figures: pd.DataFrame | None) -> dict[str, int] | None:
    """figure_id -> citation number, for figures numbered by ``tables.numbered`` (None when
    they are not numbered: cells then show figure ids)."""
    if figures is None or "n" not in figures.columns:
        return None
    return dict(zip(figures["figure_id"], figures["n"].astype(int)))


def _citation_numbers(ids: str, numbers: dict[str, int]) -> list[int]:
    return sorted({numbers[i] for i in str(ids).split(SEP) if i in numbers})


def _citations(ids: str, numbers: dict[str, int]) -> str:
    """The citations of a claim as text (a table cell: escaped when drawn)."""
    shown = _citation_numbers(ids, numbers)
    total = _count(ids)
    return " ".join(f"[{n}]" for n in shown) + (
        f" + {total - len(shown):,} more" if total > len(shown) else "")


def _count(ids) -> int:
    """How many figure ids a cell holds."""
    return len([i for i in str(ids).split(SEP) if i]) if isinstance(ids, str) else 0


def _more(shown: int, ids: str) -> str:
    """"+ N more" for the figures of ``ids`` not cited (a summarised report)."""
    return more(shown, _count(ids))


def claims_html(claims: pd.DataFrame, figures: pd.DataFrame | None = None) -> str:
    """The claims as an escaped HTML table; with numbered ``figures`` (column
    ``n``) a *citations* column replaces the figure ids."""
    cols = ["claim_id", "claimant", "measure", "status", "what", "value", "low", "best", "high",
            "n_outlets", "outlets", "n_figures", "first_published", "last_published"]
    view = claims[cols].rename(columns={"claim_id": "claim", "n_outlets": "outlets (n)",
                                        "n_figures": "figures", "first_published": "first",
                                        "last_published": "last"})
    view = view.astype(object).where(view.notna(), "")
    for c in ("low", "best", "high"):
        view[c] = [f"{int(v):,}" if v != "" else "" for v in view[c]]
    if figures is not None and "n" in figures.columns:
        numbers = _numbers(figures)
        view["citations"] = [_citations(ids, numbers) for ids in claims["figure_ids"]]
    else:
        view["figure ids"] = claims["figure_ids"]
    return table_html(view, empty="No figures, so no claims.")


_DSTYLE = (
    "<style>"
    ".kit-disc{margin:0 0 1.2em 0}"
    ".kit-disc h4{margin:.3em 0}"
    ".kit-sides{display:flex;gap:1em;align-items:flex-start}"
    ".kit-side{flex:1 1 0;border:1px solid #ccc;padding:.4em .6em;min-width:0}"
    ".kit-side ul{margin:.3em 0;padding-left:1.1em}"
    ".kit-side li{margin:0 0 .4em 0;line-height:1.35}"
    ".kit-side mark{background:#ffe58a;padding:0 .1em}"
    "</style>"
)


#: Claims side by side in one disagreement of a summarised report.
MAX_SIDES = 6


def discrepancies_html(disc: pd.DataFrame, figures: pd.DataFrame | None = None, *,
                       limit: int | None = None, per_claim: int | None = None) -> str:
    """Each discrepancy as a heading and one column per claim, side by side,
    listing its figures' outlets, dates and sentences (figure words marked);
    with numbered ``figures`` (column ``n``) each figure carries its citation
    number.  A summarised report shows the ``limit`` discrepancies with the most
    figures and ``per_claim`` sentences a side (the rest counted); ``disc`` may be made
    with that ``limit`` already (``kit.discrepancies``: only its largest groups' rows
    are made).  Everything from the articles is escaped."""
    if not len(disc):
        return table_html(disc, empty="No discrepancies: no claimant is reported with different "
                                      "values, and no value is attributed to different claimants.")
    numbers = _numbers(figures) or {}
    parts = [_DSTYLE]
    ids = list(dict.fromkeys(disc["discrepancy_id"]))
    found = max(len(ids), int(disc.attrs.get("discrepancies", 0)))  # made with a limit
    if limit is not None and found > limit:
        sizes = _figures(disc, "discrepancy_id")
        keep = set(sizes.sort_values(ascending=False, kind="stable").index[:limit])
        parts.append(f'<p class="kit-note">The {limit:,} disagreements with the most figures, '
                     f'of {found:,}.</p>')
        disc = disc[disc["discrepancy_id"].isin(keep)]
    for did, g in disc.groupby("discrepancy_id", sort=False):
        first = g.iloc[0]
        # a summary table of an archive keeps the largest sides only, and says how many
        n_sides = int(first["n_claims"]) if "n_claims" in g.columns else g["claim_id"].nunique()
        if first["issue"] == "claimants differ":
            named = int(first["n_claimants"]) if "n_claimants" in g.columns else \
                g["claimant"].nunique()
            head = f"{esc(first['value'])} {esc(first['what'])} ({esc(first['measure'])}), " \
                   f"attributed to {named} claimants"
        else:
            head = f"{esc(first['claimant'])}: {esc(first['what'])} ({esc(first['measure'])}), " \
                   f"{n_sides} values"
        sides = []
        if limit is not None and n_sides > MAX_SIDES:  # the sides with the most figures
            sizes = _figures(g, "claim_id")
            keep = set(sizes.sort_values(ascending=False, kind="stable").index[:MAX_SIDES])
            head += f" (the {MAX_SIDES} with the most figures shown)"
            g = g[g["claim_id"].isin(keep)]
        for cid, c in g.groupby("claim_id", sort=False):
            items = []
            total = int(c["side_figures"].iloc[0]) if "side_figures" in c.columns else len(c)
            if per_claim is not None:
                c = c.head(per_claim)
            for _, r in c.iterrows():
                cite = f"[{numbers[r['figure_id']]}] " if r["figure_id"] in numbers else ""
                s = int(r["offset"])
                when = f", {esc(r['published'])}" if isinstance(r["published"], str) else ""
                items.append(f"<li>{esc(cite)}<b>{esc(r['outlet'])}</b>{when}: "
                             f"<q>{highlight(r['sentence'], s, s + len(r['surface']))}</q></li>")
            sides.append(f'<div class="kit-side"><b>{esc(cid)} · {esc(c.iloc[0]["claimant"])}: '
                         f'{esc(c.iloc[0]["value"])}</b><ul>{"".join(items)}</ul>'
                         f'{more(len(c), total)}</div>')
        parts.append(f'<div class="kit-disc"><h4>{esc(did)} · {esc(first["issue"])} · {head}'
                     f'</h4><div class="kit-sides">{"".join(sides)}</div></div>')
    return "".join(parts)


_CSTYLE = (
    "<style>"
    ".kit-compare h4{margin:.8em 0 .3em 0}"
    ".kit-compare .kit-carried{color:#777;font-style:italic}"
    ".kit-compare .kit-cite{font-size:85%;white-space:nowrap}"
    "</style>"
)


def _cited(ids: str, numbers: dict[str, int], total: int | None = None) -> str:
    """The citations of a cell: links to the numbered citation list ("[3]" -> #cite-3), else
    the figure ids; ``total``: the cell's figures when ``ids`` holds only the cited ones."""
    if numbers is None:
        return esc(ids)
    shown = _citation_numbers(ids, numbers)
    return " ".join(f'<a href="#cite-{n}">[{n}]</a>' for n in shown) + (
        _more(len(shown), ids) if total is None or pd.isna(total) else more(len(shown), int(total)))


def _figures(disc: pd.DataFrame, by: str) -> pd.Series:
    """The figures of each ``by`` group (``discrepancy_id`` or ``claim_id``) of
    disagreements: its rows, or the count the summary tables of an archive keep beside
    their first rows (``disc_figures``, ``side_figures``: ``kit.report.aggregate``)."""
    kept = {"discrepancy_id": "disc_figures", "claim_id": "side_figures"}[by]
    if kept not in disc.columns:
        return disc.groupby(by, sort=False).size()
    return disc.groupby(by, sort=False)[kept].first()


def comparison_html(comparison: pd.DataFrame, figures: pd.DataFrame | None = None, *,
                    max_dates: int | None = None) -> str:
    """The comparison (``kit.compare``) as one table per measure (and noun family): a row
    per date, a column per claimant, each cell the claimant's latest value as of that date
    with its citations (links to the citation list when ``figures`` are numbered, column
    ``n``; else the figure ids); values carried from an earlier date are grey and say since
    when; ``max_dates``: only the last dates of each table (a summarised report).
    Everything from the articles is escaped."""
    if not len(comparison):
        return table_html(comparison, empty="Nothing to compare: no figure with a value, a "
                                            "date and a claimant.")
    numbers = _numbers(figures)
    parts = [STYLE, _CSTYLE, '<div class="kit-compare">',
             '<p>Each column is a source, each row a publication date: a cell is what that '
             'source said of the measure as of that date (grey: not reported that day, its '
             'value since the date shown); the numbers in brackets are the citations.</p>']
    for measure, by_measure in comparison.groupby("measure", sort=False):
        parts.append(f"<h4>{esc(measure)}</h4>")
        families = by_measure["what"].unique()
        for what, g in by_measure.groupby("what", sort=False):
            first = g.groupby("claimant", sort=False)[
                "first_date" if "first_date" in g.columns else "date"].min()
            claimants = sorted(first.index, key=lambda c: (first[c], c.lower(), c))
            cells = {(r["date"], r["claimant"]): r for r in g.to_dict("records")}
            head = "".join(f"<th>{esc(c)}</th>" for c in claimants)
            caption = f"<caption>{esc(what)}</caption>" if len(families) > 1 else ""
            body = []
            dates = sorted(g["date"].unique())
            n_dates = int(g["n_dates"].iloc[0]) if "n_dates" in g.columns else len(dates)
            if max_dates is not None and n_dates > max_dates:
                caption = (f"<caption>{esc(what) + ': ' if len(families) > 1 else ''}the last "
                           f"{max_dates} of {n_dates} dates</caption>")
                dates = dates[-max_dates:]
            for date in dates:
                row = [f"<th>{esc(date)}</th>"]
                for c in claimants:
                    r = cells.get((date, c))
                    if r is None:
                        row.append("<td></td>")
                        continue
                    cite = _cited(r["figure_ids"], numbers, r.get("n_figure_ids"))
                    value = esc(r["value"])
                    if isinstance(r.get("also"), str) and r["also"]:
                        value += f' <span class="kit-also">(also reported: {esc(r["also"])})</span>'
                    if r["carried"]:
                        value = (f'<span class="kit-carried">{value} (since '
                                 f'{esc(r["reported"])})</span>')
                    row.append(f'<td>{value} <span class="kit-cite">{cite}</span></td>')
                body.append("<tr>" + "".join(row) + "</tr>")
            parts.append(f'<table class="kit-table kit-comparison">{caption}<thead><tr>'
                         f'<th>date</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')
    parts.append("</div>")
    return "".join(parts)
