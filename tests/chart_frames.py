"""Small figures frames with an explicit ``measure`` column, for the timeline and chart
description tests (they pin the presentation, not the extractor).  They work whether or
not the schema of the kit already has ``measure``."""

from __future__ import annotations

import pandas as pd

from kit.schema import conform

# outlet, published, low, high, qualifier, what, status, measure, claimant
Row = tuple


def figures_with_measures(rows: list[Row]) -> pd.DataFrame:
    """A schema-conform figures frame (citation order = row order) with a measure column."""
    recs = []
    for i, (outlet, published, low, high, q, what, status, measure, claimant) in enumerate(rows):
        surface = f"{low or high or 'some'} {what}"
        sentence = f"{claimant} said {surface} were counted."
        recs.append({
            "figure_id": f"a{i}:0", "article_id": f"a{i}", "path": f"a{i}.txt",
            "outlet": outlet, "published": published, "url": None, "start": 0,
            "end": len(surface), "surface": surface, "low": low, "high": high,
            "qualifier": q, "what": what, "kind": "people", "status": status,
            "measure": measure, "claimant": claimant, "claimant_text": None,
            "confidence": "high", "confidence_reasons": None,
            "sentence_id": 0, "sentence": sentence, "sentence_start": 0,
            "sentence_end": len(sentence),
        })
    frame = pd.DataFrame(recs)
    out = conform(frame, "figures")
    if "measure" not in out.columns:  # before the schema knew measures
        out = out.assign(measure=pd.array(frame["measure"].tolist(), dtype="string"))
    return out


#: A toll over four days: two claimants each give dead and injured counts, unattributed
#: figures of both measures on several days (points only), a range, a vague figure.
TOLL = [
    ("Wire", "2030-05-01", 10, 10, "exact", "people", "casualties", "dead", "Health Ministry"),
    ("Wire", "2030-05-01", 40, 40, "exact", "people", "casualties", "injured", "Health Ministry"),
    ("Post", "2030-05-02", 25, 25, "exact", "people", "casualties", "dead", "Health Ministry"),
    ("Post", "2030-05-02", 90, 90, "approx", "people", "casualties", "injured", "Health Ministry"),
    ("Post", "2030-05-02", 30, 30, "exact", "people", "casualties", "dead", "Red Cross"),
    ("Times", "2030-05-03", 31, 31, "exact", "people", "casualties", "dead", "Red Cross"),
    ("Times", "2030-05-03", 50, 60, "range", "people", "casualties", "dead", "Red Cross"),
    ("Times", "2030-05-04", 57, 57, "exact", "people", "casualties", "dead", "Health Ministry"),
    ("Wire", "2030-05-01", 12, 12, "exact", "people", "casualties", "dead", "unattributed"),
    ("Post", "2030-05-03", 45, 45, "exact", "people", "casualties", "dead", "unattributed"),
    ("Times", "2030-05-04", 100, 100, "exact", "people", "casualties", "injured", "unattributed"),
    ("Times", "2030-05-04", None, None, "vague", "people", "casualties", "dead", "unattributed"),
]
