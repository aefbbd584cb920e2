"""``kit report``: run the parameterised report notebooks and write HTML reports.

Why it is shaped this way (see ../shared TOOLCHAIN facts in the README):

* Notebooks run in this process with ``papermill.execute_notebook`` (kernel
  ``python3``) and are converted with nbconvert's Python API, so a run does not
  pay interpreter and import start-up once per report.
* The HTML is self-contained and static: charts are inline SVG drawn by
  vl-convert, the page carries a Content-Security-Policy that forbids scripts and
  any network request, and the page itself references nothing remote.
* Parameters are checked against the notebook's ``parameters`` cell (names,
  type hints, a few value rules) *before* anything runs or is written: papermill
  itself only warns about unknown names.  The code papermill would inject is
  parsed back and must consist of plain literal assignments, so a string
  parameter cannot execute code.
* Writes are atomic: everything is rendered into a temporary folder inside
  ``--out`` and moved into place with ``os.replace``.  A failing run exits 1,
  leaves the previous report untouched and keeps the failed notebook as
  ``<name>.failed.ipynb``.  A lock file serialises runs on one ``--out``.
  Nothing outside ``--out`` is ever deleted; inside it only our own temporary
  folders (``.kit-tmp-*``) and stale ``<name>.failed.ipynb`` are.
* ``runs.jsonl`` is an append-only log of every run (ok, failed, skipped);
  ``index.html`` is rebuilt from it.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import datetime as dt
import hashlib
import html
import io
import json
import math
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import tokenize
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
NOTEBOOK_DIR = REPO_DIR / "notebooks"
#: The notebooks ``kit report`` renders (explore.ipynb is for JupyterLab).
REPORTS = ("estimates",)
LOCK_NAME = ".kit-report.lock"
HIDE_TAG = "hide-in-report"  # cells for notebook users only (e.g. "edit the next cell")
TMP_PREFIX = ".kit-tmp-"
RUNS_LOG = "runs.jsonl"
ALLOWED_TYPES = ("str", "int", "float", "bool", "list[str]")
MAX_STRING = 10_000
EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       "font-src data:; base-uri 'none'; form-action 'none'")


class UsageError(Exception):
    """Bad options or parameters: reported before anything runs (exit 2)."""


class RunError(Exception):
    """A run could not complete (exit 1)."""


# --------------------------------------------------------------------------- defaults

def default_corpus() -> Path:
    """The seeds folder: next to the package (a source checkout), else ./seeds."""
    for candidate in (REPO_DIR / "seeds", Path.cwd() / "seeds"):
        if candidate.is_dir():
            return candidate
    raise UsageError("no --corpus given and no seeds/ folder next to the kit package "
                     "or in the current directory")


# --------------------------------------------------------------------------- parameters

def notebook_parameters(path: Path) -> dict[str, dict]:
    """The ``parameters`` cell of a notebook as {name: {type, default, help}}.

    Every assignment must carry a type hint from ALLOWED_TYPES and a literal
    default: the notebooks are ours, so a bad cell is a bug to report loudly.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise RunError(f"{path.name}: expected one cell tagged 'parameters', found {len(cells)}")
    source = cells[0].source
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    spec: dict[str, dict] = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and node.value is not None):
            raise RunError(f"{path.name}: parameters cell line {node.lineno}: "
                           "only 'name: type = literal  # comment' lines are allowed")
        kind = ast.unparse(node.annotation).replace(" ", "")
        if kind not in ALLOWED_TYPES:
            raise RunError(f"{path.name}: parameter {node.target.id} has type {kind}; "
                           f"allowed: {', '.join(ALLOWED_TYPES)}")
        comment = " ".join(comments[i] for i in range(node.lineno, node.end_lineno + 1)
                           if i in comments)
        spec[node.target.id] = {"type": kind, "default": ast.literal_eval(node.value),
                                "help": comment}
    return spec


_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


