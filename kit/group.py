"""Claims: the figures that state the same thing, across outlets and days.

A figure row says what one article printed; a *claim* is what someone said,
however many outlets repeated it ("the NIS says about 12,000 will be sent").
``claims(figures)`` groups the figures into claims, in the spirit of the
low / best / high estimates of hand-built conflict datasets (UCDP), each claim
keeping the ids of the figures behind it so every number stays traceable to
its sentence.  ``discrepancies(figures, claims)`` then flags where the sources
disagree.  Both are pure functions on frames (columns in ``kit.schema``).

**The grouping rule.**  Two figures state the same claim when they have

1. the same ``claimant`` (canonical name; "unattributed" groups like a name),
2. the same ``status``,
3. the same noun *family* (``what``): the counted noun phrase is looked up in
   ``kit/data/noun_families.csv`` by its longest listed ending, so "special
   forces soldiers", "troops" and "military personnel" are all ``troops``; a
   noun that is not listed is its own family (its last word, so "shells" and
   "containers" never merge); a figure without a noun falls back to its
   ``kind`` (people, materiel, ...),
4. compatible values: each figure is an interval ``[low, high]`` (a point
   value is ``[v, v]``; "more than 13,000" is ``[13000, open]``; "up to 500"
   is ``[open, 500]``).  Two figures are compatible when the same bounds are
   open, and each given bound agrees within **5 % relative difference**
   (``|a - b| <= 0.05 * max(a, b)``).  So 1,480 and "about 1,500" are one
   claim (1.3 %); 11,800 and 12,000 too; "between 10,000 and 12,000" and
   "10,000 to 12,000" too.  A point is *not* merged into a wider range that
   contains it: "about 12,000" and "between 10,000 and 12,000" are different
   statements (their lower bounds differ by 17 %), so they stay two claims and
   ``discrepancies`` shows them side by side.  A point and a range merge only
   when the whole range is within 5 % of the point ("about 1,500" and
   "1,450–1,520").  Likewise "13,000" and "more than 13,000" stay apart.
   The grouping is greedy and deterministic: values are sorted, and a figure
   joins the first claim whose *first* (smallest) member it is compatible
   with, so no claim spreads further than 5 % by chaining.
5. Vague figures ("thousands of soldiers") have no value: they form their own
   claims, one per claimant, status, family and wording ("thousands",
   "dozens"), with ``low``, ``best`` and ``high`` empty.

**The claim's numbers.**  ``low`` is the smallest stated lower bound (or
value) of its figures, ``high`` the largest upper bound; ``best`` is the point
value stated by the most figures (ties broken by the most outlets, then a value
stated without a hedge over one only said "about" (rounding goes from the precise
number to the round one), then the earliest publication date, then the smaller
value), else (only ranges) the
midpoint of ``low`` and ``high`` rounded down; claims that only give a bound
("more than 13,000") or no number have no ``best``.  The ``value`` label says
"about" when most figures stating ``best`` hedge it ("about 12,000": two of
three said "about"/"around").  ``qualifier`` is
``range`` when any figure gives a range, ``approx`` when any figure hedges or
the values differ by rounding, else ``exact`` (bounds: ``more_than`` unless all
say ``at_least``; ``up_to``; ``vague``).

**Lists in cells.**  ``outlets``, ``nouns`` and ``figure_ids`` are strings
joined with ``"; "`` (outlets sorted case-insensitively, figure ids earliest
first), so the frame exports to CSV, JSON and Parquet as it is.  A missing
outlet counts as one outlet, "unknown outlet".
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd

from kit import schema
from kit.lexicon import DATA, read_table
from kit.present import UNKNOWN_OUTLET, esc, highlight, table_html, value_label

#: Two bounds agree when they differ by at most this share of the larger one.
TOLERANCE = 0.05
SEP = "; "
FAMILIES_FILE = DATA / "noun_families.csv"

_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")


# --------------------------------------------------------------------------- families

@functools.lru_cache(maxsize=8)
def load_families(*paths: Path) -> dict[str, str]:
    """Noun -> family from ``paths`` (first wins) then ``kit/data/noun_families.csv``."""
    out: dict[str, str] = {}
    for path in (*paths, FAMILIES_FILE):
        for row in read_table(Path(path)):
            noun = " ".join(_WORD.findall((row.get("noun") or "").lower()))
            family = (row.get("family") or "").strip().lower()
            if noun and family:
                out.setdefault(noun, family)
    return out


def family(what, kind=None, families: dict[str, str] | None = None) -> str:
    """The family of a counted noun phrase: its longest ending listed in the
    families table, else (also trying the singular/plural of its last word)
    its last word; ``kind`` when there is no noun at all."""
    families = load_families() if families is None else families
    words = _WORD.findall(what.lower()) if isinstance(what, str) else []
    if not words:
        return str(kind) if isinstance(kind, str) and kind else "unknown"
    for i in range(len(words)):
        hit = families.get(" ".join(words[i:]))
        if hit:
            return hit
    last = words[-1]
    for variant in (last[:-1] if last.endswith("s") else last + "s",):
        if variant in families:
            return families[variant]
    return last


# --------------------------------------------------------------------------- grouping

def _close(a, b) -> bool:
    """Both missing, or both given and within TOLERANCE of the larger."""
    if a is None or b is None:
        return a is None and b is None
    top = max(abs(a), abs(b))
    return top == 0 or abs(a - b) <= TOLERANCE * top


def compatible(a: tuple, b: tuple) -> bool:
    """Two (low, high) intervals state the same value (see the module doc)."""
    return _close(a[0], b[0]) and _close(a[1], b[1])


def _num(v):
    return None if v is None or pd.isna(v) else int(v)


def _bounds(low, high, qualifier) -> tuple | None:
    """The (low, high) interval of a figure; None for vague figures."""
    lo, hi = _num(low), _num(high)
    if qualifier == "vague" or (lo is None and hi is None):
        return None
    return (lo, hi)


def _cluster(items: list[tuple[int, tuple]]) -> list[list[int]]:
    """Greedy clustering of (row, interval) pairs: sorted, each joins the first
    cluster whose anchor (first member) it is compatible with."""
    def key(item):
        lo, hi = item[1]
        return (lo if lo is not None else -1, hi if hi is not None else float("inf"), item[0])

    clusters: list[tuple[tuple, list[int]]] = []
    for row, iv in sorted(items, key=key):
        for anchor, members in clusters:
            if compatible(anchor, iv):
                members.append(row)
                break
        else:
            clusters.append((iv, [row]))
    return [members for _, members in clusters]


def _prepared(figures: pd.DataFrame, families: dict[str, str] | None) -> pd.DataFrame:
    f = figures.reset_index(drop=True).copy()
    f["family_"] = [family(w, k, families) for w, k in zip(f["what"], f["kind"])]
    f["outlet_"] = f["outlet"].fillna(UNKNOWN_OUTLET).astype(str)
    f["date_"] = f["published"].astype(object).where(f["published"].notna(), None)
    f["bounds_"] = [_bounds(lo, hi, q) for lo, hi, q in zip(f["low"], f["high"], f["qualifier"])]
    f["vague_"] = [(s or "").strip().lower() if b is None else None
                   for s, b in zip(f["surface"], f["bounds_"])]
    # Figures of a claim, earliest first (undated last), then outlet and position.
    keys = [(d is None, d or "", o.lower(), a, int(st)) for d, o, a, st in
            zip(f["date_"], f["outlet_"], f["article_id"], f["start"])]
    rank = sorted(range(len(f)), key=keys.__getitem__)
    f["order_"] = pd.Series(range(len(f)), index=rank).sort_index().to_numpy()
    return f


def _shape_rank(iv) -> int:
    if iv is None:
        return 3
    lo, hi = iv
    return 0 if lo is not None and hi is not None else (1 if hi is None else 2)


def _claim_row(g: pd.DataFrame) -> dict:
    g = g.sort_values("order_")
    first = g.iloc[0]
    iv = first["bounds_"]
    quals = set(g["qualifier"])
    lows = [b[0] for b in g["bounds_"] if b is not None and b[0] is not None]
    highs = [b[1] for b in g["bounds_"] if b is not None and b[1] is not None]
    low = min(lows) if lows else None
    high = max(highs) if highs else None
    best = None
    best_hedged = False
    if iv is None:
        qualifier = "vague"
        low = high = None
    elif iv[0] is not None and iv[1] is not None:
        points = [(b[0], o, d, q) for b, o, d, q in
                  zip(g["bounds_"], g["outlet_"], g["date_"], g["qualifier"]) if b[0] == b[1]]
        if points:
            tally: dict[int, dict] = {}
            for v, o, d, q in points:
                t = tally.setdefault(v, {"n": 0, "outlets": set(), "first": None, "hedged": 0})
                t["n"] += 1
                t["outlets"].add(o)
                t["hedged"] += q == "approx"
                if d is not None and (t["first"] is None or d < t["first"]):
                    t["first"] = d
            best = min(tally, key=lambda v: (-tally[v]["n"], -len(tally[v]["outlets"]),
                                             tally[v]["hedged"] == tally[v]["n"],
                                             tally[v]["first"] or "9999", v))
            # "about" in the label when most figures stating the best value hedge it.
            best_hedged = tally[best]["hedged"] * 2 > tally[best]["n"]
        else:
            best = (low + high) // 2
        if any(b[0] != b[1] for b in g["bounds_"]):
            qualifier = "range"
        elif "approx" in quals or low != high:
            qualifier = "approx"
        else:
            qualifier = "exact"
    elif iv[1] is None:
        qualifier = "at_least" if quals == {"at_least"} else "more_than"
    else:
        qualifier = "up_to"
    if qualifier == "vague":
        value = first["vague_"] or "unquantified"
    elif qualifier == "range":
        value = value_label(low, high, "range")
    elif qualifier in ("exact", "approx"):
        value = value_label(best, best, "approx" if best_hedged else "exact")
    else:
        value = value_label(low, high, qualifier)
    outlets = sorted(set(g["outlet_"]), key=lambda s: (s.lower(), s))
    dates = sorted(d for d in g["date_"] if d is not None)
    nouns = sorted({w.strip().lower() for w in g["what"].dropna()})
    return {
        "claimant": first["claimant"], "status": first["status"], "what": first["family_"],
        "qualifier": qualifier, "low": low, "best": best, "high": high, "value": value,
        "nouns": SEP.join(nouns) if nouns else None,
        "n_outlets": len(outlets), "outlets": SEP.join(outlets), "n_figures": len(g),
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
        "figure_ids": SEP.join(g["figure_id"]),
        "_sort": (first["claimant"] == "unattributed", first["claimant"].lower(),
                  schema.STATUSES.index(first["status"]) if first["status"] in schema.STATUSES
                  else 99, first["family_"], _shape_rank(iv),
                  low if low is not None else (high if high is not None else 0),
                  high if high is not None else 0, first["vague_"] or ""),
    }


def claims(figures: pd.DataFrame, families: dict[str, str] | None = None) -> pd.DataFrame:
    """Group the figures into claims (one row per claim; see the module doc for
    the rule).  ``families`` maps nouns to families (default: ``load_families()``,
    i.e. ``kit/data/noun_families.csv``).  Returns a frame checked against
    ``kit.schema.CLAIMS``; an empty frame for no figures."""
    if not len(figures):
        return schema.empty("claims")
    f = _prepared(figures, families)
    rows = []
    for _, g in f.groupby(["claimant", "status", "family_"], sort=False, dropna=False):
        numeric = [(i, b) for i, b in zip(g.index, g["bounds_"]) if b is not None]
        for members in _cluster(numeric):
            rows.append(_claim_row(f.loc[members]))
        vague = g[g["bounds_"].isna()]
        for _, v in vague.groupby("vague_", sort=False):
            rows.append(_claim_row(v))
    rows.sort(key=lambda r: r["_sort"])
    out = pd.DataFrame(rows).drop(columns="_sort")
    out.insert(0, "claim_id", [f"C{i}" for i in range(1, len(out) + 1)])
    return schema.conform(out, "claims")


def claim_ids(figures: pd.DataFrame, claims: pd.DataFrame) -> pd.Series:
    """The claim of each figure (a string Series aligned with ``figures``; empty
    for figures the claims frame does not cover)."""
    owner = {fid: cid for cid, ids in zip(claims["claim_id"], claims["figure_ids"])
             for fid in str(ids).split(SEP)}
    return pd.Series([owner.get(fid) for fid in figures["figure_id"]], index=figures.index,
                     dtype="string")


# --------------------------------------------------------------------------- discrepancies

def _claim_bounds(c) -> tuple | None:
    if c["qualifier"] == "vague":
        return None
    if c["qualifier"] in ("exact", "approx"):
        return (_num(c["best"]), _num(c["best"]))
    return (_num(c["low"]), _num(c["high"]))


def _changed_over_time(group: pd.DataFrame) -> bool:
    """True when the claims' date spans follow one another without overlapping."""
    if group["first_published"].isna().any() or group["last_published"].isna().any():
        return False
    g = group.sort_values(["first_published", "last_published"])
    return all(a < b for a, b in zip(g["last_published"].iloc[:-1], g["first_published"].iloc[1:]))


