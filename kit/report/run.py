"""``kit report``: run the parameterised report notebooks and write HTML reports.

* Notebooks run in this process with ``papermill.execute_notebook`` (kernel
  ``python3``) and are converted with nbconvert's Python API, so a run does not
  pay interpreter and import start-up once per report.  The notebooks are
  shipped inside the package (``kit/report/notebooks``), so an installed kit
  renders reports from any folder.
* ``--corpus`` is a corpus of articles or the ``--out`` folder of ``kit extract``:
  the report of an archive then reads its datasets in the kernel
  (``kit.report.frames``); what that run skipped is named as a corpus's files are,
  and datasets it cannot read fail the run, named.
* Parameters are checked before anything runs or is written (``params``).
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

import contextlib
import datetime as dt
import hashlib
import html
import json
import math
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from kit.cli import EXIT_FAIL, EXIT_OK, EXIT_SKIPPED, default_corpus, report_problems
from kit.load import CorpusError, load_corpus, max_bytes_limit
from kit.output.archive import ArchiveError, is_extract_output
from kit.output.atomic import TMP_PREFIX, atomic_write, remove_stale_tmp
from kit.report.pages import GENERATOR, fmt_params, index_html, notebook_html
from kit.output.datasets import MANIFEST, STORE
from kit.report.params import (RunError, UsageError, check_rules, load_params_file,
                               notebook_parameters, resolve_params, verify_injection)
from kit.report.runlog import RUNS_LOG, append_log, read_log
from kit.load.files import article_files, is_ignored
from kit.review.corrections import default_path
from kit.load.tables import is_table
from kit.load.sources import SOURCES_NAME
from kit.story import REPORT_FILE

PACKAGE_DIR = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = Path(__file__).resolve().parent / "notebooks"
#: The notebooks ``kit report`` renders by default (explore.ipynb is for JupyterLab);
#: ``--notebook PATH`` renders others (a notebook, or every notebook of a folder).
REPORTS = ("estimates",)
LOCK_NAME = ".kit-report.lock"


def _source_files(notebooks: list[Path] | None = None) -> list[Path]:
    """The kit's code, knowledge files and report notebooks (what a report depends on)."""
    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file()
                   and p.suffix in (".py", ".csv")
                   and "__pycache__" not in p.parts)
    if notebooks is None:
        notebooks = [NOTEBOOK_DIR / f"{name}.ipynb" for name in REPORTS]
    return files + list(notebooks)


def report_notebooks(given: list | None = None) -> dict[str, Path]:
    """The notebooks to render, by report name (the file's stem): ``given`` notebooks and
    every notebook of ``given`` folders, else the kit's own (``REPORTS``)."""
    if not given:
        return {name: NOTEBOOK_DIR / f"{name}.ipynb" for name in REPORTS}
    found: dict[str, Path] = {}
    for raw in given:
        path = Path(raw)
        if path.is_dir():
            paths = sorted(p for p in path.glob("*.ipynb") if not is_ignored(p.name)
                           and not p.name.endswith(".failed.ipynb"))
            if not paths:
                raise UsageError(f"--notebook {raw}: no .ipynb notebook in this folder")
        elif path.is_file() and path.suffix == ".ipynb":
            paths = [path]
        else:
            raise UsageError(f"--notebook {raw}: not a notebook (.ipynb) nor a folder of them")
        for p in paths:
            name = p.stem
            if name == "index" or name.startswith("."):
                raise UsageError(f"--notebook {p}: the name {name!r} is taken by the index; "
                                 "rename the notebook")
            if name in found and found[name] != p.resolve():
                raise UsageError(f"--notebook: two notebooks named {name}.ipynb "
                                 f"({found[name]} and {p.resolve()}); rename one")
            found[name] = p.resolve()
    return found


