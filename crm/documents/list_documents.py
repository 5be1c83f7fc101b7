"""A list of records as a Word or PDF document: the columns that fit a page, filters applied.

Which columns is the kind's (`document_columns` of its form spec, `crm/records/kinds/<kind>.py`); a kind that
names none shows its first seven exported fields.
"""

from crm.config import today as office_today
from crm.documents.briefings.ties import Table
from crm.documents.exports import check_kind, columns_for, header, iter_rows
from crm.i18n import t
from crm.records.formspec import spec_for


def list_table(kind_name: str, lang: str, **filters) -> Table:
    check_kind(kind_name)
    fields = columns_for(kind_name)
    wanted = [f for f in spec_for(kind_name).document_columns or fields[:7] if f in fields]
    index = [fields.index(f) for f in wanted]
    rows = [[row[i] for i in index] for row in iter_rows(kind_name, lang, **filters)]
    return Table(kind_name, t(f"page.{kind_name}", lang), [header(f, lang) for f in wanted], rows)


def list_document(kind_name: str, fmt: str, lang: str, **filters) -> bytes:
    """The records `list_records` returns for `filters` as a Word (docx) or PDF table."""
    from crm.documents.briefings.build import Briefing
    from crm.documents.exports import ExportError
    from crm.periods import format_date

    table = list_table(kind_name, lang, **filters)
    period = filters.get("period")
    subtitle = period.label(lang) if period is not None else ""
    summary = [t("brief.generated", lang).format(day=format_date(office_today(), lang)),
               t("ui.count", lang, n=len(table.rows))]
    doc = Briefing(lang, table.title, subtitle, summary, table, Table("agenda", "", [], []))
    if fmt == "docx":
        from crm.documents.docx import list_docx

        return list_docx(doc)
    if fmt == "pdf":
        from crm.documents.pdf import list_pdf

        return list_pdf(doc)
    raise ExportError("doc.unknown_format", fmt=fmt, formats="csv, xlsx, docx, pdf")
