"""Write notebooks/estimates.ipynb and notebooks/explore.ipynb and execute them.

The notebooks are generated so they stay thin (every line calls kit) and so
their cell ids are stable (clean diffs).  They are executed in place on the
seeds with nbclient, exactly as nbval will re-run them, and committed with
their outputs: nbval then compares a fresh run with these outputs.

Usage: .venv/bin/python scripts/make_notebooks.py [--no-execute]
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

NOUNS = ('["troops", "soldiers", "personnel", "forces", "special forces", "recruits",\n'
         '                    "servicemen", "fighters", "mercenaries", "conscripts"]')

COMMON_PARAMETERS = f'''\
corpus: str = "../seeds"  # folder (or file) of articles, relative to this notebook
nouns: list[str] = {NOUNS}  # counted nouns to keep (whole words of the noun phrase, singular or plural); [] keeps all
statuses: list[str] = ["deployed", "planned", "casualties", "supplied", "other"]  # statuses to keep
scale: str = "auto"  # chart axis: "auto" (log when values span more than 10x), "log" or "linear"
'''

LOAD = '''\
import kit
from IPython.display import HTML
from kit import charts, present

charts.enable_static()  # SVG through vl-convert: draws offline, stable for nbval
articles = kit.load_corpus(corpus)
all_figures = kit.figures(articles)
figs = present.numbered(present.select(all_figures, nouns=nouns, statuses=statuses))
HTML(present.summary_html(articles, all_figures, figs, title=title))'''


def md(cid, text, tags=()):
    cell = nbformat.v4.new_markdown_cell(text, id=cid)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def code(cid, text, tags=()):
    cell = nbformat.v4.new_code_cell(text, id=cid)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def notebook(cells):
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def estimates():
    return notebook([
        md("intro", "**Estimates by source.** Who reports which number, on whose word, and "
                    "where do the sources disagree? Change the knobs in the next cell "
                    "(or pass them with `kit report --param NAME=VALUE`).",
           tags=["hide-in-report"]),
        code("parameters", COMMON_PARAMETERS
             + 'title: str = "Estimates by source"  # report title\n', tags=["parameters"]),
        code("load", LOAD),
        md("corpus-md", "## The corpus\n\nOne row per article; *figures* counts the figures "
                        "kept by the filters above."),
        code("corpus", "HTML(present.corpus_html(articles, figs))"),
        md("chart-md", "## Estimates by source\n\nOne band per outlet. Each mark is labelled "
                       "*[citation number] claimant: value*; the number leads to the sentence "
                       "in the citations below."),
        code("chart", "charts.estimates_by_source(figs, scale=scale)"),
        md("citations-md", "## Citations\n\nEvery figure with its sentence; the figure's words "
                           "are highlighted."),
        code("citations", "HTML(present.citations_html(figs))"),
        md("disagree-md", "## Where sources disagree\n\nFor each claimant and status, the "
                          "distinct values and the outlets reporting each. *distinct values* "
                          "above 1 means the numbers differ."),
        code("disagree", "HTML(present.disagreements_html(figs))"),
        md("claims-md", "## Claims across sources\n\nFigures stating the same claim are one "
                        "row: same claimant, status and kind of thing counted "
                        "(`kit/data/noun_families.csv`), and values within 5 % of each other "
                        "(a point inside a wider range stays a separate claim). *best* is the "
                        "value most figures give; *citations* lead to the sentences above."),
        code("claims", "from kit import group\n\n"
                       "claims = kit.claims(figs)\n"
                       "HTML(group.claims_html(claims, figs))"),
        md("discrepancies-md", "## Discrepancies\n\nOne claimant reported with different "
                               "values (*values differ*, or *value changed* when one followed "
                               "the other in time), or one value attributed to different "
                               "claimants (*claimants differ*), with the sentences side by side."),
        code("discrepancies", "HTML(group.discrepancies_html(kit.discrepancies(figs, claims)))"),
        md("timeline-md", "## Estimates over time\n\nOne colour per claimant and status; each "
                          "point is labelled with its citation numbers. When every article has "
                          "the same date the chart groups the values by claimant instead."),
        code("timeline", "charts.timeline(figs, scale=scale)"),
    ])


def explore():
    return notebook([
        md("intro", "# Explore the figures\n\nFilter by outlet, status, claimant, counted noun, "
                    "value and words of the sentence: the chart, the sentence viewer and the "
                    "table update together. Set `widgets = False` to run headless."),
        code("parameters", COMMON_PARAMETERS
             + 'title: str = "Explore the figures"  # heading of the summary\n'
             + "widgets: bool = True  # False when run headless (papermill, CI): static views "
               "instead of widgets\n", tags=["parameters"]),
        code("load", LOAD),
        md("explore-md", "## Filters, chart, sentence and table"),
        code("app", "from kit import explore\n\n"
                    "if widgets:\n"
                    "    explore.App(figs, scale=scale).show()\n"
                    "else:\n"
                    "    display(charts.estimates_by_source(figs, scale=scale))\n"
                    "    display(HTML(present.citations_html(figs)))"),
    ])


def main(argv):
    execute = "--no-execute" not in argv
    for name, build in (("estimates", estimates), ("explore", explore)):
        nb = build()
        if execute:
            NotebookClient(nb, kernel_name="python3", timeout=300,
                           resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
            nb.metadata.pop("widgets", None)  # widget state: random ids, useless offline
        path = NOTEBOOKS / f"{name}.ipynb"
        nbformat.write(nb, path)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