def describe_notebooks(given: list | None = None, story: dict | None = None) -> str:
    """The parameters of each report notebook, as ``kit report --describe`` prints them;
    ``story``: the defaults of a story folder's report.yaml, shown where they apply."""
    lines = []
    story = story or {}
    for name, path in report_notebooks(given).items():
        lines.append(f"{name} ({path}):")
        spec = _parameters(path, bool(given))
        if not spec:
            lines.append("  (no parameters cell: runs as it is)")
        for key, s in spec.items():
            set_by = {"corpus": " [set with --corpus]", "lexicon": " [set with --lexicon]",
                      "widgets": " [always False in reports]"}.get(key, "")
            mine = f" (report.yaml: {story[key]!r})" if key in story else ""
            lines.append(f"  {key}: {s['type']} = {s['default']!r}{mine}{set_by}"
                         + (f"  # {s['help']}" if s["help"] else ""))
    return "\n".join(lines) + "\n"


def _parameters(path: Path, given: bool) -> dict[str, dict]:
    """A notebook's parameters; a notebook the analyst gave may have no parameters cell, and
    a bad cell in it is a usage error (exit 2), where in ours it is a broken install."""
    if not path.is_file():
        raise RunError(f"report notebook {path} not found (a broken install: reinstall the kit)")
    try:
        return notebook_parameters(path)
    except RunError as err:
        if not given:
            raise
        if "found 0" in str(err):
            return {}
        raise UsageError(str(err)) from None


def _corpus_files(corpus: Path) -> list[Path]:
    """The files a report reads from a corpus: its article files (subfolders included,
    hidden files and editor backups not, as ``load_corpus`` reads them) and their
    sources.csv; nothing else in the folder starts a new report."""
    if corpus.is_file():
        return [corpus]
    if is_extract_output(corpus):  # kit extract writes its manifest anew when a dataset moves
        return [corpus / MANIFEST]
    if is_table(corpus):  # a Parquet dataset folder
        return sorted(p for p in corpus.rglob("*.parquet")
                      if not any(is_ignored(x) for x in p.relative_to(corpus).parts))
    try:
        files, _ = article_files([corpus])
    except CorpusError:
        return []
    sources = {f.parent / SOURCES_NAME for f in files if (f.parent / SOURCES_NAME).is_file()}
    return sorted(set(files) | sources)


def _corrections_files(corpus: Path, params: dict) -> list[Path]:
    """The analyst's corrections a report applies: each notebook's ``corrections``, else
    corrections.csv beside the corpus (an edit re-renders a report run --if-changed)."""
    given = {Path(p["corrections"]) for p in params.values() if p.get("corrections")}
    beside = default_path([corpus])
    return sorted(p for p in given | {beside} if p is not None and p.is_file())


def _check_corrections(path: Path | None) -> None:
    """A corrections file the report would apply must read: else UsageError naming its
    file and line, before anything runs."""
    from kit.review import CorrectionsError, read

    try:
        read(path) if path is not None else None
    except CorrectionsError as err:
        raise UsageError(str(err)) from None


def _story_files(folder: Path) -> list[Path]:
    """The files of a story folder (hidden files and editor backups aside)."""
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(is_ignored(part) for part in p.relative_to(folder).parts))


def run_hash(corpus: Path, params: dict, notebooks: list[Path] | None = None,
             story: Path | None = None) -> str:
    """Hash of what a report depends on: corpus bytes, parameters (per notebook), kit +
    notebooks, and the files of the story folder the parameters name (``lexicon``)."""
    h = hashlib.sha256()
    groups = [("corpus", corpus, _corpus_files(corpus)), ("kit", PACKAGE_DIR, _source_files(notebooks))]
    story = story or next((p["lexicon"] for p in params.values() if p.get("lexicon")), None)
    if story:
        groups.append(("lexicon", Path(story), _story_files(Path(story))))
    groups.append(("corrections", corpus, _corrections_files(corpus, params)))
    for group, root, files in groups:
        for path in files:
            try:
                rel = path.relative_to(root if root.is_dir() else root.parent).as_posix()
            except ValueError:
                rel = path.name
            h.update(f"{group}:{rel}\0".encode())
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            h.update(b"\0")
    h.update(json.dumps(params, sort_keys=True).encode())
    return h.hexdigest()