def convert_cli_value(name: str, kind: str, raw: str):
    """A ``--param NAME=VALUE`` string converted to the declared type."""
    try:
        if kind == "str":
            return raw
        if kind == "int":
            return int(raw.strip(), 10)
        if kind == "float":
            return float(raw.strip())
        if kind == "bool":
            low = raw.strip().lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise ValueError(raw)
        if kind == "list[str]":
            text = raw.strip()
            if text.startswith("["):
                import yaml

                value = yaml.safe_load(text)
                return value
            return [part.strip() for part in text.split(",") if part.strip()]
    except (ValueError, TypeError) as err:
        raise UsageError(f"parameter {name!r} expects {kind}, got {raw!r}") from err
    except Exception as err:  # yaml errors
        raise UsageError(f"parameter {name!r} expects {kind}, got {raw!r} ({err})") from err
    raise UsageError(f"parameter {name!r}: unsupported type {kind}")


def check_value(name: str, kind: str, value):
    """The value if it has the declared type (ints accepted for floats), else UsageError."""
    def bad(why=""):
        return UsageError(f"parameter {name!r} expects {kind}, got "
                          f"{type(value).__name__} {value!r}{why}")

    if kind == "str":
        if not isinstance(value, str):
            raise bad()
        if len(value) > MAX_STRING or "\x00" in value:
            raise bad(" (too long or contains NUL)")
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad()
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad()
        value = float(value)
        if not math.isfinite(value):
            raise bad(" (not finite)")
    elif kind == "bool":
        if not isinstance(value, bool):
            raise bad()
    elif kind == "list[str]":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad()
        for v in value:
            check_value(name + "[]", "str", v)
    return value


def _check_rules(params: dict) -> None:
    """Value rules that types cannot express."""
    from kit.schema import STATUSES

    for status in params.get("statuses", []) or []:
        if status not in STATUSES:
            raise UsageError(f"parameter 'statuses': unknown status {status!r}; "
                             f"known: {', '.join(STATUSES)}")
    if params.get("scale", "auto") not in ("auto", "log", "linear"):
        raise UsageError(f"parameter 'scale' must be auto, log or linear, got {params['scale']!r}")
    if "corpus" in params and not Path(params["corpus"]).exists():
        raise UsageError(f"parameter 'corpus': {params['corpus']} does not exist")


