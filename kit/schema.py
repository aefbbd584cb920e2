"""Column contracts for the kit's frames.

Every stage returns a frame whose columns, dtypes and meanings are written down
here, so notebooks, exports and tests can rely on them.  ``check`` enforces the
contract at the boundary of each stage: a wrong frame fails loudly where it is
made, not three cells later in a chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # "str", "Int64", "int64", "bool", "Float64"
    meaning: str
    nullable: bool = True
    #: the value of a column a frame may lack (it is filled in): a column added after the
    #: stage that builds the frame (figures.reviewed, set by kit.review)
    default: str | None = None


ARTICLES = (
    Column("article_id", "str", "stable id: file stem (or stem + hash when stems clash)", False),
    Column("path", "str", "path of the source file as given", False),
    Column("outlet", "str", "publication name (sources.csv, outlet line or URL domain)"),
    Column("title", "str", "headline"),
    Column("byline", "str", "author(s) as written"),
    Column("published", "str", "publication date, ISO YYYY-MM-DD"),
    Column("url", "str", "original URL of the article"),
    Column("encoding", "str", "encoding the file was decoded with", False),
    Column("text", "str", "the article text exactly as loaded; all offsets point into it", False),
)

SENTENCES = (
    Column("article_id", "str", "the article", False),
    Column("sentence_id", "int64", "0-based position of the sentence in its article", False),
    Column("start", "int64", "offset of the sentence's first character in the article text", False),
    Column("end", "int64", "offset one past its last character", False),
    Column("text", "str", "text[start:end] of the article", False),
    Column("boilerplate", "bool", "page furniture (pitch, caption, navigation): never a source of figures", False),
    Column("boilerplate_cue", "str", "which cue of boilerplate.csv marked it"),
)

FIGURES = (
    Column("figure_id", "str", "article_id + ':' + start; stable across runs", False),
    Column("article_id", "str", "the article", False),
    Column("path", "str", "source file", False),
    Column("outlet", "str", "publication name"),
    Column("published", "str", "publication date, ISO"),
    Column("url", "str", "article URL"),
    Column("start", "int64", "offset of the figure's words in the article text", False),
    Column("end", "int64", "offset one past them", False),
    Column("surface", "str", "text[start:end]", False),
    Column("low", "Int64", "lower bound or value; empty for up_to and vague"),
    Column("high", "Int64", "upper bound or value; empty for more_than, at_least and vague"),
    Column("qualifier", "str", "exact, approx, more_than, at_least, up_to, range or vague", False),
    Column("what", "str", "the counted noun phrase as written"),
    Column("kind", "str", "family of the counted noun (counted_nouns.csv): people, materiel, ...", False),
    Column("status", "str", "deployed, planned, casualties, supplied or other", False),
    Column("measure", "str", "what the figure measures, so that only like is compared with like: "
           "dead, injured, missing, captured, evacuated, displaced, crowd, deployed forces, "
           "planned forces, supplied items, cases or other (kit/data/measures.csv: from the "
           "counted noun, the status and kind, and the words near the figure)", False),
    Column("claimant", "str", "canonical name of who the figure is attributed to, or 'unattributed'", False),
    Column("claimant_text", "str", "the words naming the claimant, as written"),
    Column("confidence", "str", "high, medium or low: how sure the kit is of the figure's "
           "fields (high: no reason to doubt; medium: one; low: two or more, or an ambiguous "
           "number form)", False),
    Column("confidence_reasons", "str", "why the figure is not high confidence, '; '-separated "
           "(claimant from another sentence or resolved from a role noun or pronoun, counted "
           "noun inferred, status from a distant cue, number form ambiguous)"),
    Column("sentence_id", "int64", "the sentence in the sentences frame", False),
    Column("sentence", "str", "the sentence the figure comes from", False),
    Column("sentence_start", "int64", "offset of the sentence in the article text", False),
    Column("sentence_end", "int64", "offset one past the sentence", False),
    Column("reviewed", "str", "what an analyst's review made of the figure (corrections.csv, "
           "kit.review): kit (not reviewed), accepted, corrected or added (a figure the kit "
           "missed)", False, default="kit"),
)

CLAIMS = (
    Column("claim_id", "str", "C1, C2, ...: position in the claims frame (sorted by claimant, status, "
           "measure, what, value); stable for the same figures", False),
    Column("claimant", "str", "canonical name of who the claim is attributed to, or 'unattributed'", False),
    Column("status", "str", "deployed, planned, casualties, supplied or other", False),
    Column("measure", "str", "what its figures measure (figures.measure): one claim never mixes "
           "two measures", False),
    Column("what", "str", "family of the counted nouns (noun_families.csv): troops, containers, ...", False),
    Column("qualifier", "str", "exact, approx (any figure hedged or the values differ), range, "
           "more_than, at_least, up_to or vague", False),
    Column("low", "Int64", "smallest stated lower bound or value; empty for up_to and vague"),
    Column("best", "Int64", "the value stated by the most figures (ties: most outlets, unhedged, "
           "earliest, smaller); else the midpoint of low and high; empty for bounds and vague"),
    Column("high", "Int64", "largest stated upper bound or value; empty for more_than, at_least, vague"),
    Column("value", "str", "the claim as a reader says it: 'about 12,000', '10,000–12,000'", False),
    Column("nouns", "str", "the counted nouns as written, lower-cased, sorted, '; '-joined"),
    Column("n_outlets", "int64", "number of distinct outlets reporting it ('unknown outlet' is one)", False),
    Column("outlets", "str", "the outlets, sorted case-insensitively, '; '-joined", False),
    Column("n_figures", "int64", "number of figures (reported numbers) behind it", False),
    Column("first_published", "str", "earliest publication date of those figures, ISO"),
    Column("last_published", "str", "latest publication date, ISO"),
    Column("figure_ids", "str", "the figures behind it, earliest first, '; '-joined", False),
)

DISCREPANCIES = (
    Column("discrepancy_id", "str", "D1, D2, ...: one group of claims that disagree", False),
    Column("issue", "str", "'values differ', 'value changed' (same claimant, dates do not overlap) "
           "or 'claimants differ' (same value, different claimants)", False),
    Column("claim_id", "str", "the claim this row's figure belongs to", False),
    Column("claimant", "str", "the claim's claimant", False),
    Column("status", "str", "the claim's status", False),
    Column("measure", "str", "the claim's measure: a discrepancy compares one measure only", False),
    Column("what", "str", "the claim's noun family", False),
    Column("value", "str", "the claim's value label", False),
    Column("figure_id", "str", "one figure of the claim", False),
    Column("outlet", "str", "outlet of the figure ('unknown outlet' when not known)", False),
    Column("published", "str", "publication date of the figure"),
    Column("surface", "str", "the figure's words", False),
    Column("sentence", "str", "its sentence", False),
    Column("offset", "int64", "where the figure's words start in the sentence", False),
)

COMPARISON = (
    Column("measure", "str", "what is measured (figures.measure): one comparison per measure", False),
    Column("what", "str", "the noun family of the claims compared (claims.what)", False),
    Column("date", "str", "a publication date, ISO: one on which some claimant of this measure "
           "and family was reported", False),
    Column("claimant", "str", "who the value is attributed to (claims.claimant); 'unattributed' "
           "only where no named claimant reports this measure and family", False),
    Column("claim_id", "str", "the claim the value belongs to", False),
    Column("value", "str", "the claimant's latest value as of this date, as a reader says it", False),
    Column("low", "Int64", "the claim's low (claims.low)"),
    Column("best", "Int64", "the claim's best value (claims.best)"),
    Column("high", "Int64", "the claim's high (claims.high)"),
    Column("qualifier", "str", "the claim's qualifier", False),
    Column("carried", "bool", "true when the claimant was not reported on this date: its latest "
           "earlier value is carried forward", False),
    Column("reported", "str", "the date this value was last reported (the date itself unless "
           "carried)", False),
    Column("figure_ids", "str", "the claim's figures published up to this date, earliest first, "
           "'; '-joined: the citations of the value", False),
    Column("outlets", "str", "the outlets of those figures, sorted case-insensitively, "
           "'; '-joined", False),
    Column("also", "str", "other values the claimant was reported to give on the day of "
           "``reported`` (another outlet's figure), '; '-joined; empty when none"),
)

#: How a missing outlet is shown and counted ("unknown outlet" is one outlet).
UNKNOWN_OUTLET = "unknown outlet"
QUALIFIERS = ("exact", "approx", "more_than", "at_least", "up_to", "range", "vague")
STATUSES = ("deployed", "planned", "casualties", "supplied", "other")
#: What a review made of a figure (figures.reviewed).
REVIEWED = ("kit", "accepted", "corrected", "added")
#: What a figure measures (figures.measure, from kit/data/measures.csv).
MEASURES = ("dead", "injured", "missing", "captured", "evacuated", "displaced", "crowd",
            "deployed forces", "planned forces", "supplied items", "cases", "other")

SCHEMAS = {"articles": ARTICLES, "sentences": SENTENCES, "figures": FIGURES, "claims": CLAIMS,
           "discrepancies": DISCREPANCIES, "comparison": COMPARISON}


class SchemaError(ValueError):
    """A frame does not match its contract."""


#: The dtype of text columns: pandas' string dtype whose missing value is <NA> (pandas 3's
#: default str dtype uses NaN instead; a frame must not mix the two).
STRING = pd.StringDtype(na_value=pd.NA)


def empty(name: str) -> pd.DataFrame:
    """An empty frame with the right columns and dtypes."""
    return conform(pd.DataFrame({c.name: [] for c in SCHEMAS[name]}), name)


def _defaults(columns, name: str, rows: int) -> dict:
    """The columns of schema ``name`` that ``columns`` lacks and that have a default."""
    return {c.name: [c.default] * rows for c in SCHEMAS[name]
            if c.name not in columns and c.default is not None}


def conform(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Order columns as in the schema and cast them to its dtypes (a missing column with a
    default is filled with it)."""
    cols = SCHEMAS[name]
    filled = _defaults(frame.columns, name, len(frame))
    if filled:
        frame = frame.assign(**filled)
    missing = [c.name for c in cols if c.name not in frame.columns]
    if missing:
        raise SchemaError(f"{name} frame lacks columns {missing}")
    out = frame[[c.name for c in cols]].copy()
    for c in cols:
        if c.dtype == "str":
            if out[c.name].dtype != STRING:
                # missing values of any kind (None, NaN, NA) become <NA>; others are str()
                out[c.name] = pd.array(out[c.name].tolist(), dtype=STRING)
        else:
            out[c.name] = out[c.name].astype(c.dtype)
    return check(out, name)


