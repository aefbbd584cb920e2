"""The command line: ``kit figures``, ``kit export``, ``kit evaluate``, ``kit report``,
``kit add`` and ``kit story new``, one parser.

Every command that reads articles takes ``--lexicon DIR`` (a story folder, or the name
of a story shipped with the kit; default: the environment variable ``KIT_LEXICON``),
checked before any work starts: a broken knowledge file exits 2 naming file and line.

Exit status, the same for every command: 0 success; 1 failure (nothing usable
produced); 2 bad usage or parameters; 3 success but some input files were
skipped or sources.csv rows ignored (each named on stderr).

The heavy modules (pandas, papermill, nbconvert) are imported by the command
that needs them, so ``kit --help`` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3
EXIT_CODES = ("Exit status: 0 ok (also when no figure is found); 1 failed, nothing usable "
              "produced; 2 bad usage or parameters; 3 ok but some input files were skipped or "
              "sources.csv rows ignored, or corrections not applied (each named on stderr).")


def default_corpus() -> Path:
    """The example corpus shipped with the kit (the seeds: five articles of 21 October 2024)."""
    return Path(__file__).resolve().parent / "data" / "seeds"


def _lexicon(args: argparse.Namespace, prog: str):
    """The story knowledge of ``--lexicon`` (else ``$KIT_LEXICON``, else the kit's own),
    loaded and checked; (lexicon, None), or (None, 2) with the problem on stderr."""
    from kit.lexicon import LexiconError, resolve

    try:
        return resolve(getattr(args, "lexicon", None)), None
    except LexiconError as err:
        print(f"{prog}: {err}", file=sys.stderr)
        return None, EXIT_USAGE


def _load(paths: list[str], prog: str, max_bytes: str | None = None, lexicon=None,
          columns: str | None = None):
    """Load the corpus, naming every skipped file and bad sources.csv row on stderr.

    Returns (articles, None), or (None, exit status) when nothing could be loaded."""
    from kit.load import CorpusError, load_corpus, max_bytes_limit
    from kit.load.tables import parse_columns

    try:
        limit = max_bytes_limit(max_bytes)
        mapping = parse_columns(columns)
    except ValueError as err:
        print(f"{prog}: {err}", file=sys.stderr)
        return None, EXIT_USAGE
    try:
        articles = load_corpus(paths, max_bytes=limit, lexicon=lexicon, columns=mapping)
    except CorpusError as err:
        print(f"{prog}: {err}", file=sys.stderr)
        return None, EXIT_FAIL
    report_problems(articles, prog)
    return articles, None


def report_problems(articles, prog: str) -> None:
    """Name each skipped file and ignored sources.csv row on stderr, and each web page
    read with the kit's own HTML reader."""
    for note in articles.attrs.get("notes", []):
        print(f"{prog}: note: {note['path']}: {note['note']}", file=sys.stderr)
    for problem in articles.attrs.get("skipped", []):
        print(f"{prog}: skipped {problem['path']}: {problem['reason']}", file=sys.stderr)
    for problem in articles.attrs.get("problems", []):
        print(f"{prog}: ignored {problem['path']} line {problem['line']}: {problem['reason']}",
              file=sys.stderr)


def _corpus(args: argparse.Namespace, prog: str, paths: list[str] | None = None):
    """The story knowledge and the corpus of a command's options: (lexicon, articles,
    None), or (None, None, exit status) with the problem named on stderr."""
    lex, failed = _lexicon(args, prog)
    if failed is not None:
        return None, None, failed
    articles, failed = _load(paths or args.paths, prog, args.max_bytes, lex, args.columns)
    return lex, articles, failed


def _scale_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", metavar="N",
                   help="worker processes on this machine (default: all cores); a corpus of "
                        "one partition or less runs in this process")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on the existing Dask cluster at ADDRESS (tcp://host:8786) instead; "
                        "default: the environment variable KIT_DASK_SCHEDULER")
    p.add_argument("--partition-size", metavar="N", type=int, default=None,
                   help="articles per partition sent to a worker (default 500)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar of partitions (default: when stderr is a terminal)")