def load_params_file(path: Path) -> dict:
    """Parameters from a YAML or JSON file (a mapping of plain values)."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"--params {path}: cannot read ({err})") from err
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except Exception as err:
        raise UsageError(f"--params {path}: not valid {path.suffix or 'YAML'} ({err})") from err
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise UsageError(f"--params {path}: expected a mapping of parameter names to values")
    return data


def resolve_params(spec: dict[str, dict], file_params: dict, cli_params: list[str],
                   notebook: str) -> dict:
    """Defaults, overridden by the params file, then by --param; all checked."""
    values = {name: s["default"] for name, s in spec.items()}
    known = ", ".join(sorted(spec))

    def unknown(name):
        return UsageError(f"unknown parameter {name!r} for notebook {notebook} "
                          f"(known: {known})")

    for name, value in file_params.items():
        if name not in spec:
            raise unknown(name)
        values[name] = check_value(name, spec[name]["type"], value)
    for item in cli_params:
        if "=" not in item:
            raise UsageError(f"--param expects NAME=VALUE, got {item!r}")
        name, raw = item.split("=", 1)
        name = name.strip()
        if name not in spec:
            raise unknown(name)
        values[name] = check_value(name, spec[name]["type"],
                                   convert_cli_value(name, spec[name]["type"], raw))
    return values


def verify_injection(params: dict) -> None:
    """Parse the code papermill will inject and insist it is literal assignments
    that evaluate back to exactly ``params``: no parameter can run code."""
    from papermill.translators import translate_parameters

    code = translate_parameters("python3", "python", params, "Parameters")
    try:
        tree = ast.parse(code)
    except SyntaxError as err:
        raise UsageError(f"parameters cannot be injected safely ({err})") from err
    seen = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            raise UsageError("parameters would inject a statement that is not an assignment")
        try:
            seen[node.targets[0].id] = ast.literal_eval(node.value)
        except ValueError as err:
            raise UsageError(f"parameter {node.targets[0].id!r} is not a plain literal") from err
    if seen != params:
        bad = sorted(k for k in set(seen) | set(params) if seen.get(k) != params.get(k))
        raise UsageError(f"parameters {bad} would not reach the notebook unchanged; refused")


# --------------------------------------------------------------------------- hashing

def _source_files() -> list[Path]:
    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file()
                   and p.suffix in (".py", ".csv", ".txt", ".toml", ".json")
                   and "__pycache__" not in p.parts)
    return files + [NOTEBOOK_DIR / f"{name}.ipynb" for name in REPORTS]


def _corpus_files(corpus: Path) -> list[Path]:
    if corpus.is_file():
        return [corpus]
    return sorted(p for p in corpus.rglob("*") if p.is_file())


def run_hash(corpus: Path, params: dict) -> str:
    """Hash of what a report depends on: corpus bytes, parameters, kit + notebooks."""
    h = hashlib.sha256()
    for group, root, files in (("corpus", corpus, _corpus_files(corpus)),
                               ("kit", REPO_DIR, _source_files())):
        for path in files:
            try:
                rel = path.relative_to(root if root.is_dir() else root.parent).as_posix()
            except ValueError:
                rel = path.as_posix()
            h.update(f"{group}:{rel}\0".encode())
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            h.update(b"\0")
    h.update(json.dumps(params, sort_keys=True).encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- files

def atomic_write(path: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same folder, then os.replace."""
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def append_log(out: Path, record: dict) -> None:
    """Append one JSON line to runs.jsonl (never rewritten)."""
    with (out / RUNS_LOG).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def read_log(out: Path) -> list[dict]:
    """The run log's records (unreadable lines are ignored, not fatal)."""
    path = out / RUNS_LOG
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            rec = json.loads(line)
            if isinstance(rec, dict):
                records.append(rec)
    return records


def _remove_stale_tmp(out: Path) -> None:
    """Remove temporary folders/files left in --out by a killed run (ours only)."""
    for child in out.iterdir():
        if not child.name.startswith(TMP_PREFIX) or child.is_symlink():
            continue
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                child.unlink()


# --------------------------------------------------------------------------- html

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