def from_columns(columns: dict[str, list], name: str) -> pd.DataFrame:
    """A frame of schema ``name`` built straight from column lists, each cast once to its
    dtype (what ``conform(pd.DataFrame(columns), name)`` gives, without the object detour)."""
    rows = len(next(iter(columns.values()))) if columns else 0
    columns = {**columns, **_defaults(columns, name, rows)}
    missing = [c.name for c in SCHEMAS[name] if c.name not in columns]
    if missing:
        raise SchemaError(f"{name} frame lacks columns {missing}")
    data = {c.name: pd.array(columns[c.name], dtype=STRING if c.dtype == "str" else c.dtype)
            for c in SCHEMAS[name]}
    return check(pd.DataFrame(data), name)


def _only(frame: pd.DataFrame, name: str, column: str, allowed: tuple[str, ...]) -> None:
    bad = frame[column][~frame[column].isin(allowed)]
    if len(bad):
        raise SchemaError(f"{name}.{column} has unknown values {sorted(set(bad))}")


def check(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Return ``frame`` unchanged if it honours the schema ``name``, else raise SchemaError."""
    cols = SCHEMAS[name]
    names = [c.name for c in cols]
    if list(frame.columns[: len(names)]) != names:
        raise SchemaError(f"{name} frame columns {list(frame.columns)} != {names}")
    for c in cols:
        s = frame[c.name]
        if c.dtype == "str":
            ok = pd.api.types.is_string_dtype(s.dtype)
        else:
            ok = str(s.dtype) == c.dtype
        if not ok:
            raise SchemaError(f"{name}.{c.name} has dtype {s.dtype}, expected {c.dtype}")
        if not c.nullable and s.isna().any():
            raise SchemaError(f"{name}.{c.name} must not be empty ({int(s.isna().sum())} rows are)")
    if name == "claims" and len(frame):
        _only(frame, name, "status", STATUSES)
        _only(frame, name, "qualifier", QUALIFIERS)
        _only(frame, name, "measure", MEASURES)
        for a, b in (("low", "best"), ("best", "high"), ("low", "high")):
            both = frame[a].notna() & frame[b].notna()
            if (frame.loc[both, a] > frame.loc[both, b]).any():
                raise SchemaError(f"claims: {a} > {b} in some rows")
        if not frame["claim_id"].is_unique:
            raise SchemaError("claims.claim_id must be unique")
        if (frame["n_figures"] < 1).any() or (frame["n_outlets"] < 1).any():
            raise SchemaError("claims: every claim needs at least one figure and one outlet")
    if name in ("discrepancies", "comparison") and len(frame):
        _only(frame, name, "measure", MEASURES)
    if name == "figures" and len(frame):
        _only(frame, name, "qualifier", QUALIFIERS)
        _only(frame, name, "status", STATUSES)
        _only(frame, name, "measure", MEASURES)
        _only(frame, name, "reviewed", REVIEWED)
        both = frame["low"].notna() & frame["high"].notna()
        if (frame.loc[both, "low"] > frame.loc[both, "high"]).any():
            raise SchemaError("figures: low > high in some rows")
    return frame


def describe(name: str) -> pd.DataFrame:
    """The schema as a frame: column, dtype, meaning (for notebooks and docs)."""
    return pd.DataFrame([(c.name, c.dtype, c.meaning) for c in SCHEMAS[name]],
                        columns=["column", "dtype", "meaning"])