#: How a report names the corpus when ``--corpus`` was not given.
EXAMPLE_CORPUS = "the example corpus (seeds)"


def corpus_label(given) -> str:
    """The corpus as the analyst gave it: ``--corpus`` as typed (not resolved), or
    EXAMPLE_CORPUS when it was not given (``kit.cli`` then fills in ``default_corpus()``)."""
    if given is None or Path(given) == default_corpus():
        return EXAMPLE_CORPUS
    return str(given)


def report_footer(args, params: dict, generated: str) -> str:
    """The footer of a report page (escaped HTML): the corpus and the story as the analyst
    gave them (``corpus_label``; ``--lexicon`` as typed), the other parameters and the time.
    No absolute path of this machine: the page is for sharing (``runs.jsonl`` keeps them)."""
    # what shapes the report (where its store is and how many cores ran it do not)
    shown = {k: v for k, v in params.items() if k not in ("corpus", "lexicon", "store", "jobs")}
    story = ""
    if params.get("lexicon"):
        given = (getattr(args, "lexicon", None) or os.environ.get("KIT_LEXICON")
                 or Path(str(params["lexicon"])).name)
        story = f" · story {given}"
    return html.escape(f"kit report · corpus {corpus_label(args.corpus)}{story} · "
                       f"{fmt_params(shown)} · generated {generated}")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _error_summary(err: Exception) -> str:
    ename = getattr(err, "ename", None)
    if ename:
        return f"{ename}: {getattr(err, 'evalue', '')}".strip()
    return f"{type(err).__name__}: {err}"


def execute(name: str, params: dict, tmp: Path, src: Path | None = None) -> tuple[Path, float]:
    """Run notebook ``src`` (default: the kit's ``name``) with papermill into ``tmp``, in
    the notebook's own folder (its relative paths work as in JupyterLab; the corpus
    arrives as an absolute path); returns (path, seconds)."""
    import papermill

    src = src or NOTEBOOK_DIR / f"{name}.ipynb"
    dst = tmp / f"{name}.ipynb"
    t0 = time.perf_counter()
    # the kernel's connection file (it holds the kernel's key) goes in the run's temporary
    # folder, which this run removes, or the next one when this one is killed (jupyter's
    # default is the system temp folder, where a killed run's file would stay)
    runtime = tmp / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    with _kernel_stderr_to(tmp / f"{name}.kernel.log"):
        papermill.execute_notebook(
            str(src), str(dst), parameters=params, kernel_name="python3", language="python",
            progress_bar=False, log_output=False, cwd=str(src.parent),
            kernel_manager_class=_kernel_manager_in(runtime),
        )
    return dst, time.perf_counter() - t0


def _kernel_manager_in(folder: Path) -> type:
    """nbclient's kernel manager, writing the kernel's connection file into ``folder``."""
    from jupyter_client.manager import AsyncKernelManager

    class Manager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.connection_file = str(folder / f"kernel-{os.urandom(8).hex()}.json")

    return Manager


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


