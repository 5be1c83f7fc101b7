"""`python -m crm import KIND FILE`: import a CSV or Excel file (or write a template with --template)."""

import sys
from pathlib import Path

from crm.commands.cli import CliError
from crm.imports.columns import IMPORT_KINDS
from crm.imports.read import ENCODINGS

HELP = "import records from a CSV or Excel file: import KIND FILE [--dry-run] [--sheet NAME] [--on-duplicate ...]"


def add_arguments(parser) -> None:
    parser.add_argument("kind", choices=IMPORT_KINDS, help="record kind")
    parser.add_argument("file", nargs="?", help="CSV (UTF-8 or Big5) or .xlsx file")
    parser.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
    parser.add_argument("--sheet", metavar="NAME", help="Excel sheet (default: the first)")
    parser.add_argument("--encoding", choices=list(ENCODINGS), default=None,
                        help="encoding of a CSV file (default: UTF-8, else Big5/GB18030 detected and said so; "
                             "a file that is not valid in it is refused with the line)")
    parser.add_argument("--on-duplicate", choices=("skip", "merge", "add"), default="skip",
                        help="what to do with a row that duplicates a record (default: skip)")
    parser.add_argument("--template", action="store_true", help="write an empty template for KIND instead")
    parser.add_argument("-o", "--output", metavar="FILE", help="with --template: where to write it (default: stdout)")
    parser.add_argument("--lang", choices=("en", "zh-TW"), default="en", help="language of the report")


def _print_notes(preview, lang: str) -> None:
    """Rows whose values were read by interpretation ("約53人" as about 53), for the administrator to check."""
    from crm.i18n import t
    from crm.imports.preview import notes_text

    if not preview.notes_count():
        return
    for p in preview.plans:
        if p.notes and p.status != "invalid":
            print(f"  {t('import.col.line', lang)} {p.line}\t{t('import.col.notes', lang)}\t{p.label}\t"
                  f"{notes_text(p, lang)}")


def _print_report(result, lang: str) -> None:
    from crm.i18n import t
    from crm.imports.flow import reason_text

    for key in ("rows", "imported", "merged", "skipped", "rejected", "created_cities", "created_organisations",
                "blank_rows"):
        print(f"{t(f'import.count.{key}', lang)}: {result.counts.get(key, 0)}")
    for row in result.report:
        outcome = t(f"import.outcome.{row['outcome']}", lang)
        print(f"  {t('import.col.line', lang)} {row['line']}\t{outcome}\t{row['label']}\t{reason_text(row, lang)}")


def run(args) -> int:
    from crm.imports import flow as importer

    if args.template:
        from crm.imports.columns import template_csv

        data = template_csv(args.kind)
        if args.output:
            Path(args.output).write_bytes(data)
            print(f"template written: {args.output}")
        else:
            sys.stdout.write(data.decode("utf-8-sig"))
        return 0
    if not args.file:
        raise CliError("give a FILE to import (or --template)")
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    from crm.accounts.users import ensure_local_user
    from crm.commands import ready_engine

    ready_engine()
    from crm.imports.limits import check_size
    from crm.imports.read import UnreadableFile

    try:
        check_size(path.stat().st_size)  # before the file is read into memory
        sheet = importer.read(path.read_bytes(), path.name, args.kind, args.sheet, args.encoding)
    except UnreadableFile as exc:  # refused before anything is read or written: say why, in the report's language
        raise CliError(exc.message(args.lang)) from None
    if sheet.encoding not in ("", "utf-8") and args.encoding is None:
        print(f"encoding: not UTF-8, read as {ENCODINGS[sheet.encoding]} (see --encoding)", file=sys.stderr)
    preview = importer.plan(sheet, args.kind, filename=path.name)
    mapped = {h: c for h, c in preview.mapping.items() if c}
    print("columns: " + ", ".join(f"{h} -> {c}" for h, c in mapped.items()), file=sys.stderr)
    if not mapped:
        raise CliError("no column of the file matches a field of " + args.kind + " (see --template)")
    if args.dry_run:
        result = importer.dry_run(preview, args.on_duplicate)
        print("dry run: nothing written")
    else:
        result = importer.commit(ensure_local_user(), preview, on_duplicate=args.on_duplicate)
        print(f"batch: {result.batch_id}")
    _print_report(result, args.lang)
    _print_notes(preview, args.lang)
    return 1 if result.counts.get("rejected") else 0
