"""`python -m crm report --period 2020H1 --lang zh-TW|en [-o FILE.docx|.pdf|.txt]`: the half-year report."""

import sys
from pathlib import Path

HELP = "write the half-year report's international-affairs section (text to stdout, or Word/PDF/text file)"


def add_arguments(parser) -> None:
    parser.add_argument("--period", required=True, help="2020H1, 2020H2, 2020, 109H1 or 2020-01-01..2020-06-30")
    parser.add_argument("--lang", default="zh-TW", choices=("zh-TW", "en"))
    parser.add_argument("-o", "--output", help="write .docx, .pdf or .txt instead of printing the text")


def run(args) -> int:
    from crm.commands import ready_engine
    from crm.commands.cli import CliError
    from crm.documents.report.data import report_file, report_text, report_title
    from crm.periods import parse_period

    try:
        period = parse_period(args.period)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    output = Path(args.output) if args.output else None
    if output is not None:
        if output.suffix.lower() not in (".docx", ".pdf", ".txt"):
            raise CliError("the report is written as .docx, .pdf or .txt")
        if not output.parent.exists():
            raise CliError(f"folder does not exist: {output.parent}")
    ready_engine()
    text = report_text(period, args.lang)
    if output is None:
        sys.stdout.write(text)
        return 0
    fmt = output.suffix.lower().lstrip(".")
    data = text.encode("utf-8") if fmt == "txt" else report_file(report_title(period, args.lang), text, args.lang, fmt)
    output.write_bytes(data)
    print(f"wrote {output} ({len(data):,} bytes)")
    return 0
