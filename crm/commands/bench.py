"""`python -m crm bench`: time every page at 1k and 100k records, the exports and the import."""

from pathlib import Path

HELP = "benchmark every page at 1k and 100k records, exports and import; prints the three ratios"


def add_arguments(parser) -> None:
    parser.add_argument("--quick", action="store_true", help="a reduced run (small data sets) in under a minute")
    parser.add_argument("-o", "--output", type=Path, default=Path("bench-results.json"),
                        help="where to write the results (JSON with the table); default bench-results.json")
    parser.add_argument("--pages", nargs="*", default=(), metavar="PAGE", help="only these pages")
    parser.add_argument("--small", type=int, help="engagements in the small data set (default 1000)")
    parser.add_argument("--large", type=int, help="engagements in the large data set (default 100000)")
    parser.add_argument("--reruns", type=int, help="reruns per page (median)")
    parser.add_argument("--no-exports", action="store_true", help="skip the exports")
    parser.add_argument("--no-import", action="store_true", help="skip the import")


def run(args) -> int:
    from dataclasses import replace

    from crm.bench.run import FULL, QUICK, run_bench, table

    config = QUICK if args.quick else FULL
    changes = {k: v for k, v in (("small", args.small), ("large", args.large), ("reruns", args.reruns)) if v}
    if args.pages:
        changes["pages"] = tuple(args.pages)
    if args.no_exports:
        changes["export_rows"] = ()
    if args.no_import:
        changes["import_rows"] = ()
    config = replace(config, **changes)
    result = run_bench(config, args.output, say=lambda text: print(text, flush=True))
    print()
    print(table(result))
    print(f"\nresults written to {args.output}")
    return 0
