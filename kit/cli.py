"""Command line: ``kit figures`` prints cited figures, ``kit report`` renders reports.

Exit status: 0 success; 1 failure (nothing usable produced); 2 bad usage;
3 success but some input files were skipped (each named on stderr).
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3


def _figures_command(args: argparse.Namespace) -> int:
    import kit
    from kit import output

    try:
        articles = kit.load_corpus(args.paths)
    except kit.CorpusError as err:
        print(f"kit figures: {err}", file=sys.stderr)
        return EXIT_FAIL
    skipped = articles.attrs.get("skipped", [])
    for problem in skipped:
        print(f"kit figures: skipped {problem['path']}: {problem['reason']}", file=sys.stderr)
    figs = kit.figures(articles)
    output.write_figures(figs, sys.stdout, args.format)
    return EXIT_SKIPPED if skipped else EXIT_OK


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
        epilog="Exit status: 0 ok; 1 nothing could be read; 3 ok but some files were skipped.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders of them")
    p.add_argument("--format", choices=("table", "csv", "jsonl"), default="table",
                   help="table (for people), csv, or jsonl (one JSON object a figure)")
    p.set_defaults(func=_figures_command)

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
