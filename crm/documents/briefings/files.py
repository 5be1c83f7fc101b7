"""A briefing as a file: Word, PDF, Excel (one sheet per section) or CSV (sections one after another)."""

import csv
import io
import re

from crm.documents.briefings.build import Briefing
from crm.documents.docx import briefing_docx
from crm.documents.exports import MIME, ExportError, XlsxBook
from crm.text import neutralise_formula

BRIEFING_FORMATS = ("docx", "pdf", "xlsx", "csv")


def briefing_xlsx(briefing: Briefing) -> bytes:
    book = XlsxBook()
    for table in briefing.sheets():
        book.sheet(table.title, table.headers, table.rows)
    return book.close()


def briefing_csv(briefing: Briefing) -> bytes:
    """Each section: a title line, its header, its rows, then a blank line (utf-8-sig for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_formula(briefing.title)])
    for table in briefing.sheets():
        writer.writerow([])
        writer.writerow([neutralise_formula(table.title)])
        writer.writerow([neutralise_formula(h) for h in table.headers])
        for row in table.rows:
            writer.writerow(["" if v is None else neutralise_formula(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def briefing_file(briefing: Briefing, fmt: str) -> bytes:
    """The briefing in `fmt` (docx, pdf, xlsx, csv); a PDF needs a CJK font (`NoCjkFont` otherwise)."""
    if fmt == "docx":
        return briefing_docx(briefing)
    if fmt == "pdf":
        from crm.documents.pdf import briefing_pdf

        return briefing_pdf(briefing)
    if fmt == "xlsx":
        return briefing_xlsx(briefing)
    if fmt == "csv":
        return briefing_csv(briefing)
    raise ExportError("doc.unknown_format", fmt=fmt, formats=", ".join(BRIEFING_FORMATS))


def briefing_filename(briefing: Briefing, fmt: str) -> str:
    """`briefing-<ascii title>.<fmt>` (the title's Latin letters when it has any)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", briefing.title).strip("-")[:40]
    return f"briefing{'-' + slug if slug else ''}.{fmt}"


__all__ = ["BRIEFING_FORMATS", "MIME", "briefing_csv", "briefing_file", "briefing_filename", "briefing_xlsx"]
