"""Tables for notebooks and reports: pure functions from frames to frames (and their HTML).

``numbered`` gives every figure a citation number ``n`` in a fixed order
(outlet, date, article, offset); the chart's labels and the citation list
both use it, so "[3]" on a mark is item 3 of the citations.  ``select`` is the
filter behind the report's parameters and the explore app's widgets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from kit.present.html import STYLE, esc, table_html
from kit.schema import UNKNOWN_OUTLET

#: The kinds of counted noun the reports keep by default: figures about people
#: (counted_nouns.csv: forces are people in arms; materiel and units are not people).
PEOPLE_KINDS = ("people", "forces")
#: Nouns that count people under arms (the troops story folder's report filter).
PEOPLE_NOUNS = (
    "troops", "soldiers", "personnel", "forces", "special forces", "recruits",
    "servicemen", "service members", "fighters", "combatants", "mercenaries",
    "conscripts", "reservists", "volunteers", "officers", "workers", "men",
)
_ORDER = ["outlet_key", "published", "article_id", "start"]


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
    kinds: Iterable[str] | None = None,
    measures: Iterable[str] | None = None,
    outlets: Iterable[str] | None = None,
    claimants: Iterable[str] | None = None,
    min_value: float | None = None,
    max_value: float | None = None,
    text: str | None = None,
    reviewed_only: bool = False,
) -> pd.DataFrame:
    """Keep the figures matching every given filter (``None`` or empty = no filter).

    ``nouns`` match whole words of the counted noun phrase (``what``), singular or
    plural; ``kinds`` the family of the counted noun (``kind``: people, forces,
    materiel, units); ``measures`` what the figure measures (``measure``: dead, crowd, ...); ``min_value``/``max_value`` keep figures whose stated interval
    overlaps them (vague figures have no value and are kept only without a value
    filter); ``text`` is a case-insensitive search in the sentence and surface;
    ``reviewed_only``: the figures an analyst accepted, corrected or added.
    """
    keep = pd.Series(True, index=figs.index)
    pattern = _noun_pattern(nouns or [])
    if pattern is not None:
        keep &= figs["what"].fillna("").map(lambda s: bool(pattern.search(s))).astype(bool)
    if statuses:
        keep &= figs["status"].isin(list(statuses))
    if kinds:
        keep &= figs["kind"].isin(list(kinds))
    if measures:
        keep &= figs["measure"].isin(list(measures))
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
    if reviewed_only:
        keep &= figs["reviewed"] != "kit"
    if text:
        needle = text.casefold()
        hay = figs["sentence"].fillna("") + "\n" + figs["surface"].fillna("")
        keep &= hay.map(lambda s: needle in s.casefold()).astype(bool)
    return figs[keep.astype(bool)]


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


def corpus_html(articles: pd.DataFrame, figs: pd.DataFrame, *, by_outlet: bool = False) -> str:
    """The corpus table (one row per article; ``by_outlet``: one per outlet, for a
    summarised report) as escaped HTML."""
    if by_outlet:
        from kit.present.summary import by_outlet as outlets

        return table_html(outlets(articles, figs), empty="The corpus holds no articles.")
    return table_html(corpus_frame(articles, figs), empty="The corpus holds no articles.")


def filtered_out(figs: pd.DataFrame, *, kinds: Iterable[str] | None = None,
                 nouns: Iterable[str] | None = None,
                 statuses: Iterable[str] | None = None,
                 count: str | None = None) -> pd.DataFrame:
    """Why the report's filters drop figures: one row per filter that drops any, in the
    order they apply (kinds, nouns, statuses), with how many figures it drops (of those
    the filters before it kept) and the most frequent nouns (statuses) it drops.
    ``count``: the column saying how many figures each row stands for (rows of the same
    values, in the order of their first figure), else one each."""
    rows = []
    left = figs
    for name, values, column in (("kinds", kinds, "what"), ("nouns", nouns, "what"),
                                 ("statuses", statuses, "status")):
        if not values:
            continue
        kept = select(left, **{name: values})
        dropped = left.loc[left.index.difference(kept.index)]
        if len(dropped):
            words = dropped[column].fillna("(no noun)").astype(str).str.lower()
            seen = words.value_counts() if count is None else \
                dropped[count].groupby(words.to_numpy(), sort=False).sum().sort_values(
                    ascending=False, kind="stable")
            shown = ", ".join(f"{v} {n}" for v, n in seen.head(6).items())
            if len(seen) > 6:
                shown += f", and {len(seen) - 6} more noun(s): {int(seen.iloc[6:].sum())}"
            rows.append({"filter": name, "keeps": ", ".join(values),
                         "dropped": len(dropped) if count is None else
                         int(dropped[count].sum()), "examples": shown})
        left = kept
    return pd.DataFrame(rows, columns=["filter", "keeps", "dropped", "examples"])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def review_counts(all_figs: pd.DataFrame, count: str | None = None) -> dict:
    """What ``review_html`` says of ``all_figs``: how many figures, how many an analyst
    accepted, corrected or added, how many the kit left as found, and how many were
    rejected (a small dict: the summary tables of an archive keep it).  ``count``: as
    for ``filtered_out``."""
    if count is None:
        counts = all_figs["reviewed"].value_counts() if len(all_figs) else \
            pd.Series(dtype="int64")
    else:
        counts = all_figs.groupby("reviewed")[count].sum()
    found = len(all_figs) if count is None else int(all_figs[count].sum())
    return {"figures": int(found), "rejected": int(all_figs.attrs.get("rejected", 0)),
            **{k: int(counts.get(k, 0)) for k in ("kit", "accepted", "corrected", "added")}}


def review_html(all_figs: pd.DataFrame | dict, reviewed_only: bool = False,
                stale: list | None = None) -> str:
    """How many figures an analyst reviewed (kit.review), and each correction that could
    not be applied with its reason; nothing when there was no review.  ``all_figs``: the
    figures, or their ``review_counts`` (then ``stale``: the corrections not applied)."""
    if isinstance(all_figs, pd.DataFrame):
        stale = all_figs.attrs.get("stale_corrections", [])
        all_figs = review_counts(all_figs)
    counts, stale = all_figs, stale or []
    rejected = counts["rejected"]
    done = counts["figures"] - counts["kit"]
    if not done and not rejected and not stale:
        return '<p class="kit-note"><b>Showing reviewed figures only: none was ' \
            'reviewed.</b></p>' if reviewed_only else ""
    parts = [f'<p class="kit-review">{done} of {_plural(counts["figures"], "figure")} reviewed by '
             f'an analyst ({counts["accepted"]} accepted, '
             f'{counts["corrected"]} corrected, {counts["added"]} added; '
             f'{rejected} rejected and left out)'
             + ("; this report shows the reviewed figures only." if reviewed_only else
                "; unreviewed figures are marked <i>not reviewed</i> in the citations.")
             + "</p>"]
    if stale:
        lis = "".join(f"<li>{esc(p.get('message'))}</li>" for p in stale)
        parts.append(f'<div class="kit-note">Corrections not applied:<ul>{lis}</ul></div>')
    return "".join(parts)


def summary_counts(articles: pd.DataFrame, all_figs: pd.DataFrame, figs: pd.DataFrame | int,
                   filters: dict | None = None, count: str | None = None) -> dict:
    """The numbers ``summary_html`` shows (a small dict, JSON-ready): articles, outlets,
    figures found and kept (``figs``: the figures kept, or how many), the review counts and
    what each filter dropped.  ``count``: as for ``filtered_out``."""
    dropped = filtered_out(all_figs, **(filters or {}), count=count) if len(all_figs) else None
    review = review_counts(all_figs, count)
    return {"articles": int(len(articles)),
            "outlets": int(articles["outlet"].fillna(UNKNOWN_OUTLET).nunique())
            if len(articles) else 0,
            "found": review["figures"], "kept": int(figs if isinstance(figs, int) else len(figs)),
            "review": review,
            "dropped": [] if dropped is None else
            [{k: (int(v) if k == "dropped" else str(v)) for k, v in r.items()}
             for r in dropped.to_dict("records")]}


def summary_html(articles: pd.DataFrame, all_figs: pd.DataFrame, figs: pd.DataFrame,
                 title: str = "", filters: dict | None = None,
                 reviewed_only: bool = False) -> str:
    """Heading and one-line summary; says plainly when there are no figures, what the
    report's ``filters`` (``{"kinds": [...], "nouns": [...], "statuses": [...]}``, as
    given to ``select``) dropped and why, how many figures were reviewed
    (``review_html``), and names the files that could not be read."""
    return counts_html(summary_counts(articles, all_figs, figs, filters), title=title,
                       reviewed_only=reviewed_only,
                       skipped=articles.attrs.get("skipped", []),
                       problems=articles.attrs.get("problems", []),
                       stale=all_figs.attrs.get("stale_corrections", []))


def counts_html(counts: dict, *, title: str = "", reviewed_only: bool = False,
                skipped: list | None = None, problems: list | None = None,
                stale: list | None = None) -> str:
    """``summary_html`` from its ``summary_counts`` and the files ``skipped``, the
    metadata ``problems`` and the corrections not applied (``stale``)."""
    parts = [STYLE]
    if title:
        parts.append(f"<h1>{esc(title)}</h1>")
    found, kept = counts["found"], counts["kept"]
    parts.append(
        f"<p>{_plural(counts['articles'], 'article')} from {_plural(counts['outlets'], 'outlet')}; "
        f"{found} figures found, "
        f"{kept} kept by the filters of this report.</p>"
    )
    parts.append(review_html(counts["review"], reviewed_only, stale))
    dropped = counts["dropped"]
    if dropped:
        lis = "".join(f"<li><code>{esc(r['filter'])}</code> = {esc(r['keeps'])}: dropped "
                      f"{r['dropped']} ({esc(r['examples'])})</li>" for r in dropped)
        parts.append(f'<div class="kit-note">Filtered out, by parameter:<ul>{lis}</ul></div>')
    if not kept:
        if not found:
            why = "No figures were found in this corpus."
        elif dropped:
            last = dropped[-1]
            why = (f"{found} figures found, none about the {last['filter']} "
                   f"{last['keeps']}: set `{last['filter']}` (an empty list keeps all).")
        else:
            why = "No figures match the filters of this report."
        parts.append(f'<p class="kit-note"><b>{esc(why)}</b> The chart and tables below are '
                     "empty.</p>")
    if skipped:
        lis = "".join(f"<li>{esc(p.get('path'))}: {esc(p.get('reason'))}</li>" for p in skipped)
        parts.append(f'<div class="kit-note">Files skipped:<ul>{lis}</ul></div>')
    if problems:
        lis = "".join(f"<li>{esc(p.get('path'))}, line {esc(p.get('line'))}: "
                      f"{esc(p.get('reason'))}</li>" for p in problems)
        parts.append(f'<div class="kit-note">Problems in the corpus metadata:<ul>{lis}</ul></div>')
    return "".join(parts)
