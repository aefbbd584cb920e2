"""Tables and citations for notebooks and reports: pure functions on frames.

Every string that comes from an article (outlet, title, sentence, URL,
claimant words) is untrusted: the ``*_html`` functions escape all of it, and
only ``http``/``https`` URLs become links.  The frame functions (``numbered``,
``select``, ``corpus_frame``, ``disagreements``) return plain frames so they can
be tested, chained with ``.pipe`` and reused by the charts.

Numbering: ``numbered`` gives every figure a citation number ``n`` in a fixed
order (outlet, date, article, offset).  The chart's labels and the citation list
both use it, so "[3]" on a mark is item 3 of the citations.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import pandas as pd

UNKNOWN_OUTLET = "unknown outlet"

#: The counted nouns the notebooks keep by default: people (see data/counted_nouns.csv).
PEOPLE_NOUNS = (
    "troops", "soldiers", "personnel", "forces", "special forces", "recruits",
    "servicemen", "service members", "fighters", "combatants", "mercenaries",
    "conscripts", "reservists", "volunteers", "officers", "workers", "men",
)

_ORDER = ["outlet_key", "published", "article_id", "start"]


# --------------------------------------------------------------------------- frames

def numbered(figs: pd.DataFrame) -> pd.DataFrame:
    """Sort figures in citation order and number them 1..N in a column ``n``.

    Idempotent on the order; the number depends only on the rows given, so
    the chart and the citation list of one frame always agree.
    """
    out = figs.copy()
    out["outlet_key"] = out["outlet"].fillna(UNKNOWN_OUTLET).str.lower()
    out = out.sort_values(_ORDER, kind="stable", na_position="last").drop(columns="outlet_key")
    out["n"] = range(1, len(out) + 1)
    return out.reset_index(drop=True)


def _noun_pattern(nouns: Iterable[str]) -> re.Pattern | None:
    words = [n.strip() for n in nouns if n and n.strip()]
    if not words:
        return None
    alts = []
    for w in sorted(set(words), key=len, reverse=True):
        stem = w[:-1] if w.lower().endswith("s") and len(w) > 3 else w
        alts.append(re.escape(stem) + r"s?")
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.IGNORECASE)


def select(
    figs: pd.DataFrame,
    *,
    nouns: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    outlets: Iterable[str] | None = None,
    claimants: Iterable[str] | None = None,
    min_value: float | None = None,
    max_value: float | None = None,
    text: str | None = None,
) -> pd.DataFrame:
    """Keep the figures matching every given filter (``None`` or empty = no filter).

    ``nouns`` match whole words of the counted noun phrase (``what``), singular or
    plural; ``min_value``/``max_value`` keep figures whose stated interval
    overlaps them (vague figures have no value and are kept only without a value
    filter); ``text`` is a case-insensitive search in the sentence and surface.
    """
    keep = pd.Series(True, index=figs.index)
    pattern = _noun_pattern(nouns or [])
    if pattern is not None:
        keep &= figs["what"].fillna("").map(lambda s: bool(pattern.search(s))).astype(bool)
    if statuses:
        keep &= figs["status"].isin(list(statuses))
    if outlets:
        keep &= figs["outlet"].fillna(UNKNOWN_OUTLET).isin(list(outlets))
    if claimants:
        keep &= figs["claimant"].isin(list(claimants))
    if min_value is not None or max_value is not None:
        lo = figs["low"].astype("Float64")
        hi = figs["high"].astype("Float64")
        top = hi.fillna(float("inf")).where(lo.notna() | hi.notna(), float("nan"))
        bottom = lo.fillna(0.0).where(lo.notna() | hi.notna(), float("nan"))
        ok = bottom.notna()
        if min_value is not None:
            ok &= top >= min_value
        if max_value is not None:
            ok &= bottom <= max_value
        keep &= ok.fillna(False).astype(bool)
    if text:
        needle = text.casefold()
        hay = figs["sentence"].fillna("") + "\n" + figs["surface"].fillna("")
        keep &= hay.map(lambda s: needle in s.casefold()).astype(bool)
    return figs[keep.astype(bool)]


def _fmt(n) -> str:
    return f"{int(n):,}"


def value_label(low, high, qualifier: str, surface: str = "") -> str:
    """The value as a reader says it: "about 1,500", "10,000–12,000", "more than 13,000"."""
    lo = None if pd.isna(low) else low
    hi = None if pd.isna(high) else high
    if qualifier == "vague" or (lo is None and hi is None):
        return (surface or "unquantified").strip()
    if qualifier in ("more_than", "at_least") or hi is None:
        word = "at least" if qualifier == "at_least" else "more than"
        return f"{word} {_fmt(lo)}"
    if qualifier == "up_to" or lo is None:
        return f"up to {_fmt(hi)}"
    if lo != hi:
        return f"{_fmt(lo)}–{_fmt(hi)}"
    return ("about " if qualifier == "approx" else "") + _fmt(lo)


def value_labels(figs: pd.DataFrame) -> pd.Series:
    """``value_label`` for every row (a string Series aligned with ``figs``)."""
    return pd.Series(
        [value_label(lo, hi, q, s) for lo, hi, q, s in
         zip(figs["low"], figs["high"], figs["qualifier"], figs["surface"])],
        index=figs.index, dtype="string",
    )


def _value_key(low, high, qualifier: str, surface: str) -> str:
    """The value with "about" dropped: two sources saying 1,500 and about 1,500 agree."""
    q = "exact" if qualifier == "approx" else qualifier
    if q == "vague":
        return (surface or "").strip().lower()
    return value_label(low, high, q, surface)


def corpus_frame(articles: pd.DataFrame, figs: pd.DataFrame) -> pd.DataFrame:
    """One row per article: outlet, date, title and how many of the figures it holds."""
    counts = figs.groupby("article_id").size() if len(figs) else pd.Series(dtype="int64")
    out = pd.DataFrame({
        "outlet": articles["outlet"].fillna(UNKNOWN_OUTLET).astype("string"),
        "published": articles["published"].fillna("").astype("string"),
        "title": articles["title"].fillna("").astype("string"),
        "figures": articles["article_id"].map(counts).fillna(0).astype("int64"),
    })
    return out.sort_values(["outlet", "published"], kind="stable").reset_index(drop=True)


def disagreements(figs: pd.DataFrame) -> pd.DataFrame:
    """Per claimant and status, each distinct value with the outlets reporting it.

    Columns: claimant, status, value, outlets (sorted, comma-separated),
    citations ("[2] [7]"), n_values (distinct values of that claimant and
    status: more than one means the sources disagree, or the claim changed).
    """
    cols = ["claimant", "status", "value", "outlets", "citations", "n_values"]
    if not len(figs):
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "n_values" else "string")
                             for c in cols})
    f = figs if "n" in figs.columns else numbered(figs)
    f = f.assign(
        value=[_value_key(lo, hi, q, s) for lo, hi, q, s in
               zip(f["low"], f["high"], f["qualifier"], f["surface"])],
        outlet_=f["outlet"].fillna(UNKNOWN_OUTLET),
        sort_low=f["low"].astype("Float64").fillna(f["high"].astype("Float64")).fillna(-1.0),
    )
    rows = []
    for (claimant, status, value), g in f.groupby(["claimant", "status", "value"], sort=False):
        rows.append({
            "claimant": claimant, "status": status, "value": value,
            "outlets": ", ".join(sorted(set(g["outlet_"]), key=str.lower)),
            "citations": " ".join(f"[{n}]" for n in sorted(g["n"])),
            "sort_low": float(g["sort_low"].min()),
        })
    out = pd.DataFrame(rows)
    out["n_values"] = out.groupby(["claimant", "status"])["value"].transform("size").astype("int64")
    out = out.sort_values(["claimant", "status", "sort_low", "value"], kind="stable")
    out = out[cols].reset_index(drop=True)
    for c in cols[:-1]:
        out[c] = out[c].astype("string")
    return out


# --------------------------------------------------------------------------- html

def esc(value) -> str:
    """HTML-escape anything (missing values become the empty string)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def safe_url(url) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (never a javascript: link)."""
    if url is None or (not isinstance(url, str) and pd.isna(url)):
        return None
    url = str(url).strip()
    if any(ord(c) < 32 or c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link(text, url) -> str:
    """Escaped ``text``, as a link only when ``url`` is http(s)."""
    safe = safe_url(url)
    if safe is None:
        return esc(text)
    return f'<a href="{esc(safe)}" rel="noopener noreferrer nofollow">{esc(text)}</a>'


def highlight(sentence: str, start: int, end: int) -> str:
    """The sentence escaped, with ``sentence[start:end]`` inside ``<mark>``."""
    sentence = sentence or ""
    if not (0 <= start <= end <= len(sentence)):
        return esc(sentence)
    return (esc(sentence[:start]) + "<mark>" + esc(sentence[start:end]) + "</mark>"
            + esc(sentence[end:]))


def _span_in_sentence(row) -> tuple[int, int]:
    """Offsets of the figure's words inside its sentence (falls back to a search)."""
    sentence = row["sentence"] or ""
    s = int(row["start"]) - int(row["sentence_start"])
    e = int(row["end"]) - int(row["sentence_start"])
    surface = row["surface"] or ""
    if 0 <= s <= e <= len(sentence) and sentence[s:e] == surface:
        return s, e
    i = sentence.find(surface) if surface else -1
    return (i, i + len(surface)) if i >= 0 else (0, 0)