def discrepancies(figures: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Claims that disagree, with the sentences of each side.

    Two kinds of group are flagged (vague claims and "unattributed" are left
    out: they state no number, or nobody to disagree with):

    * **values differ** / **value changed**: one claimant, status and family
      with two or more claims (different values), unless all those figures
      come from a single article (an article giving a total and its parts is
      not a disagreement).  "value changed" when the claims' publication date
      spans follow one another (an estimate that moved over time), "values
      differ" when they overlap or a date is unknown.
    * **claimants differ**: the same status, family and compatible value
      (the claims rule, on each claim's best value or its bounds) attributed
      to two or more claimants: a possible misattribution.

    Returns a long frame (``kit.schema.DISCREPANCIES``): one row per figure of
    every claim in a group, groups numbered D1, D2, ...; the citation number
    ``n`` is filled when ``figures`` were numbered with ``present.numbered``.
    """
    if not len(figures) or not len(claims):
        return schema.empty("discrepancies")
    cl = claims[(claims["qualifier"] != "vague") & (claims["claimant"] != "unattributed")]
    article = dict(zip(figures["figure_id"], figures["article_id"]))
    pos = {cid: i for i, cid in enumerate(claims["claim_id"])}
    by_first = {cid: (d if isinstance(d, str) else None)
                for cid, d in zip(claims["claim_id"], claims["first_published"])}
    groups: list[tuple[str, list[str]]] = []
    for _, g in cl.groupby(["claimant", "status", "what"], sort=False):
        if len(g) < 2:
            continue
        arts = {article.get(fid) for ids in g["figure_ids"] for fid in ids.split(SEP)}
        if len(arts) < 2:
            continue
        issue = "value changed" if _changed_over_time(g) else "values differ"
        order = sorted(g["claim_id"], key=lambda c: (
            by_first[c] is None, by_first[c] or "", pos[c]))
        groups.append((issue, order))
    for _, g in cl.groupby(["status", "what"], sort=False):
        if g["claimant"].nunique() < 2:
            continue
        items = [(i, _claim_bounds(c)) for i, c in g.iterrows()]
        for members in _cluster(items):
            sub = g.loc[members]
            if sub["claimant"].nunique() >= 2:
                groups.append(("claimants differ", sorted(sub["claim_id"], key=pos.__getitem__)))
    if not groups:
        return schema.empty("discrepancies")
    by_id = claims.set_index("claim_id")
    figs = figures.set_index("figure_id", drop=False)
    has_n = "n" in figures.columns
    rows = []
    for k, (issue, ids) in enumerate(groups, 1):
        for cid in ids:
            c = by_id.loc[cid]
            for fid in c["figure_ids"].split(SEP):
                if fid not in figs.index:
                    continue
                r = figs.loc[fid]
                sentence = r["sentence"] if isinstance(r["sentence"], str) else ""
                offset = int(r["start"]) - int(r["sentence_start"])
                if not (0 <= offset <= len(sentence)) or \
                        sentence[offset:offset + len(r["surface"])] != r["surface"]:
                    offset = max(sentence.find(r["surface"]), 0)
                rows.append({
                    "discrepancy_id": f"D{k}", "issue": issue, "claim_id": cid,
                    "claimant": c["claimant"], "status": c["status"], "what": c["what"],
                    "value": c["value"], "figure_id": fid,
                    "n": int(r["n"]) if has_n and not pd.isna(r["n"]) else None,
                    "outlet": r["outlet"] if isinstance(r["outlet"], str) else UNKNOWN_OUTLET,
                    "published": r["published"] if isinstance(r["published"], str) else None,
                    "surface": r["surface"], "sentence": sentence, "offset": offset,
                })
    return schema.conform(pd.DataFrame(rows), "discrepancies")


# --------------------------------------------------------------------------- html

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
        numbers = dict(zip(figures["figure_id"], figures["n"].astype(int)))
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


def discrepancies_html(disc: pd.DataFrame) -> str:
    """Each discrepancy as a heading and one column per claim, side by side,
    listing its figures' outlets, dates and sentences (figure words marked).
    Everything from the articles is escaped."""
    if not len(disc):
        return table_html(disc, empty="No discrepancies: no claimant is reported with different "
                                      "values, and no value is attributed to different claimants.")
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
                cite = f"[{int(r['n'])}] " if not pd.isna(r["n"]) else ""
                s = int(r["offset"])
                when = f", {esc(r['published'])}" if isinstance(r["published"], str) else ""
                items.append(f"<li>{esc(cite)}<b>{esc(r['outlet'])}</b>{when}: "
                             f"<q>{highlight(r['sentence'], s, s + len(r['surface']))}</q></li>")
            sides.append(f'<div class="kit-side"><b>{esc(cid)} · {esc(c.iloc[0]["claimant"])}: '
                         f'{esc(c.iloc[0]["value"])}</b><ul>{"".join(items)}</ul></div>')
        parts.append(f'<div class="kit-disc"><h4>{esc(did)} · {esc(first["issue"])} · {head}'
                     f'</h4><div class="kit-sides">{"".join(sides)}</div></div>')
    return "".join(parts)