def page(title: str, body: str, footer: str = "") -> str:
    """A complete, self-contained HTML page (no scripts, no remote resources)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
        "<meta name=\"referrer\" content=\"no-referrer\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head>\n"
        f"<body><main>\n{body}\n<footer>{footer}</footer></main></body></html>\n"
    )


def notebook_html(nb, title: str, footer: str) -> str:
    """The executed notebook as a static page: outputs only (code hidden), no widgets."""
    from nbconvert import HTMLExporter

    nb = nb.copy() if hasattr(nb, "copy") else nb
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            out.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="basic", exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={HIDE_TAG}, enabled=True), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    return page(title, body, footer)


def _fmt_params(params: dict) -> str:
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
            f"<td>{esc(str(rec.get('corpus', '')))}</td>"
            f"<td><code>{esc(_fmt_params(rep.get('parameters', {})))}</code></td>"
            f"<td>{esc(str(rec.get('finished', '')))}</td>"
            f"<td>{float(rep.get('duration_s', 0)):.1f} s</td></tr>")
    reports = ("<table><tr><th>report</th><th>corpus</th><th>parameters</th>"
               "<th>generated (UTC)</th><th>duration</th></tr>" + "".join(rows) + "</table>"
               if rows else "<p>No successful report yet.</p>")
    recent = []
    for rec in records[-20:][::-1]:
        recent.append(
            f"<tr><td>{esc(str(rec.get('started', '')))}</td>"
            f"<td>{esc(str(rec.get('status', '')))}</td>"
            f"<td>{float(rec.get('duration_s', 0) or 0):.1f} s</td>"
            f"<td>{esc(str(rec.get('message', '')))}</td></tr>")
    body = (
        "<h1>Reports</h1>" + reports +
        "<h2>Recent runs</h2><table><tr><th>started (UTC)</th><th>status</th><th>duration</th>"
        "<th>message</th></tr>" + "".join(recent) + "</table>"
        f"<p>Full log: <a href=\"{RUNS_LOG}\">{RUNS_LOG}</a> (one JSON object a run).</p>"
    )
    return page("Reports", body, "Generated by kit report.")


# --------------------------------------------------------------------------- running

def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _error_summary(err: Exception) -> str:
    ename = getattr(err, "ename", None)
    if ename:
        return f"{ename}: {getattr(err, 'evalue', '')}".strip()
    return f"{type(err).__name__}: {err}"


def execute(name: str, params: dict, tmp: Path) -> tuple[Path, float]:
    """Run notebook ``name`` with papermill into ``tmp``; returns (path, seconds)."""
    import papermill

    src = NOTEBOOK_DIR / f"{name}.ipynb"
    dst = tmp / f"{name}.ipynb"
    t0 = time.perf_counter()
    with _kernel_stderr_to(tmp / f"{name}.kernel.log"):
        papermill.execute_notebook(
            str(src), str(dst), parameters=params, kernel_name="python3",
            progress_bar=False, log_output=False, cwd=str(NOTEBOOK_DIR),
        )
    return dst, time.perf_counter() - t0


@contextlib.contextmanager
def _kernel_stderr_to(path: Path):
    """Send the kernel process's stderr (it inherits fd 2: start-up warnings, shutdown
    chatter) to a log file, so cron mails only our own messages.  Cell errors are
    not lost: papermill records them in the executed notebook."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    with path.open("ab") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kit report",
        description=f"Execute the report notebooks (notebooks/{', '.join(REPORTS)}.ipynb) with "
                    "papermill and write, per notebook, the executed .ipynb and a "
                    "self-contained static .html (no scripts, nothing loaded from the "
                    "network), plus index.html and an append-only run log runs.jsonl.",
        epilog="Parameters are checked against the notebook's 'parameters' cell before "
               "anything runs: unknown names or wrong types exit 2 and write nothing. "
               "A failing run exits 1, keeps the previous report and writes "
               "<name>.failed.ipynb. Exit status: 0 ok (or skipped by --if-changed); "
               "1 failed; 2 bad usage or parameters; 3 ok but some corpus files were "
               "skipped or sources.csv rows ignored (each named on stderr). Article files "
               "larger than the environment variable KIT_MAX_BYTES (default 64 MiB) are "
               "skipped. Cron example: "
               "'0 6 * * * cd /path/to/repo && .venv/bin/kit report --if-changed'.",
    )
    p.add_argument("--corpus", metavar="DIR", type=Path,
                   help="folder (or file) of articles; default: the repository's seeds/ "
                        "folder next to the kit package, else ./seeds")
    p.add_argument("--out", metavar="DIR", type=Path, default=Path("reports"),
                   help="output folder (default: reports/); nothing outside it is touched")
    p.add_argument("--param", metavar="NAME=VALUE", action="append", default=[],
                   help="set a notebook parameter (repeatable); lists as a,b,c or [a, b]")
    p.add_argument("--params", metavar="FILE", type=Path,
                   help="YAML or JSON file mapping parameter names to values "
                        "(--param wins over it)")
    p.add_argument("--if-changed", action="store_true",
                   help="skip (exit 0) when corpus, parameters, kit and notebooks are "
                        "unchanged since the last successful run into --out")
    p.add_argument("--wait", metavar="SECONDS", type=float, default=120.0,
                   help="how long to wait for another run on the same --out (default 120)")
    return p


