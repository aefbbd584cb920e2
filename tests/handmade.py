"""Hand-made figures frames for unit tests that must not depend on extraction.

``seeds_like()`` rebuilds the seeds' expected figures (the values, qualifiers,
statuses and claimants of the hand-labelled seed figures, inlined here) with crude
sentences, so chart and table tests pin the presentation, not the extractor.
"""

from __future__ import annotations

import pandas as pd

from kit.schema import conform

MEASURE_OF_STATUS = {"deployed": "deployed forces", "planned": "planned forces",
                     "supplied": "supplied items", "casualties": "dead"}

ROWS = [
    # outlet, article, start, surface, low, high, qualifier, what, status, claimant, sentence
    ("The Moscow Times", "000", 245, "thousands of soldiers", None, None, "vague", "soldiers",
     "deployed", "unattributed", "Pyongyang sent thousands of soldiers to fight."),
    ("The Moscow Times", "000", 413, "Around 1,500", 1500, 1500, "approx",
     "special forces soldiers", "deployed", "NIS (South Korea)",
     "Around 1,500 North Korean special forces soldiers have been stationed in Russia."),
    ("The Moscow Times", "000", 2642, "more than 13,000", 13000, None, "more_than", "containers",
     "supplied", "NIS (South Korea)", "North Korea has shipped more than 13,000 containers."),
    ("AFP", "001", 594, "About 1,500", 1500, 1500, "approx", "special forces soldiers",
     "deployed", "NIS (South Korea)", "About 1,500 special forces soldiers are in Russia."),
    ("The Kyiv Independent", "002", 1124, "between 10,000 and 12,000", 10000, 12000, "range",
     "military personnel", "planned", "NIS (South Korea)",
     "North Korea will send between 10,000 and 12,000 military personnel."),
    ("The Kyiv Independent", "002", 2077, "12,000 soldiers", 12000, 12000, "exact", "soldiers",
     "planned", "NIS (South Korea)", "In total 12,000 soldiers are expected."),
    ("The Kyiv Independent", "002", 2803, "10,000 soldiers", 10000, 10000, "exact", "soldiers",
     "planned", "Zelensky", "Zelensky said 10,000 soldiers were being prepared."),
    ("The Guardian", "004", 1476, "1,500 special forces personnel", 1500, 1500, "exact",
     "special forces personnel", "deployed", "NIS (South Korea)",
     "It said 1,500 special forces personnel had arrived."),
    ("The Guardian", "004", 1711, "about 12,000 special forces", 12000, 12000, "approx",
     "special forces", "planned", "NIS (South Korea)",
     "Up to about 12,000 special forces will follow."),
]


def figures_frame(rows=ROWS, url="https://example.org/a", extra=None) -> pd.DataFrame:
    """A schema-conform figures frame from compact tuples (sentence at offset 0)."""
    recs = []
    for outlet, art, start, surface, low, high, q, what, status, claimant, sentence in rows:
        i = sentence.find(surface)
        i = max(i, 0)
        recs.append({
            "figure_id": f"{art}:{start}", "article_id": art, "path": f"{art}.txt",
            "outlet": outlet, "published": "2024-10-21", "url": url,
            "start": start, "end": start + len(surface), "surface": surface,
            "low": low, "high": high, "qualifier": q, "what": what, "kind":
            "materiel" if what == "containers" else "people", "status": status,
            "claimant": claimant, "claimant_text": None, "confidence": "high",
            "confidence_reasons": None, "sentence_id": 0,
            "sentence": sentence, "sentence_start": start - i,
            "sentence_end": start - i + len(sentence),
        })
    frame = pd.DataFrame(recs, columns=[
        "figure_id", "article_id", "path", "outlet", "published", "url", "start", "end",
        "surface", "low", "high", "qualifier", "what", "kind", "status", "claimant",
        "claimant_text", "confidence", "confidence_reasons", "sentence_id", "sentence",
        "sentence_start", "sentence_end"])
    # what kit.figures derives for forces and materiel (the rows' kinds are crude)
    frame["measure"] = frame["status"].map(MEASURE_OF_STATUS).fillna("other")
    if extra:
        frame = frame.assign(**extra)
    return conform(frame, "figures")


def seeds_like() -> pd.DataFrame:
    return figures_frame()


HOSTILE = ("Officials said <script>alert(1)</script> that 1,500 troops</script><script>"
           "alert(2)</script> arrived <img src=x onerror=alert(3)>.")


def hostile_frame():
    """One figure whose every string is markup or script (and a javascript: URL)."""
    rows = [("<b>Evil</b> Times", "666", 100, "1,500 troops", 1500, 1500, "exact", "troops",
             "deployed", "<script>alert(4)</script>", HOSTILE)]
    return figures_frame(rows, url="javascript:alert(5)")