def _prepare(args) -> tuple[Path, Path, dict[str, dict], dict[str, Path], Path | None]:
    """Validate options and parameters; returns (corpus, out, params per notebook, the
    notebooks by name, the story folder or None)."""
    corpus = args.corpus.resolve()  # a missing corpus is a failed run (exit 1), logged
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
    if getattr(args, "corrections", None) and not args.corrections.is_file():
        raise UsageError(f"--corrections {args.corrections}: no such file")
    _check_corrections(getattr(args, "corrections", None) or default_path([corpus]))
    if not (args.wait >= 0 and math.isfinite(args.wait)):
        raise UsageError("--wait must be a number of seconds >= 0")
    try:
        max_bytes_limit()  # KIT_MAX_BYTES, read again by load_corpus here and in the kernel
    except ValueError as err:
        raise UsageError(str(err)) from None
    file_params = load_params_file(args.params) if args.params else {}
    story, story_params = story_defaults(args)
    given = getattr(args, "notebook", None)
    notebooks = report_notebooks(given)
    for path in notebooks.values():
        if out == path.parent or path.parent in out.parents:
            raise UsageError(f"--out {args.out} is inside the notebooks' folder {path.parent}")
    specs = {name: _parameters(path, bool(given)) for name, path in notebooks.items()}
    known = set().union(*specs.values())
    for option in ("corpus", "lexicon"):
        if option in file_params or option in story_params or any(
                p.split("=", 1)[0].strip() == option for p in args.param):
            raise UsageError(f"set the {option} with --{option}, not as a parameter")
    unknown = sorted(set(story_params) - known)
    if unknown:
        raise UsageError(f"{story / REPORT_FILE}: unknown parameter(s) {', '.join(unknown)} "
                         f"(known: {', '.join(sorted(known))})")
    for source, names in (("--params", set(file_params)),
                          ("--param", {p.split("=", 1)[0].strip() for p in args.param
                                       if "=" in p})):
        if names - known:
            bad = ", ".join(repr(n) for n in sorted(names - known))
            raise UsageError(f"{source}: unknown parameter {bad} for notebook "
                             f"{', '.join(notebooks)} (known: {', '.join(sorted(known))})")
    per_notebook = {}
    for name, spec in specs.items():
        # each notebook gets the parameters it declares
        mine = {k: v for k, v in {**story_params, **file_params}.items() if k in spec}
        cli = [p for p in args.param if "=" not in p or p.split("=", 1)[0].strip() in spec]
        params = resolve_params(spec, mine, cli, name)
        if "corpus" in spec:
            params["corpus"] = str(corpus)
        if "lexicon" in spec:
            params["lexicon"] = str(story) if story else ""
        if "corrections" in spec and getattr(args, "corrections", None):
            params["corrections"] = str(args.corrections.resolve())
        if "store" in spec and "store" not in mine and not any(
                p.split("=", 1)[0].strip() == "store" for p in cli):
            params["store"] = str(out / STORE)  # a scheduled run extracts only what is new
        if "widgets" in spec:
            params["widgets"] = False
        check_rules(params)
        _check_kinds(params, story)
        verify_injection(params)
        per_notebook[name] = params
    return corpus, out, per_notebook, notebooks, story


def _check_kinds(params: dict, story: Path | None) -> None:
    """``kinds`` must name kinds of counted_nouns.csv (the kit's and the story's)."""
    if not params.get("kinds"):
        return
    from kit.lexicon import load

    known = set((load(story) if story else load()).nouns.values())
    bad = [k for k in params["kinds"] if k not in known]
    if bad:
        raise UsageError(f"parameter 'kinds': unknown kind(s) {', '.join(map(repr, bad))}; "
                         f"known (counted_nouns.csv): {', '.join(sorted(known))}")


def story_defaults(args) -> tuple[Path | None, dict]:
    """The story folder of ``--lexicon`` (else ``$KIT_LEXICON``), checked, and the default
    parameters of its report.yaml."""
    from kit.lexicon import LexiconError, resolve
    from kit.story import StoryError, report_defaults

    try:
        lex = resolve(getattr(args, "lexicon", None))
    except LexiconError as err:
        raise UsageError(str(err)) from None
    story = lex.folders[0] if lex.folders else None
    try:
        return story, report_defaults(story)
    except StoryError as err:
        raise UsageError(str(err)) from None


