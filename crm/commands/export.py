"""`python -m crm export KIND --format csv|xlsx|docx|pdf|ics|vcf [--period P] [--lang L] -o FILE`."""

from pathlib import Path

from crm.models.kinds import KINDS

HELP = "export records as CSV, Excel, Word, PDF, calendar (.ics) or vCard (.vcf)"
EXPORT_KINDS = tuple(KINDS)
FORMATS = ("csv", "xlsx", "docx", "pdf", "ics", "vcf")


def add_arguments(parser) -> None:
    parser.add_argument("kind", metavar="KIND", help="one of: " + ", ".join(EXPORT_KINDS))
    parser.add_argument("--format", dest="fmt", default=None, help="csv, xlsx, docx, pdf, ics or vcf "
                        "(default: from the file name)")
    parser.add_argument("--period", help="2020H1, 2020H2, 2020, 109H1 or 2020-01-01..2020-06-30")
    parser.add_argument("--status", help="only records with this status")
    parser.add_argument("--country", help="only records in this country (ISO code)")
    parser.add_argument("-q", "--search", default="", help="only records matching this text")
    parser.add_argument("--lang", default="zh-TW", choices=("zh-TW", "en"))
    parser.add_argument("-o", "--output", required=True, help="file to write")


def _filters(args) -> dict:
    from crm.commands.cli import CliError
    from crm.periods import parse_period

    filters = {"q": args.search or ""}
    if args.period:
        try:
            filters["period"] = parse_period(args.period)
        except ValueError as exc:
            raise CliError(str(exc)) from exc
    if args.status:
        filters["status"] = args.status
    if args.country:
        filters["country"] = args.country.upper()
    return filters


def export_bytes(kind: str, fmt: str, lang: str, filters: dict) -> bytes:
    """The records of `kind` matching `filters` in `fmt` (documents: a briefing of the listed records)."""
    from crm.commands.cli import CliError

    if fmt in ("csv", "xlsx"):
        from crm.documents.exports import list_export

        return list_export(kind, fmt, lang, **filters)
    if fmt == "ics":
        from crm.documents.calendar import CALENDAR_KINDS, events_ics

        if kind not in CALENDAR_KINDS:
            raise CliError(f"--format ics exports dated events ({', '.join(CALENDAR_KINDS)}), not {kind}")
        return events_ics((kind,), lang, **filters)
    if fmt == "vcf":
        from crm.documents.calendar import people_vcf

        if kind != "people":
            raise CliError("--format vcf exports people (contacts) only")
        return people_vcf(lang, **filters)
    from crm.documents.list_documents import list_document

    return list_document(kind, fmt, lang, **filters)


def run(args) -> int:
    from crm.commands import ready_engine
    from crm.commands.cli import CliError

    if args.kind not in EXPORT_KINDS:
        raise CliError(f"unknown kind {args.kind!r}: use one of {', '.join(EXPORT_KINDS)}")
    output = Path(args.output)
    fmt = (args.fmt or output.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise CliError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if not output.parent.exists():
        raise CliError(f"folder does not exist: {output.parent}")
    filters = _filters(args)
    ready_engine()
    data = export_bytes(args.kind, fmt, args.lang, filters)
    output.write_bytes(data)
    print(f"wrote {output} ({len(data):,} bytes)")
    return 0