def _frames(args: argparse.Namespace, articles, lex, prog: str, store=None):
    """The four frames of ``articles`` on the cores or cluster the options ask for:
    (Run, None), or (None, exit status) with the problem on stderr."""
    from kit.scale.cluster import jobs_value, scheduler_address
    from kit.scale.run import frames

    try:
        jobs = jobs_value(getattr(args, "jobs", 1))
    except ValueError as err:
        print(f"{prog}: {err}", file=sys.stderr)
        return None, EXIT_USAGE
    from kit.claims.grouping import claims
    from kit.review import CorrectionsError, corrected

    try:
        run = frames(articles, lex, jobs=jobs, scheduler=scheduler_address(args.scheduler),
                     store=store, full=getattr(args, "full", False),
                     partition_size=args.partition_size,
                     progress=getattr(args, "progress", None), claims=False)
        # the analyst's corrections, then the claims of the corrected figures
        figs = corrected(run.frames["figures"], articles, _corrections(args, prog), lexicon=lex,
                         sentences=run.frames["sentences"])
    except (ValueError, CorrectionsError) as err:  # --partition-size, corrections.csv
        print(f"{prog}: {err}", file=sys.stderr)
        return None, EXIT_USAGE
    except OSError as err:
        print(f"{prog}: {err}", file=sys.stderr)
        return None, EXIT_FAIL
    run.frames["figures"] = figs
    run.frames["claims"] = claims(figs, lexicon=lex)
    for bad in run.failed:
        where = bad.get("path") or f"partition {bad['partition']} ({bad.get('articles')} articles)"
        print(f"{prog}: skipped {where}: {bad['error']}", file=sys.stderr)
    report_stale(figs, prog)
    return run, None


def _corrections(args: argparse.Namespace, prog: str):
    """``--corrections PATH`` (which must exist), else None: corrections.csv beside the
    corpus when there is one."""
    from kit.review import CorrectionsError

    given = getattr(args, "corrections", None)
    if given is None:
        return None
    if not Path(given).is_file():
        raise CorrectionsError(f"--corrections {given}: no such file")
    return Path(given)


def report_stale(figs, prog: str) -> None:
    """Name on stderr each correction that could not be applied, and why."""
    for problem in figs.attrs.get("stale_corrections", []):
        print(f"{prog}: warning: {problem['message']}", file=sys.stderr)


def _status(articles, run=None) -> int:
    """3 when something was skipped or ignored (also a correction not applied), else 0."""
    skipped = articles.attrs.get("skipped") or articles.attrs.get("problems") or \
        (run is not None and (run.failed or run.frames["figures"].attrs.get("stale_corrections")))
    return EXIT_SKIPPED if skipped else EXIT_OK


def _figures_command(args: argparse.Namespace) -> int:
    from kit.output.formats import write_figures

    lex, articles, failed = _corpus(args, "kit figures")
    if failed is not None:
        return failed
    run, failed = _frames(args, articles, lex, "kit figures")
    if failed is not None:
        return failed
    write_figures(run.frames["figures"], sys.stdout, args.format)
    return _status(articles, run)


def _export_command(args: argparse.Namespace) -> int:
    from kit.output import export

    lex, articles, failed = _corpus(args, "kit export", args.paths or [str(default_corpus())])
    if failed is not None:
        return failed
    run, failed = _frames(args, articles, lex, "kit export")
    if failed is not None:
        return failed
    try:
        written = export.export_frames(run.frames, args.out, args.format)
    except (export.ExportError, OSError) as err:
        print(f"kit export: {err}", file=sys.stderr)
        return EXIT_FAIL
    for path in written:
        print(path)
    return _status(articles, run)