def run(args) -> int:
    """One report run (after validation); see the module docstring.  Every outcome past
    validation (ok, skipped, failed: also a missing corpus or a lock held too long) is a
    row of runs.jsonl with its exit status, and index.html is rebuilt from the log."""
    corpus, out, per_notebook, notebooks, story = _prepare(args)
    started = _now()
    base = {"started": started, "corpus": str(corpus), "corpus_given": corpus_label(args.corpus)}
    out.mkdir(parents=True, exist_ok=True)
    foreign = _foreign_files(out, list(notebooks))
    if foreign:  # never replace what the kit did not write, the log and index included
        raise RunError(f"--out {out} holds {', '.join(foreign)}, not written by kit report; "
                       "left alone: move or rename, or choose another --out")
    if is_extract_output(corpus):  # the datasets of kit extract: read in the kernel
        try:
            skipped = _extract_problems(corpus, args)
        except (ArchiveError, UsageError) as err:
            return _failed_early(out, base, f"cannot read the datasets: {err}")
    else:
        try:
            if not corpus.exists():
                raise CorpusError(f"--corpus {args.corpus}: no such file or folder")
            articles = load_corpus(corpus, lexicon=story)
        except CorpusError as err:
            return _failed_early(out, base, f"cannot read corpus: {err}")
        report_problems(articles, "kit report")
        skipped = articles.attrs.get("skipped", []) + [
            {**p, "sources_row": True} for p in articles.attrs.get("problems", [])]
        skipped += _stale_corrections(articles, getattr(args, "corrections", None)
                                      or default_path([corpus]))

    from filelock import FileLock, Timeout

    lock = FileLock(str(out / LOCK_NAME))
    try:
        lock.acquire(timeout=args.wait)
    except Timeout:
        return _failed_early(out, base, f"another kit report is writing to {out} (lock "
                             f"{out / LOCK_NAME}); gave up after {args.wait:g} s")
    try:
        return _locked_run(args, corpus, out, per_notebook, skipped, base, notebooks, story)
    finally:
        lock.release()


def _extract_problems(folder: Path, args) -> list[dict]:
    """What the kit extract run that wrote the datasets of ``folder`` skipped, ignored or
    could not apply, named on stderr as a corpus's are (ArchiveError when ``folder`` is not
    the datasets of this kit's kit extract; UsageError for --corrections: kit extract
    applies them)."""
    from kit.output import archive

    if getattr(args, "corrections", None):
        raise UsageError(f"--corrections {args.corrections}: {folder} holds the datasets of "
                         "kit extract, which applied the corrections beside its corpus; give "
                         "them to kit extract (--corrections)")
    manifest = archive.read_manifest(folder)
    found = archive.stale(manifest)
    for problem in found:
        print(f"kit report: warning: {problem['message']}", file=sys.stderr)
    import pandas as pd

    holder = pd.DataFrame()  # what report_problems reads of an articles frame: its attrs
    holder.attrs.update(skipped=archive.skipped(manifest), problems=archive.problems(manifest))
    report_problems(holder, "kit report")
    return holder.attrs["skipped"] + [{**p, "sources_row": True} for p in
                                      holder.attrs["problems"]] + [
        {"path": p.get("path") or str(folder), "reason": p["reason"], "sources_row": True}
        for p in found]


def _stale_corrections(articles, path) -> list[dict]:
    """Corrections whose article is not in the corpus as reviewed (edited, gone): named on
    stderr and in the exit status (3), as a skipped file is; the report lists them too."""
    if path is None or not Path(path).is_file():
        return []
    from kit.review.apply import latest, stale_reason
    from kit.review.corrections import read, text_hash

    have = {text_hash(t) for t in articles["text"]}
    paths = set(articles["path"])
    stale = [{"path": c.label(), "reason": stale_reason(c, paths), "sources_row": True}
             for c in latest(read(path)) if c.content_hash not in have]
    for s in stale:
        print(f"kit report: warning: {s['path']}: {s['reason']}", file=sys.stderr)
    return stale


def _named(skipped: list[dict], most: int = 10) -> str:
    """The skipped files and ignored sources.csv rows, named (the first ``most``)."""
    names = [f"{s['path']}" + (f" line {s['line']}" if s.get("line") else "") + f" ({s['reason']})"
             for s in skipped[:most]]
    return "; ".join(names) + (f"; and {len(skipped) - most} more" if len(skipped) > most else "")


def _failed_early(out: Path, base: dict, msg: str) -> int:
    """A run that failed before any notebook ran: said on stderr, logged, indexed."""
    print(f"kit report: {msg}", file=sys.stderr)
    append_log(out, {**base, "status": "failed", "exit": EXIT_FAIL, "finished": _now(),
                     "duration_s": 0.0, "message": msg, "reports": []})
    _write_index(out)
    return EXIT_FAIL


def _write_index(out: Path) -> None:
    atomic_write(out / "index.html", index_html(read_log(out)))