_STYLE = (
    "<style>"
    ".kit-citations li{margin:0 0 .6em 0;line-height:1.4}"
    ".kit-citations .kit-meta{color:#444;font-size:90%}"
    ".kit-citations mark{background:#ffe58a;padding:0 .1em}"
    ".kit-table{border-collapse:collapse;font-size:90%}"
    ".kit-table th,.kit-table td{border:1px solid #ccc;padding:.2em .5em;text-align:left;"
    "vertical-align:top}"
    ".kit-note{padding:.5em 1em;border-left:4px solid #c0392b;background:#fbeeee}"
    "</style>"
)


def citations_html(figs: pd.DataFrame) -> str:
    """An ordered list, one item per figure: number, value, claimant, status, outlet
    (linked to the article when its URL is http/https), date, and the sentence with
    the figure's words highlighted.  Item ``n`` has the anchor ``cite-n``."""
    if not len(figs):
        return _STYLE + '<p class="kit-note">No figures to cite.</p>'
    f = figs if "n" in figs.columns else numbered(figs)
    items = []
    for _, row in f.iterrows():
        s, e = _span_in_sentence(row)
        value = value_label(row["low"], row["high"], row["qualifier"], row["surface"])
        claimant = row["claimant"]
        said = row["claimant_text"]
        who = esc(claimant)
        if isinstance(said, str) and said and said != claimant:
            who += f' (“{esc(said)}”)'
        outlet = row["outlet"] if isinstance(row["outlet"], str) else UNKNOWN_OUTLET
        what = row["what"] if isinstance(row["what"], str) else ""
        items.append(
            f'<li id="cite-{int(row["n"])}" value="{int(row["n"])}">'
            f'<span class="kit-meta"><b>[{int(row["n"])}] {esc(value)} {esc(what)}</b>'
            f' · {esc(row["status"])} · according to {who}'
            f' · {link(outlet, row["url"])}, {esc(row["published"])}</span><br>'
            f'<q>{highlight(row["sentence"], s, e)}</q></li>'
        )
    return _STYLE + '<ol class="kit-citations">' + "".join(items) + "</ol>"