def _evaluate_command(args: argparse.Namespace) -> int:
    import json

    from kit.evaluate import GoldError, evaluate, read_labels
    from kit.extract.figures import figures
    from kit.review import CorrectionsError, read
    from kit.review.score import review_gold

    if args.corrections is not None and args.gold is not None:  # GOLD? then PATHs: a path
        args.paths, args.gold = [args.gold, *args.paths], None
    if (args.gold is None) == (args.corrections is None):
        print("kit evaluate: give the expected figures (GOLD.jsonl) or --corrections PATH, "
              "one of them", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.corrections:
            gold = read(_corrections(args, "kit evaluate"))
        else:
            gold = read_labels(Path(args.gold))
        context = read_labels(Path(args.context)) if args.context else []
    except (GoldError, CorrectionsError) as err:
        print(f"kit evaluate: {err}", file=sys.stderr)
        return EXIT_USAGE
    lex, articles, failed = _corpus(args, "kit evaluate")
    if failed is not None:
        return failed
    try:
        figs = figures(articles, lexicon=lex)  # the kit's own figures, uncorrected
        header, stale = "", []
        if args.corrections:
            reviews = review_gold(figs, articles, gold, lexicon=lex)
            figs, gold, header, stale = reviews.figures, reviews.labels, reviews.text(), \
                reviews.problems
        result = evaluate(figs, articles, gold, context, lexicon=lex,
                          gold_path=Path(args.gold or args.corrections), measures=figs["measure"])
    except GoldError as err:
        print(f"kit evaluate: {err}", file=sys.stderr)
        return EXIT_USAGE
    for problem in stale:
        print(f"kit evaluate: warning: {problem.message()}", file=sys.stderr)
    if args.format == "json":
        out = result.as_dict()
        if args.corrections:
            out["reviews"] = {**reviews.counts, "unscored": reviews.unscored}
        print(json.dumps(out, ensure_ascii=False, indent=1, default=str))
    else:
        sys.stdout.write(header + result.text())
    return EXIT_SKIPPED if stale else _status(articles)


def _report_command(args: argparse.Namespace) -> int:
    from kit.report.params import RunError, UsageError
    from kit.report.run import describe_notebooks, run, story_defaults

    if args.corpus is None:  # the example corpus, with its story unless one is given
        args.corpus = default_corpus()
        if args.lexicon is None and not os.environ.get("KIT_LEXICON"):
            args.lexicon = "troops"
    if args.describe:
        try:
            sys.stdout.write(describe_notebooks(args.notebook, story_defaults(args)[1]))
        except (UsageError, RunError) as err:
            print(f"kit report: {err}", file=sys.stderr)
            return EXIT_USAGE
        return EXIT_OK
    try:
        return run(args)
    except UsageError as err:
        print(f"kit report: {err}", file=sys.stderr)
        return EXIT_USAGE
    except RunError as err:
        print(f"kit report: {err}", file=sys.stderr)
        return EXIT_FAIL


def _extract_command(args: argparse.Namespace) -> int:
    from kit.load import CorpusError, max_bytes_limit
    from kit.load.tables import parse_columns
    from kit.output.datasets import DatasetError
    from kit.scale.cluster import jobs_value, scheduler_address
    from kit.review.corrections import CorrectionsError
    from kit.scale.stream import extract_archive, print_run

    lex, failed = _lexicon(args, "kit extract")
    if failed is not None:
        return failed
    try:
        jobs = jobs_value(args.jobs)
        limit = max_bytes_limit(args.max_bytes)
        mapping = parse_columns(args.columns)
        decisions = _corrections(args, "kit extract")
    except (ValueError, CorrectionsError) as err:
        print(f"kit extract: {err}", file=sys.stderr)
        return EXIT_USAGE
    try:
        run = extract_archive(args.paths, Path(args.out), lex, wait=args.wait, jobs=jobs,
                              scheduler=scheduler_address(args.scheduler), full=args.full,
                              store=not args.no_store, partition_size=args.partition_size,
                              columns=mapping, max_bytes=limit, progress=args.progress,
                              corrections=decisions)
    except (CorpusError, DatasetError, OSError) as err:  # (a CorpusError is a ValueError)
        print(f"kit extract: {err}", file=sys.stderr)
        return EXIT_FAIL
    except (ValueError, CorrectionsError) as err:  # --partition-size, corrections.csv
        print(f"kit extract: {err}", file=sys.stderr)
        return EXIT_USAGE
    print_run(run, "kit extract")
    if not run.articles:
        print(f"kit extract: no readable article in {', '.join(args.paths)}", file=sys.stderr)
        return EXIT_FAIL
    print(f"kit extract: {run.summary()}", file=sys.stderr)
    if args.verbose:
        print(f"kit extract: {run.timing_line()}", file=sys.stderr)
    for path in run.written:
        print(path)
    ignored = [p for p in run.problems if "note" not in p]  # a note is not a problem
    return EXIT_SKIPPED if (run.skipped or ignored or run.failed or run.stale) else EXIT_OK


def _add_command(args: argparse.Namespace) -> int:
    from kit.add import AddError, CorpusWriteError, Fetcher, add, read_sources
    from kit.add.fetch import USER_AGENT
    from kit.load.outlets import outlet_index

    lex, failed = _lexicon(args, "kit add")
    if failed is not None:
        return failed
    try:
        sources = read_sources(args.sources)
        fetcher = Fetcher(user_agent=args.user_agent or USER_AGENT,
                          timeout=_positive(args.timeout, "--timeout"),
                          retries=int(_positive(args.retries, "--retries", zero=True)),
                          backoff=_positive(args.backoff, "--backoff", zero=True),
                          delay=_positive(args.delay, "--delay", zero=True),
                          max_bytes=int(_positive(args.max_bytes, "--max-bytes")))
    except (AddError, ValueError) as err:
        print(f"kit add: {err}", file=sys.stderr)
        return EXIT_USAGE
    try:
        outcome = add(sources, args.to, fetcher, outlet_index(*lex.folders),
                      progress=lambda file: print(args.to / file, flush=True))
    except (CorpusWriteError, OSError) as err:
        print(f"kit add: {err}", file=sys.stderr)
        return EXIT_FAIL
    for what, note in outcome.notes:
        print(f"kit add: note: {what}: {note}", file=sys.stderr)
    for what, reason in outcome.failed:
        print(f"kit add: failed: {what}: {reason}", file=sys.stderr)
    if outcome.failed or not args.quiet:
        print(f"kit add: {outcome.summary()} into {args.to}", file=sys.stderr)
    if outcome.failed:
        return EXIT_SKIPPED if outcome.added or outcome.duplicates else EXIT_FAIL
    return EXIT_OK


def _positive(raw: str, option: str, zero: bool = False) -> float:
    """A number option's value; ValueError naming the option when it is not a number
    above zero (or, with ``zero``, at least zero)."""
    try:
        value = float(str(raw).replace("_", ""))
    except ValueError:
        value = float("nan")
    if not (value >= 0 if zero else value > 0):  # also refuses nan
        raise ValueError(f"{option} must be a number {'of 0 or more' if zero else 'above 0'}, "
                         f"got {raw!r}")
    return value


def _story_new_command(args: argparse.Namespace) -> int:
    from kit.story import StoryError, new_story

    try:
        written = new_story(args.folder)
    except (StoryError, OSError) as err:
        print(f"kit story new: {err}", file=sys.stderr)
        return EXIT_USAGE if isinstance(err, StoryError) else EXIT_FAIL
    print(f"kit story new: wrote {len(written)} files in {args.folder}; edit them, then "
          f"run: kit report --corpus YOUR_ARTICLES --lexicon {args.folder}")
    return EXIT_OK


def _corpus_options(p: argparse.ArgumentParser, nargs: str, formats: tuple[str, ...],
                    format_help: str) -> None:
    """The options of every command that reads a corpus: PATHs, --format, --max-bytes."""
    p.add_argument("paths", nargs=nargs, metavar="PATH",
                   help="article files or folders of them" + (
                       " (default: the example corpus shipped with the kit)" if nargs == "*"
                       else ""))
    p.add_argument("--format", choices=formats, default=formats[0], help=format_help)
    p.add_argument("--max-bytes", metavar="N",
                   help="skip (and name) article files larger than N bytes, before reading "
                        "them (default: the environment variable KIT_MAX_BYTES, else "
                        "67108864 = 64 MiB)")
    p.add_argument("--columns", metavar="NAME=COLUMN,...",
                   help="for article tables (Parquet, JSON Lines, CSV): which columns hold "
                        "text, id, outlet, title, byline, published, url, e.g. "
                        "text=body,published=date")
    _lexicon_option(p)


def _corrections_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corrections", metavar="PATH",
                   help="the analyst's decisions about figures (accept, reject, change, add; "
                        "see 'Reviewing figures' in the README); default: corrections.csv "
                        "beside the corpus (in the folder of the first PATH) when there is one")


