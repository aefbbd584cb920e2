"""The report pages: a self-contained, script-free HTML page per notebook, and the index.

The HTML is static: charts are inline SVG drawn by vl-convert, the page
carries a Content-Security-Policy that forbids scripts and any network
request, and it references nothing remote.
"""

from __future__ import annotations

import copy
import html
import json
import re
import uuid

from kit.report.runlog import RUNS_LOG

HIDE_TAG = "hide-in-report"  # cells for notebook users only (e.g. "edit the next cell")
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       "font-src data:; base-uri 'none'; form-action 'none'")


PAGE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;
 color:#111;background:#fff;line-height:1.45}
main{max-width:1320px;margin:0 auto;padding:1.5em 2em 4em}
h1{font-size:1.7em;margin:.2em 0 .4em} h2{font-size:1.3em;margin:1.4em 0 .5em;
 border-bottom:1px solid #ddd;padding-bottom:.2em}
.anchor-link{display:none}
.prompt{display:none}
.output_svg svg,.output_svg img{width:100%;max-width:1250px;height:auto}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5em}
.output_error pre,.output_stderr pre{background:#fdeaea}
footer{color:#666;font-size:85%;margin-top:3em}
table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;
 vertical-align:top}
"""


#: HTML outputs longer than this are put in the page after nbconvert's export (see
#: ``notebook_html``).
LONG_OUTPUT = 10_000

#: Every page kit report writes says so: ``--out`` files without it are not replaced.
GENERATOR = "kit report"


def page(title: str, body: str, footer: str = "") -> str:
    """A complete, self-contained HTML page (no scripts, no remote resources)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
        "<meta name=\"referrer\" content=\"no-referrer\">"
        f"<meta name=\"generator\" content=\"{GENERATOR}\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head>\n"
        f"<body><main>\n{body}\n<footer>{footer}</footer></main></body></html>\n"
    )


#: nbconvert's ``basic`` template with one change: an SVG output is drawn with its
#: ``alt`` metadata as alternative text (nbconvert does so for PNG and JPEG only).
REPORT_TEMPLATE = "kit-report.html.j2"
_TEMPLATE_SOURCE = """{%- extends 'index.html.j2' -%}
{% block data_svg scoped -%}
<div class="output_svg output_subarea {{ extra_class }}">
{%- set alttext = output | get_metadata('alt', 'image/svg+xml') -%}
<img src="data:image/svg+xml;base64,{{ output.data['image/svg+xml'] | text_base64 | escape_html }}"
{%- if alttext %} alt="{{ alttext | escape_html }}"{% endif %}>
</div>
{%- endblock data_svg %}
"""
#: The accessible name ``kit.present.charts.titled_svg`` gives a chart: a <title> first in the SVG.
_SVG_TITLE = re.compile(r"\s*<svg\b[^>]*>\s*<title>(.*?)</title>", re.DOTALL)


def svg_alt(output) -> str | None:
    """The alternative text of a notebook output's SVG chart: its ``alt`` metadata (set
    by the renderer of ``kit.present.charts.enable_static``), else the ``<title>`` the
    SVG starts with; None when it has neither."""
    meta = (output.get("metadata") or {}).get("image/svg+xml") or {}
    if meta.get("alt"):
        return str(meta["alt"])
    svg = (output.get("data") or {}).get("image/svg+xml")
    if isinstance(svg, list):
        svg = "".join(svg)
    match = _SVG_TITLE.match(svg) if isinstance(svg, str) else None
    return html.unescape(match.group(1)) if match else None