def _owned(path: Path) -> bool:
    """Whether ``path`` (in --out) was written by kit report: pages carry the generator
    mark, notebooks papermill's metadata, the log only run records."""
    try:
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8", errors="replace")
            # the generator mark; pages of kits before it: their footer
            return (f'name="generator" content="{GENERATOR}"' in text[:4096]
                    or "<footer>kit report" in text or "Generated by kit report." in text)
        if path.suffix == ".ipynb":
            return "papermill" in json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        if path.name == RUNS_LOG:  # ours: run records only (a last line torn by a kill aside)
            lines = [ln for ln in path.read_text(encoding="utf-8", errors="replace").splitlines()
                     if ln.strip()]
            records = []
            for i, line in enumerate(lines):
                try:
                    records.append(json.loads(line))
                except ValueError:
                    if i < len(lines) - 1:
                        return False
            return bool(records) and all(isinstance(r, dict) and "status" in r and "started" in r
                                         for r in records)
    except (OSError, ValueError, AttributeError):
        return False
    return False


def _foreign_files(out: Path, reports: list[str] | None = None) -> list[str]:
    """The files of --out that kit report would replace but did not write."""
    names = ["index.html", RUNS_LOG] + [f"{n}{ext}" for n in (reports or REPORTS)
                                        for ext in (".html", ".ipynb", ".failed.ipynb")]
    return [n for n in names if (out / n).exists() and not _owned(out / n)]


def _import_nbconvert() -> None:
    with contextlib.suppress(Exception):
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor  # noqa: F401

        HTMLExporter(template_name="basic")


def _locked_run(args, corpus: Path, out: Path, per_notebook: dict, skipped: list,
                base: dict, notebooks: dict[str, Path], story: Path | None = None) -> int:
    t0 = time.perf_counter()
    quiet = getattr(args, "quiet", False)
    digest = run_hash(corpus, per_notebook, list(notebooks.values()), story)
    records = read_log(out)
    base = {**base, "started": _now(), "hash": digest,  # started: once the lock is ours
            "skipped_files": sum(not s.get("sources_row") for s in skipped)}
    remove_stale_tmp(out)
    if args.if_changed:
        last_ok = next((r for r in reversed(records) if r.get("status") == "ok"), None)
        present = all((out / f"{n}.html").exists() for n in per_notebook)
        if last_ok and last_ok.get("hash") == digest and present:
            # unchanged: the same warnings still apply, so the same status (3 while the
            # skipped files and ignored sources.csv rows are still there)
            code = EXIT_SKIPPED if skipped else EXIT_OK
            msg = f"unchanged since the run of {last_ok.get('finished')}; nothing to do" + (
                f"; still skipped or ignored: {_named(skipped)}" if skipped else "")
            if not quiet:
                print(f"kit report: {msg}")
            append_log(out, {**base, "status": "skipped", "exit": code, "finished": _now(),
                             "duration_s": round(time.perf_counter() - t0, 3),
                             "message": msg, "reports": []})
            _write_index(out)
            return code
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
                nb_path, seconds = execute(name, params, tmp, notebooks[name])
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
                append_log(out, {**base, "status": "failed", "exit": EXIT_FAIL,
                                 "finished": _now(),
                                 "duration_s": round(time.perf_counter() - t0, 3),
                                 "message": msg, "reports": [],
                                 "failed_notebook": kept.name if kept else None})
                _write_index(out)
                return EXIT_FAIL
            preload.join()
            nb = nbformat.read(nb_path, as_version=4)
            footer = report_footer(args, params, _now())
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
            f"; skipped or ignored: {_named(skipped)}" if skipped else "")
        code = EXIT_SKIPPED if skipped else EXIT_OK
        append_log(out, {**base, "status": "ok", "exit": code, "finished": _now(),
                         "duration_s": round(time.perf_counter() - t0, 3),
                         "message": msg, "reports": reports})
        _write_index(out)
        if not quiet:
            for rep in reports:
                print(f"kit report: wrote {out / rep['html']}")
        return code
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
