"""Command line: ``kit figures`` prints cited figures, ``kit report`` renders reports,
``kit export`` writes the frames as files.

Exit status: 0 success; 1 failure (nothing usable produced); 2 bad usage;
3 success but some input files were skipped (each named on stderr).
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3


def _load(paths: list[str], prog: str, max_bytes: int | None = None):
    """Load the corpus, naming every skipped file and bad sources.csv row on stderr.

    Returns (articles, exit status if nothing could be loaded or None)."""
    import kit

    try:
        articles = kit.load_corpus(paths, **({} if max_bytes is None else {"max_bytes": max_bytes}))
    except kit.CorpusError as err:
        print(f"{prog}: {err}", file=sys.stderr)
        return None, EXIT_FAIL
    for problem in articles.attrs.get("skipped", []):
        print(f"{prog}: skipped {problem['path']}: {problem['reason']}", file=sys.stderr)
    for problem in articles.attrs.get("problems", []):
        print(f"{prog}: ignored {problem['path']} line {problem['line']}: {problem['reason']}",
              file=sys.stderr)
    return articles, None


def _status(articles) -> int:
    """3 when something was skipped or ignored, else 0."""
    return EXIT_SKIPPED if articles.attrs.get("skipped") or articles.attrs.get("problems") else EXIT_OK


def _figures_command(args: argparse.Namespace) -> int:
    import kit
    from kit import output
    from kit.corpus import max_bytes_limit

    try:
        max_bytes = max_bytes_limit(args.max_bytes)
    except ValueError as err:
        print(f"kit figures: {err}", file=sys.stderr)
        return EXIT_USAGE
    articles, failed = _load(args.paths, "kit figures", max_bytes)
    if failed is not None:
        return failed
    output.write_figures(kit.figures(articles), sys.stdout, args.format)
    return _status(articles)


def _default_corpus() -> list[str]:
    from pathlib import Path

    for candidate in (Path(__file__).resolve().parent.parent / "seeds", Path.cwd() / "seeds"):
        if candidate.is_dir():
            return [str(candidate)]
    return []


def _export_command(args: argparse.Namespace) -> int:
    from kit import export

    paths = args.paths or _default_corpus()
    if not paths:
        print("kit export: no PATH given and no seeds/ folder found", file=sys.stderr)
        return EXIT_USAGE
    articles, failed = _load(paths, "kit export")
    if failed is not None:
        return failed
    try:
        written = export.export_frames(export.frames(articles), args.out, args.format)
    except (export.ExportError, OSError) as err:
        print(f"kit export: {err}", file=sys.stderr)
        return EXIT_FAIL
    for path in written:
        print(path)
    return _status(articles)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kit",
        description="Cited figures from news articles: who reports which number, on whose word.",
        epilog="Exit status: 0 ok; 1 failed; 2 bad usage; 3 ok but some input files were "
        "skipped (named on stderr).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "figures",
        help="print every reported figure of the articles",
        description="Print one row per reported figure (value, qualifier, counted noun, status, "
        "claimant, sentence) of the .txt/.md/.html files of the given folders or files.",
        epilog="Bad files (binary, empty, undecodable, too large) are skipped and named on "
        "stderr with the reason. Exit status: 0 ok (also when no figure is found); 1 "
        "nothing could be read; 2 bad usage; 3 ok but some files were skipped.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders of them")
    p.add_argument("--format", choices=("table", "csv", "jsonl"), default="table",
                   help="table (for people), csv, or jsonl (one JSON object a figure)")
    p.add_argument("--max-bytes", metavar="N",
                   help="skip (and name) article files larger than N bytes, before reading "
                        "them (default: the environment variable KIT_MAX_BYTES, else "
                        "67108864 = 64 MiB)")
    p.set_defaults(func=_figures_command)

    p = sub.add_parser(
        "export",
        help="write the articles, sentences, figures and claims frames as files",
        description="Write articles, sentences, figures and claims of the articles to "
        "DIR/<frame>.<format> for spreadsheets, pandas or DuckDB. Parquet keeps the dtypes. "
        "Files are replaced atomically; files kit did not write are never overwritten.",
        epilog="Exit status: 0 ok; 1 failed (nothing overwritten); 2 bad usage; "
        "3 ok but some files were skipped.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="article files or folders of them (default: the seeds)")
    p.add_argument("--format", choices=("csv", "parquet", "json"), default="csv",
                   help="csv, parquet (keeps dtypes) or json (one array of records a file)")
    p.add_argument("--out", metavar="DIR", required=True, help="folder to write into")
    p.set_defaults(func=_export_command)

    p = sub.add_parser("report", help="render the parameterised notebooks to HTML reports",
                       add_help=False)
    p.set_defaults(func=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["report"]:
        from kit import report

        return report.main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `kit figures seeds | head`: the reader left, not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