def notebook_html(nb, title: str, footer: str) -> str:
    """The executed notebook as a static page: outputs only (code hidden), no widgets.

    Charts (SVG outputs) are embedded as ``<img>`` whose ``alt`` is the chart's
    description (``svg_alt``), escaped.  ``nb`` is not changed."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    # nbconvert parses the whole page again after rendering it (to add attributes to its
    # tags): 3 of the 3.7 s of the export of a 2 MB report.  The long HTML outputs (the
    # report's tables) are rendered as a placeholder comment instead, named by a random
    # token no text can hold, and put in the page after it, as they are (not those shown
    # in an iframe of their own, "isolated": the placeholder would be encoded in it)
    token = f"kit-output-{uuid.uuid4().hex}"
    held: list[str] = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            data.pop("application/vnd.jupyter.widget-view+json", None)
            if "image/svg+xml" in data:
                alt = svg_alt(out)
                if alt:
                    out.setdefault("metadata", {}).setdefault("image/svg+xml", {})["alt"] = alt
            markup = data.get("text/html")
            if isinstance(markup, list):
                markup = "".join(markup)
            isolated = ((out.get("metadata") or {}).get("text/html") or {}).get("isolated")
            if isinstance(markup, str) and len(markup) > LONG_OUTPUT and not isolated:
                data["text/html"] = f"<!--{token}-{len(held)}-->"
                held.append(markup)
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="basic", template_file=REPORT_TEMPLATE,
                            extra_loaders=[DictLoader({REPORT_TEMPLATE: _TEMPLATE_SOURCE})],
                            exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={HIDE_TAG}, enabled=True), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    if held:
        body = re.sub(f"<!--{token}-([0-9]+)-->", lambda m: held[int(m.group(1))], body)
    return page(title, body, footer)


def fmt_params(params: dict) -> str:
    return ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in sorted(params.items()))


def _local_link(text, target) -> str:
    """A link to a report file beside index.html; anything else (the log is data
    that may have been edited) is shown as escaped text, never as a link."""
    name = str(target or "")
    if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\.(?:html|ipynb)", name):
        return f"<a href=\"{html.escape(name)}\">{html.escape(str(text))}</a>"
    return html.escape(str(text))


def index_html(records: list[dict]) -> str:
    """The index: latest successful report of each notebook, then recent runs."""
    esc = html.escape
    latest: dict[str, tuple[dict, dict]] = {}
    for rec in records:
        if rec.get("status") == "ok":
            for rep in rec.get("reports", []):
                latest[str(rep.get("name"))] = (rec, rep)
    rows = []
    for name, (rec, rep) in sorted(latest.items()):
        rows.append(
            f"<tr><td>{_local_link(name, rep.get('html'))} "
            f"({_local_link('notebook', rep.get('ipynb'))})</td>"
            f"<td>{esc(str(rec.get('corpus_given') or rec.get('corpus', '')))}</td>"
            f"<td><code>{esc(fmt_params(rep.get('parameters', {})))}</code></td>"
            f"<td>{esc(str(rec.get('finished', '')))}</td>"
            f"<td>{float(rep.get('duration_s', 0)):.1f} s</td></tr>")
    reports = ("<table><tr><th>report</th><th>corpus</th><th>parameters</th>"
               "<th>generated (UTC)</th><th>duration</th></tr>" + "".join(rows) + "</table>"
               if rows else "<p>No successful report yet.</p>")
    recent = []
    fixed_by: dict[int, str] = {}  # a failed run -> the later successful run that fixed it
    last_ok = None
    for i in range(len(records) - 1, -1, -1):
        if records[i].get("status") == "ok":
            last_ok = str(records[i].get("finished", ""))
        elif records[i].get("status") == "failed" and last_ok is not None:
            fixed_by[i] = last_ok
    first = max(0, len(records) - 20)
    for i in range(len(records) - 1, first - 1, -1):
        rec = records[i]
        status = str(rec.get("status", ""))
        if i in fixed_by:
            status += f" (fixed by the run of {fixed_by[i]})"
        code = rec.get("exit")
        recent.append(
            f"<tr><td>{esc(str(rec.get('started', '')))}</td>"
            f"<td>{esc(status)}</td><td>{esc('' if code is None else str(code))}</td>"
            f"<td>{float(rec.get('duration_s', 0) or 0):.1f} s</td>"
            f"<td>{esc(str(rec.get('message', '')))}</td></tr>")
    body = (
        "<h1>Reports</h1>" + reports +
        "<h2>Recent runs</h2><table><tr><th>started (UTC)</th><th>status</th><th>exit</th>"
        "<th>duration</th>"
        "<th>message</th></tr>" + "".join(recent) + "</table>"
        f"<p>Full log: <a href=\"{RUNS_LOG}\">{RUNS_LOG}</a> (one JSON object a run).</p>"
    )
    return page("Reports", body, "Generated by kit report.")