def _lexicon_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lexicon", metavar="DIR",
                   help="story folder whose knowledge files (claimants, nouns, cues, ...) "
                        "extend and override the kit's own, or the name of a story shipped "
                        "with the kit (troops); default: the environment variable "
                        "KIT_LEXICON, else the kit's own knowledge only")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kit",
        description="Cited figures from news articles: who reports which number, on whose word.",
        epilog=EXIT_CODES,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "figures", help="print every reported figure of the articles", epilog=EXIT_CODES,
        description="Print one row per reported figure (value, qualifier, counted noun, status, "
        "claimant, sentence) of the .txt/.md/.html files of the given folders or files. "
        "Bad files (binary, empty, undecodable, too large) are skipped and named on stderr "
        "with the reason.")
    _corpus_options(p, "+", ("table", "csv", "jsonl"),
                    "table (for people), csv, or jsonl (one JSON object a figure)")
    _corrections_option(p)
    _scale_options(p)
    p.set_defaults(func=_figures_command)

    p = sub.add_parser(
        "export", help="write the articles, sentences, figures and claims frames as files",
        epilog=EXIT_CODES + " On failure nothing is overwritten.",
        description="Write articles, sentences, figures and claims of the articles to "
        "DIR/<frame>.<format> for spreadsheets, pandas or DuckDB. Parquet keeps the dtypes. "
        "Files are replaced atomically; files kit did not write are never overwritten.")
    _corpus_options(p, "*", ("csv", "parquet", "json"),
                    "csv, parquet (keeps dtypes) or json (one array of records a file)")
    p.add_argument("--out", metavar="DIR", required=True, help="folder to write into")
    _corrections_option(p)
    _scale_options(p)
    p.set_defaults(func=_export_command)

    p = sub.add_parser(
        "extract", help="write articles, sentences, figures and claims as Parquet datasets",
        epilog=EXIT_CODES + " On failure the previous datasets stay whole.",
        description="Write the articles, sentences, figures and claims of the corpus (folders "
        "of files or article tables) as Parquet datasets partitioned by publication month "
        "(DIR/<frame>/month=YYYY-MM/part-*.parquet), readable by pandas, DuckDB, Dask or "
        "Spark without the kit. The workers read, extract and write the archive piece by "
        "piece (batches of files, Parquet row groups). Folders in DIR the kit did not write "
        "are never replaced. A later run reads no piece whose files are unchanged and "
        "extracts only new or changed articles of the others (all of them after a kit "
        "upgrade or a change of knowledge files, or with --full); stderr says how many.")
    _corpus_options(p, "+", ("parquet",), "parquet (the only one: datasets)")
    p.add_argument("--out", metavar="DIR", required=True, help="folder to write into")
    _scale_options(p)
    _corrections_option(p)
    p.add_argument("--full", action="store_true",
                   help="extract every article again (the store is emptied first)")
    p.add_argument("--no-store", action="store_true",
                   help="extract everything and remember nothing (no DIR/kit-store)")
    p.add_argument("--wait", metavar="SECONDS", type=float, default=120.0,
                   help="how long to wait for another kit extract writing into --out "
                        "(default 120; then exit 1)")
    p.add_argument("--verbose", action="store_true",
                   help="also say on stderr how long each phase took (planning, starting the "
                        "workers, the pieces, the claims, moving the files into place)")
    p.set_defaults(func=_extract_command)

    p = sub.add_parser(
        "evaluate", help="score the kit against hand-labelled figures of a corpus",
        epilog=EXIT_CODES + " Exit 2 also for a labels file that cannot be read.",
        description="Compare the kit's figures of the articles with GOLD, a JSON Lines file of "
        "hand-labelled figures (one object a line: file, start, end, surface, low, high, "
        "qualifier, what, status, measure, claimant; a list where several values are right; "
        "start/end null to find the surface in the text). Prints precision, recall, F1, value "
        "F1 and the accuracy of qualifier, status, claimant, what and measure, then every "
        "missed figure, figure not expected and wrong field with its sentence. The format is "
        "documented in the module kit.evaluate.")
    p.add_argument("gold", metavar="GOLD.jsonl", nargs="?",
                   help="the expected figures (not with --corrections)")
    _corpus_options(p, "+", ("text", "json"),
                    "text (for people) or json (scores and every difference)")
    p.add_argument("--corrections", metavar="PATH",
                   help="score the kit on the figures an analyst reviewed instead (a "
                        "corrections.csv: accepted = right, corrected = the fields it got "
                        "wrong, added = a miss, rejected = a false figure); the figures "
                        "nobody reviewed are not scored")
    p.add_argument("--context", metavar="FILE",
                   help="JSON Lines of spans that are neither expected nor wrong")
    p.set_defaults(func=_evaluate_command)

    p = sub.add_parser(
        "report", help="render the parameterised report notebooks to HTML reports",
        description="Execute the report notebooks with papermill and write, per notebook, "
        "the executed .ipynb and a self-contained static .html (no scripts, nothing loaded "
        "from the network), plus index.html and an append-only run log runs.jsonl.",
        epilog="Parameters are checked against the notebook's 'parameters' cell before "
        "anything runs: unknown names or wrong types exit 2 and write nothing. A failing run "
        "exits 1, keeps the previous report and writes <name>.failed.ipynb; a missing "
        "corpus, an empty one and another run holding --out past --wait also exit 1. "
        + EXIT_CODES + " --if-changed skips an unchanged run with the status of the last "
        "one (3 while its skipped files are still there, else 0). Every run past the "
        "checks is a row of runs.jsonl and of index.html. Files in --out that kit report "
        "did not write are never replaced (the run exits 1 naming them). Article files "
        "larger than the environment variable KIT_MAX_BYTES (default 64 MiB) are skipped. "
        "--if-changed covers the corpus, the story folder, the parameters, the kit and its "
        "notebooks. Cron example: '0 6 * * * cd /data && /path/to/.venv/bin/kit report "
        "--corpus articles --lexicon stories/mystory --out reports --if-changed --quiet'.")
    p.add_argument("--corpus", metavar="DIR", type=Path,
                   help="folder (or file) of articles; default: the example corpus shipped "
                        "with the kit (the seeds)")
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
    p.add_argument("--notebook", metavar="PATH", action="append", type=Path,
                   help="render this notebook (or every notebook of this folder) instead of "
                        "the kit's report; repeatable. Its 'parameters' cell is checked like "
                        "the kit's; --corpus and --lexicon reach its corpus and lexicon "
                        "parameters; it runs in its own folder")
    p.add_argument("--describe", action="store_true",
                   help="print the parameters of each report notebook (name, type, default, "
                        "meaning) and exit")
    p.add_argument("--quiet", action="store_true",
                   help="print nothing on success (for cron: mail only when something is "
                        "wrong); warnings and errors still go to stderr")
    p.add_argument("--corrections", metavar="PATH", type=Path,
                   help="the analyst's decisions about figures (reaches the notebooks' "
                        "corrections parameter); default: corrections.csv beside the corpus "
                        "when there is one. The report counts the reviewed figures and marks "
                        "the others; --param reviewed_only=true shows the reviewed ones only")
    _lexicon_option(p)
    p.set_defaults(func=_report_command)

    p = sub.add_parser(
        "add", help="bring articles into a corpus folder from URLs, feeds and WARC files",
        epilog="Exit status: 0 every source added or already there; 1 nothing could be "
        "added (every source failed, or the folder cannot be written); 2 bad usage (a "
        "source that is no URL nor file, a bad line in a file of URLs, a bad option); 3 "
        "some added or already there, some failed (each named on stderr). The last line "
        "on stderr counts what was added, found already there and failed, with reasons. "
        "Cron recipe: 'kit add FEED --to CORPUS --quiet || [ $? -eq 3 ] && kit report "
        "--corpus CORPUS --out reports --if-changed --quiet'.",
        description="Fetch articles and write each into the corpus folder DIR: its text "
        "(NAME.txt, read by every kit command), the page as fetched (DIR/.raw/NAME.html, "
        "never read as an article) and a row of DIR/sources.csv (file, outlet, title, "
        "byline, published, url, fetched, sha256). SOURCE is an http(s) URL of a page or "
        "of an RSS/Atom feed (each entry's page is fetched), a WARC file (.warc, "
        ".warc.gz: its HTML responses), a feed saved as a file, or a text file of URLs "
        "(one a line, # comments). An article already in the corpus, by URL or by text, "
        "is not added again. Fetching is polite: one request at a time, --delay seconds "
        "between two to one host (or its robots.txt Crawl-delay), robots.txt honoured, a "
        "User-Agent naming the kit, retries with back-off, a timeout and a size limit. "
        "Every file is replaced atomically; rows already in sources.csv are kept.")
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="URL, feed URL, WARC file, feed file or file of URLs")
    p.add_argument("--to", metavar="DIR", type=Path, required=True,
                   help="the corpus folder (created if needed)")
    p.add_argument("--timeout", metavar="SECONDS", default="20",
                   help="give up on a request after this long (default 20)")
    p.add_argument("--retries", metavar="N", default="3",
                   help="tries after the first for a timeout, no answer, 429 or 5xx "
                        "(default 3)")
    p.add_argument("--backoff", metavar="SECONDS", default="1",
                   help="wait before the first retry, doubled for each next (default 1)")
    p.add_argument("--delay", metavar="SECONDS", default="1",
                   help="at least this long between two requests to one host (default 1)")
    p.add_argument("--max-bytes", metavar="N", default=str(10 * 1024 * 1024),
                   help="refuse pages larger than this (default 10485760 = 10 MiB)")
    p.add_argument("--user-agent", metavar="TEXT",
                   help="the User-Agent header (default: estimates-kit/VERSION and what it is)")
    p.add_argument("--quiet", action="store_true",
                   help="print the summary only when something failed (for cron)")
    _lexicon_option(p)
    p.set_defaults(func=_add_command)

    p = sub.add_parser(
        "story", help="start a story folder: the knowledge files and report defaults",
        epilog=EXIT_CODES,
        description="kit story new DIR writes a starter story folder: every knowledge file "
        "(claimants, counted nouns, noun families, cues, hedges, outlets, ...) with its "
        "header and a commented example row, and report.yaml, the default parameters of "
        "'kit report --lexicon DIR'. Existing files are never overwritten.")
    story = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = story.add_parser("new", help="write a starter story folder",
                         description="Write a starter story folder DIR (created if needed; "
                         "refused if it already holds any of the files).")
    q.add_argument("folder", metavar="DIR", type=Path)
    q.set_defaults(func=_story_new_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit status (``--help`` is 0, bad usage 2)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return args.func(args)
    except BrokenPipeError:  # `kit figures seeds | head`: the reader left, not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def entry_point() -> None:  # pragma: no cover - the console script
    sys.exit(main())


if __name__ == "__main__":  # python -m kit.cli
    entry_point()