def _prepare(args) -> tuple[Path, Path, dict[str, dict]]:
    """Validate options and parameters; returns (corpus, out, params per notebook)."""
    corpus = (args.corpus or default_corpus()).resolve()
    if not corpus.exists():
        raise UsageError(f"--corpus {args.corpus}: no such file or folder")
    out = args.out.resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {args.out}: exists and is not a folder")
    if out == Path(out.anchor) or out == Path.home().resolve():
        raise UsageError(f"--out {args.out}: refusing to use a filesystem root or home folder")
    if corpus.is_dir() and (out == corpus or corpus in out.parents):
        raise UsageError(f"--out {args.out} is inside the corpus: reports would be read "
                         "as articles")
    for protected in (PACKAGE_DIR, NOTEBOOK_DIR):
        if out == protected or protected in out.parents:
            raise UsageError(f"--out {args.out}: refusing to write into {protected}")
    if not (args.wait >= 0 and math.isfinite(args.wait)):
        raise UsageError("--wait must be a number of seconds >= 0")
    from kit.corpus import max_bytes_limit

    try:
        max_bytes_limit()  # KIT_MAX_BYTES, read again by load_corpus here and in the kernel
    except ValueError as err:
        raise UsageError(str(err)) from None
    file_params = load_params_file(args.params) if args.params else {}
    per_notebook = {}
    for name in REPORTS:
        if not (NOTEBOOK_DIR / f"{name}.ipynb").is_file():
            raise RunError(f"report notebook {NOTEBOOK_DIR / (name + '.ipynb')} not found "
                           "(kit report runs from a checkout of the repository)")
        spec = notebook_parameters(NOTEBOOK_DIR / f"{name}.ipynb")
        if "corpus" in file_params or any(p.split("=", 1)[0].strip() == "corpus"
                                          for p in args.param):
            raise UsageError("set the corpus with --corpus, not as a parameter")
        params = resolve_params(spec, file_params, args.param, name)
        if "corpus" in spec:
            params["corpus"] = str(corpus)
        if "widgets" in spec:
            params["widgets"] = False
        _check_rules(params)
        verify_injection(params)
        per_notebook[name] = params
    return corpus, out, per_notebook


def run(args) -> int:
    """One report run (after validation); see the module docstring."""
    import kit

    corpus, out, per_notebook = _prepare(args)
    try:
        articles = kit.load_corpus(corpus)
    except kit.CorpusError as err:
        raise RunError(f"cannot read corpus {corpus}: {err}") from err
    skipped = articles.attrs.get("skipped", [])
    for problem in skipped:
        print(f"kit report: skipped {problem.get('path')}: {problem.get('reason')}",
              file=sys.stderr)
    for problem in articles.attrs.get("problems", []):
        print(f"kit report: {problem.get('path')}, line {problem.get('line')}: "
              f"{problem.get('reason')}", file=sys.stderr)
    skipped = skipped + [{**p, "sources_row": True} for p in articles.attrs.get("problems", [])]

    from filelock import FileLock, Timeout

    out.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(out / LOCK_NAME))
    try:
        lock.acquire(timeout=args.wait)
    except Timeout:
        print(f"kit report: another kit report is writing to {out} (lock {out / LOCK_NAME}); "
              f"gave up after {args.wait:g} s", file=sys.stderr)
        return EXIT_FAIL
    try:
        return _locked_run(args, corpus, out, per_notebook, skipped)
    finally:
        lock.release()


def _import_nbconvert() -> None:
    with contextlib.suppress(Exception):
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor  # noqa: F401

        HTMLExporter(template_name="basic")


