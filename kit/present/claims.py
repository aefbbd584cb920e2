"""Claims and discrepancies as escaped HTML, each figure cited by its number."""

from __future__ import annotations

import pandas as pd

from kit.claims.grouping import SEP
from kit.present.html import esc, highlight, table_html

def _numbers(figures: pd.DataFrame | None) -> dict[str, int]:
    """figure_id -> citation number, for figures numbered by ``tables.numbered``."""
    if figures is None or "n" not in figures.columns:
        return {}
    return dict(zip(figures["figure_id"], figures["n"].astype(int)))


def _citations(ids: str, numbers: dict[str, int]) -> str:
    ns = sorted(numbers[i] for i in str(ids).split(SEP) if i in numbers)
    return " ".join(f"[{n}]" for n in ns)


def claims_html(claims: pd.DataFrame, figures: pd.DataFrame | None = None) -> str:
    """The claims as an escaped HTML table; with numbered ``figures`` (column
    ``n``) a *citations* column replaces the figure ids."""
    cols = ["claim_id", "claimant", "status", "what", "value", "low", "best", "high",
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


def discrepancies_html(disc: pd.DataFrame, figures: pd.DataFrame | None = None) -> str:
    """Each discrepancy as a heading and one column per claim, side by side,
    listing its figures' outlets, dates and sentences (figure words marked);
    with numbered ``figures`` (column ``n``) each figure carries its citation
    number.  Everything from the articles is escaped."""
    if not len(disc):
        return table_html(disc, empty="No discrepancies: no claimant is reported with different "
                                      "values, and no value is attributed to different claimants.")
    numbers = _numbers(figures)
    parts = [_DSTYLE]
    for did, g in disc.groupby("discrepancy_id", sort=False):
        first = g.iloc[0]
        if first["issue"] == "claimants differ":
            head = f"{esc(first['value'])} {esc(first['what'])} ({esc(first['status'])}), " \
                   f"attributed to {g['claimant'].nunique()} claimants"
        else:
            head = f"{esc(first['claimant'])}: {esc(first['what'])} ({esc(first['status'])}), " \
                   f"{g['claim_id'].nunique()} values"
        sides = []
        for cid, c in g.groupby("claim_id", sort=False):
            items = []
            for _, r in c.iterrows():
                cite = f"[{numbers[r['figure_id']]}] " if r["figure_id"] in numbers else ""
                s = int(r["offset"])
                when = f", {esc(r['published'])}" if isinstance(r["published"], str) else ""
                items.append(f"<li>{esc(cite)}<b>{esc(r['outlet'])}</b>{when}: "
                             f"<q>{highlight(r['sentence'], s, s + len(r['surface']))}</q></li>")
            sides.append(f'<div class="kit-side"><b>{esc(cid)} · {esc(c.iloc[0]["claimant"])}: '
                         f'{esc(c.iloc[0]["value"])}</b><ul>{"".join(items)}</ul></div>')
        parts.append(f'<div class="kit-disc"><h4>{esc(did)} · {esc(first["issue"])} · {head}'
                     f'</h4><div class="kit-sides">{"".join(sides)}</div></div>')
    return "".join(parts)