def table_html(frame: pd.DataFrame, empty: str = "Nothing to show.", index: bool = False) -> str:
    """A frame as an escaped HTML table (a note instead when it is empty)."""
    if not len(frame):
        return _STYLE + f'<p class="kit-note">{esc(empty)}</p>'
    return _STYLE + frame.to_html(index=index, escape=True, classes="kit-table", border=0,
                                  na_rep="")


def corpus_html(articles: pd.DataFrame, figs: pd.DataFrame) -> str:
    """The corpus table (one row per article) as escaped HTML."""
    return table_html(corpus_frame(articles, figs), empty="The corpus holds no articles.")


def disagreements_html(figs: pd.DataFrame) -> str:
    """The "where sources disagree" table, claimant and status spanning their rows."""
    d = disagreements(figs)
    if not len(d):
        return table_html(d, empty="No figures, so nothing to compare.")
    d = d.rename(columns={"n_values": "distinct values"})
    repeat_claimant = d["claimant"].eq(d["claimant"].shift()).fillna(False).astype(bool)
    repeat_status = repeat_claimant & d["status"].eq(d["status"].shift()).fillna(False).astype(bool)
    d["distinct values"] = d["distinct values"].astype("string").mask(repeat_status, "")
    d["status"] = d["status"].mask(repeat_status, "")
    d["claimant"] = d["claimant"].mask(repeat_claimant, "")
    return table_html(d)


def summary_html(articles: pd.DataFrame, all_figs: pd.DataFrame, figs: pd.DataFrame,
                 title: str = "") -> str:
    """Heading and one-line summary; says plainly when there are no figures and
    names the files that could not be read."""
    parts = [_STYLE]
    if title:
        parts.append(f"<h1>{esc(title)}</h1>")
    outlets = articles["outlet"].fillna(UNKNOWN_OUTLET).nunique() if len(articles) else 0
    parts.append(
        f"<p>{len(articles)} articles from {outlets} outlets; {len(all_figs)} figures found, "
        f"{len(figs)} kept by the filters of this report.</p>"
    )
    if not len(figs):
        why = ("No figures were found in this corpus." if not len(all_figs)
               else "No figures match the filters of this report.")
        parts.append(f'<p class="kit-note"><b>{esc(why)}</b> The chart and tables below are '
                     "empty.</p>")
    skipped = articles.attrs.get("skipped", []) if hasattr(articles, "attrs") else []
    if skipped:
        lis = "".join(f"<li>{esc(p.get('path'))}: {esc(p.get('reason'))}</li>" for p in skipped)
        parts.append(f'<div class="kit-note">Files skipped:<ul>{lis}</ul></div>')
    problems = articles.attrs.get("problems", []) if hasattr(articles, "attrs") else []
    if problems:
        lis = "".join(f"<li>{esc(p.get('path'))}, line {esc(p.get('line'))}: "
                      f"{esc(p.get('reason'))}</li>" for p in problems)
        parts.append(f'<div class="kit-note">Problems in the corpus metadata:<ul>{lis}</ul></div>')
    return "".join(parts)
