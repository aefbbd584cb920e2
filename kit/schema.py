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
    Column("claimant", "str", "canonical name of who the figure is attributed to, or 'unattributed'", False),
    Column("claimant_text", "str", "the words naming the claimant, as written"),
    Column("sentence_id", "int64", "the sentence in the sentences frame", False),
    Column("sentence", "str", "the sentence the figure comes from", False),
    Column("sentence_start", "int64", "offset of the sentence in the article text", False),
    Column("sentence_end", "int64", "offset one past the sentence", False),
)

QUALIFIERS = ("exact", "approx", "more_than", "at_least", "up_to", "range", "vague")
STATUSES = ("deployed", "planned", "casualties", "supplied", "other")

SCHEMAS = {"articles": ARTICLES, "sentences": SENTENCES, "figures": FIGURES}


class SchemaError(ValueError):
    """A frame does not match its contract."""


def empty(name: str) -> pd.DataFrame:
    """An empty frame with the right columns and dtypes."""
    return conform(pd.DataFrame({c.name: [] for c in SCHEMAS[name]}), name)


def conform(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Order columns as in the schema and cast them to its dtypes."""
    cols = SCHEMAS[name]
    missing = [c.name for c in cols if c.name not in frame.columns]
    if missing:
        raise SchemaError(f"{name} frame lacks columns {missing}")
    out = frame[[c.name for c in cols]].copy()
    for c in cols:
        if c.dtype == "str":
            s = out[c.name].astype(object)
            out[c.name] = s.where(s.notna(), None).astype("string")
        else:
            out[c.name] = out[c.name].astype(c.dtype)
    return check(out, name)


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
    if name == "figures" and len(frame):
        bad = frame["qualifier"][~frame["qualifier"].isin(QUALIFIERS)]
        if len(bad):
            raise SchemaError(f"figures.qualifier has unknown values {sorted(set(bad))}")
        bad = frame["status"][~frame["status"].isin(STATUSES)]
        if len(bad):
            raise SchemaError(f"figures.status has unknown values {sorted(set(bad))}")
        both = frame["low"].notna() & frame["high"].notna()
        if (frame.loc[both, "low"] > frame.loc[both, "high"]).any():
            raise SchemaError("figures: low > high in some rows")
    return frame


def describe(name: str) -> pd.DataFrame:
    """The schema as a frame: column, dtype, meaning (for notebooks and docs)."""
    return pd.DataFrame([(c.name, c.dtype, c.meaning) for c in SCHEMAS[name]],
                        columns=["column", "dtype", "meaning"])