def _locked_run(args, corpus: Path, out: Path, per_notebook: dict, skipped: list) -> int:
    started, t0 = _now(), time.perf_counter()
    digest = run_hash(corpus, per_notebook)
    records = read_log(out)
    base = {"started": started, "corpus": str(corpus), "hash": digest,
            "skipped_files": sum(not s.get("sources_row") for s in skipped)}
    if args.if_changed:
        last_ok = next((r for r in reversed(records) if r.get("status") == "ok"), None)
        present = all((out / f"{n}.html").exists() for n in REPORTS)
        if last_ok and last_ok.get("hash") == digest and present:
            msg = f"unchanged since the run of {last_ok.get('finished')}; nothing to do"
            print(f"kit report: {msg}")
            append_log(out, {**base, "status": "skipped", "finished": _now(),
                             "duration_s": round(time.perf_counter() - t0, 3),
                             "message": msg, "reports": []})
            return EXIT_OK
    _remove_stale_tmp(out)
    # nbconvert takes ~2 s to import; do it while the kernel runs (this process
    # only waits on the kernel then, so the import costs no wall time).
    preload = threading.Thread(target=_import_nbconvert, daemon=True)
    preload.start()
    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=out))
    reports = []
    try:
        import nbformat

        for name, params in per_notebook.items():
            try:
                nb_path, seconds = execute(name, params, tmp)
            except Exception as err:  # noqa: BLE001 - any failure: keep the old report
                failed = tmp / f"{name}.ipynb"
                kept = None
                if failed.exists():
                    kept = out / f"{name}.failed.ipynb"
                    os.replace(failed, kept)
                msg = f"{name}: {_error_summary(err)}"
                print(f"kit report: failed: {msg}", file=sys.stderr)
                if kept:
                    print(f"kit report: the failed notebook is {kept}; the previous report "
                          "is unchanged", file=sys.stderr)
                append_log(out, {**base, "status": "failed", "finished": _now(),
                                 "duration_s": round(time.perf_counter() - t0, 3),
                                 "message": msg, "reports": [],
                                 "failed_notebook": kept.name if kept else None})
                atomic_write(out / "index.html", index_html(read_log(out)))
                return EXIT_FAIL
            preload.join()
            nb = nbformat.read(nb_path, as_version=4)
            footer = html.escape(f"kit report · corpus {corpus} · {_fmt_params(params)} · "
                                 f"generated {_now()}")
            title = str(params.get("title", name))
            (tmp / f"{name}.html").write_text(notebook_html(nb, title, footer), encoding="utf-8")
            reports.append({"name": name, "html": f"{name}.html", "ipynb": f"{name}.ipynb",
                            "parameters": params, "duration_s": round(seconds, 3)})
        for rep in reports:  # all rendered: move into place
            for key in ("ipynb", "html"):
                os.replace(tmp / rep[key], out / rep[key])
            with contextlib.suppress(FileNotFoundError):
                (out / f"{rep['name']}.failed.ipynb").unlink()
        msg = f"{len(reports)} report(s) written" + (
            f"; {len(skipped)} corpus file(s) skipped or sources.csv row(s) ignored"
            if skipped else "")
        append_log(out, {**base, "status": "ok", "finished": _now(),
                         "duration_s": round(time.perf_counter() - t0, 3),
                         "message": msg, "reports": reports})
        atomic_write(out / "index.html", index_html(read_log(out)))
        for rep in reports:
            print(f"kit report: wrote {out / rep['html']}")
        return EXIT_SKIPPED if skipped else EXIT_OK
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str]) -> int:
    """Entry point of ``kit report`` (argv without the word "report")."""
    if "jsonschema" not in sys.modules:  # see kit.charts: saves ~3 s of import
        sys.modules.setdefault("rfc3987_syntax", None)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help (0) or bad usage (2)
        return int(exit_.code or 0)
    try:
        return run(args)
    except UsageError as err:
        print(f"kit report: {err}", file=sys.stderr)
        return EXIT_USAGE
    except RunError as err:
        print(f"kit report: {err}", file=sys.stderr)
        return EXIT_FAIL
