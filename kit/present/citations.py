"""The citation list: every figure with its number, source and marked sentence."""

from __future__ import annotations

import pandas as pd

from kit.claims.values import value_label
from kit.present.html import STYLE, esc, highlight, link
from kit.present.tables import numbered
from kit.extract.attribution import UNATTRIBUTED
from kit.schema import UNKNOWN_OUTLET


def span_in_sentence(row) -> tuple[int, int]:
    """Offsets of the figure's words inside its sentence (falls back to a search)."""
    sentence = row["sentence"] or ""
    s = int(row["start"]) - int(row["sentence_start"])
    e = int(row["end"]) - int(row["sentence_start"])
    surface = row["surface"] or ""
    if 0 <= s <= e <= len(sentence) and sentence[s:e] == surface:
        return s, e
    i = sentence.find(surface) if surface else -1
    return (i, i + len(surface)) if i >= 0 else (0, 0)


def citations_html(figs: pd.DataFrame) -> str:
    """An ordered list, one item per figure: number, value, claimant, status, outlet
    (linked to the article when its URL is http/https), date, and the sentence with
    the figure's words highlighted.  Item ``n`` has the anchor ``cite-n``."""
    if not len(figs):
        return STYLE + '<p class="kit-note">No figures to cite.</p>'
    f = figs if "n" in figs.columns else numbered(figs)
    # once an analyst reviewed any figure, each says whether it was reviewed
    marked = "reviewed" in f.columns and bool((f["reviewed"] != "kit").any())
    items = []
    for _, row in f.iterrows():
        s, e = span_in_sentence(row)
        value = value_label(row["low"], row["high"], row["qualifier"], row["surface"])
        claimant = row["claimant"]
        said = row["claimant_text"]
        who = esc(claimant)
        if isinstance(said, str) and said and said != claimant:
            who += f' (“{esc(said)}”)'
        outlet = row["outlet"] if isinstance(row["outlet"], str) else UNKNOWN_OUTLET
        what = row["what"] if isinstance(row["what"], str) else ""
        if row["qualifier"] == "vague" and what and not value.lower().endswith(" of") \
                and value.lower().rstrip().endswith(("s", "dozen")):
            what = f"of {what}"  # "hundreds of people", as a reader says it
        source = "no source named" if claimant == UNATTRIBUTED else f"according to {who}"
        when = f", {esc(row['published'])}" if isinstance(row["published"], str) else ""
        if marked:
            when += (' · <span class="kit-unreviewed" style="color:#a04000">not reviewed</span>'
                     if row["reviewed"] == "kit" else
                     ' · <span class="kit-reviewed" style="color:#1e7b34">reviewed: '
                     f'{esc(row["reviewed"])}</span>')
        items.append(
            f'<li id="cite-{int(row["n"])}" value="{int(row["n"])}">'
            f'<span class="kit-meta"><b>[{int(row["n"])}] {esc(value)} {esc(what)}</b>'
            f' · {esc(row["status"])} · {source}'
            f' · {link(outlet, row["url"])}{when}</span><br>'
            f'<q>{highlight(row["sentence"], s, e)}</q></li>'
        )
    return STYLE + '<ol class="kit-citations">' + "".join(items) + "</ol>"
