"""List exports: what a list screen shows, filters applied, as CSV (utf-8-sig) or Excel.

Rows come from `crm.records.queries.list_records` page by page (never one giant load); related records
are named in the export language by the naming service (`crm.records.names`: never by internal id); choice
values are translated; text a spreadsheet would run as a formula is neutralised.
"""

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from crm.documents.columns import column_of, table_of
from crm.errors import LiaisonError
from crm.geo.countries import country_name
from crm.i18n import has, t
from crm.models.base import HIDDEN_FIELDS
from crm.models.kinds import KIND_BY_TABLE, KINDS, get_kind
from crm.records.kinds.partnerships import signers_text
from crm.records.names import Names, title_of
from crm.records.queries import list_records
from crm.store.writes import unit
from crm.text import neutralise_formula

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "ics": "text/calendar",
    "vcf": "text/vcard",
}
LIST_FORMATS = ("csv", "xlsx")
CHUNK = 2000
EXCEL_EPOCH = date(1899, 12, 30)
CHILD_COLUMNS = {k.name: k.summary_child for k in KINDS.values() if k.summary_child}  # summed up in one column


class ExportError(LiaisonError):
    """An export that cannot be made (unknown kind or format, no font...)."""


def _choice_label(kind_name: str, field: str, value, lang: str):
    if not isinstance(value, str) or not value:
        return value
    if field == "status":
        key = f"status.{value}"
    elif field == "kind":
        key = {"partnerships": f"partnership_kind.{value}", "organisations": f"org_kind.{value}"}.get(kind_name, "")
    elif field == "mode":
        key = f"signing_mode.{value}" if kind_name in ("partnerships", "agreements") else f"meeting_mode.{value}"
    elif field in ("party", "role"):
        key = f"doc.{field}.{value}"
    else:
        return value
    text = t(key, lang) if key else value
    return value if text == key else text


def columns_for(kind_name: str) -> list[str]:
    """The exported fields of a kind, names first, notes last."""
    kind = get_kind(kind_name)
    names = [c.name for c in table_of(kind.model).columns if c.name not in HIDDEN_FIELDS and c.name != "notes"]
    if kind_name in CHILD_COLUMNS:
        names.append(CHILD_COLUMNS[kind_name])
    return names + ["notes"]


def header(field: str, lang: str) -> str:
    """A column's heading in `lang`: the documents' own wording, else the form's label (a new kind's fields)."""
    for key in (f"doc.col.{field}", f"rec.f.{field}"):
        if has(key):
            return t(key, lang)
    return field


def reference_kinds(kind_name: str) -> dict[str, str]:
    """Foreign-key column → the kind it names (city_id → cities...)."""
    out = {}
    for column in table_of(get_kind(kind_name).model).columns:
        for fk in column.foreign_keys:
            target = KIND_BY_TABLE.get(fk.column.table.name)
            if target is not None:
                out[column.name] = target.name
    return out


def presenter_name(row: dict, names: Names) -> str:
    """An agenda item's presenter: the person on file, else the organisation, else the name as written."""
    return (names.name("people", row.get("presenter_person_id")) or names.name("organisations", row.get("presenter_org_id"))
            or row.get("presenter") or "")


def _child_summaries(kind_name: str, ids: list[int], names: Names, session=None) -> dict[int, str]:
    """One text per parent id summarising its child rows (itinerary cities, people, signings...)."""
    key = CHILD_COLUMNS.get(kind_name)
    if not key or not ids:
        return {}
    spec = next(c for c in get_kind(kind_name).children if c.key == key)
    fk = column_of(spec.model, spec.parent_fk)
    columns = table_of(spec.model).columns
    with unit(session) as s:
        stmt = select(*columns).where(fk.in_(ids)).order_by(fk, col(spec.model.seq))
        rows = [dict(r._mapping) for r in s.execute(stmt)]
    wanted: dict[str, set[int | None]] = {}
    refs = {c.name: KIND_BY_TABLE[f.column.table.name].name for c in columns
            for f in c.foreign_keys if f.column.table.name in KIND_BY_TABLE and c.name != spec.parent_fk}
    for row in rows:
        for field, target in refs.items():
            wanted.setdefault(target, set()).add(row.get(field))
    names.load(wanted)
    out: dict[int, list[str]] = {}
    for row in rows:
        parent = row[spec.parent_fk]
        if key == "itinerary":
            text = names.name("cities", row["city_id"])
        elif key == "people":
            text = names.name("people", row["person_id"])
            if row.get("role"):
                text += f" ({_choice_label(kind_name, 'role', row['role'], names.lang)})"
        elif key == "signings":
            place = names.name("cities", row.get("place_city_id"))
            who = signers_text(row, names.lang, lambda person: names.name("people", person))
            parts = [str(row["signed_on"] or ""), place, who, _choice_label("partnerships", "mode", row.get("mode"),
                                                                          names.lang)]
            text = " ".join(p for p in parts if p)
        elif key == "subforums":
            text = title_of(row, names.lang)
        else:  # agenda
            text = row.get("title") or ""
            presenter = presenter_name(row, names)
            if presenter:
                text += f" ({presenter})"
        out.setdefault(parent, []).append(text)
    return {k: "; ".join(v) for k, v in out.items()}


def _converters(kind_name: str, fields: list[str], refs: dict[str, str], names: Names,
                lang: str) -> list[Callable[[Any], Any]]:
    """One function per exported field turning a stored value into what a reader sees (worked out once)."""
    labels: dict[tuple[str, object], object] = {}
    yes, no = t("doc.yes", lang), t("doc.no", lang)

    def plain(value):
        if isinstance(value, str):
            return neutralise_formula(value)
        if isinstance(value, bool):
            return yes if value else no
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value

    def choice(field):
        def convert(value):
            key = (field, value)
            if key not in labels:
                labels[key] = neutralise_formula(_choice_label(kind_name, field, value, lang))
            return labels[key]
        return convert

    def reference(target: str) -> Callable[[Any], Any]:
        return lambda value: neutralise_formula(names.name(target, value))

    out: list[Callable[[Any], Any]] = []
    for field in fields:
        if field in refs:
            out.append(reference(refs[field]))
        elif field == "country_code":
            out.append(lambda value: country_name(value, lang))
        elif field in ("status", "kind", "mode", "party", "role"):
            out.append(choice(field))
        else:
            out.append(plain)
    return out


def iter_rows(kind_name: str, lang: str, *, chunk: int | None = None, session=None, **filters) -> Iterator[list]:
    """Rows (lists of typed values, names for references) of everything `list_records` returns for `filters`."""
    fields = columns_for(kind_name)
    refs = reference_kinds(kind_name)
    names = Names(lang, session)
    convert = list(zip(fields, _converters(kind_name, fields, refs, names, lang), strict=True))
    child_key = CHILD_COLUMNS.get(kind_name, "_")
    filters = {k: v for k, v in filters.items() if k not in ("page", "page_size")}
    chunk = chunk or CHUNK
    page = 1
    while True:
        result = list_records(kind_name, page=page, page_size=chunk, session=session, **filters)
        rows = result.rows
        if not rows:
            return
        wanted: dict[str, set[int | None]] = {}
        for row in rows:
            for field, target in refs.items():
                wanted.setdefault(target, set()).add(row.get(field))
        names.load(wanted)
        children = _child_summaries(kind_name, [r["id"] for r in rows], names, session)
        for row in rows:
            row[child_key] = children.get(row["id"], "")
            yield [fn(row.get(field)) for field, fn in convert]
        if page * chunk >= result.total:
            return
        page += 1


def check_kind(kind_name: str, lang: str = "en") -> None:
    if kind_name not in KINDS:
        raise ExportError("doc.unknown_kind", kind=kind_name, kinds=", ".join(KINDS))


def write_csv(headers: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_formula(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8-sig")


class XlsxBook:
    """An xlsxwriter workbook in memory: typed cells, bold frozen header, sensible widths."""

    def __init__(self) -> None:
        import xlsxwriter

        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True,
                                                      "strings_to_formulas": False, "strings_to_urls": False,
                                                      "strings_to_numbers": False})
        self.bold = self.book.add_format({"bold": True, "bg_color": "#DDE6F0", "text_wrap": True, "valign": "top"})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = self.book.add_format({"num_format": "yyyy-mm-dd hh:mm"})

    def sheet(self, title: str, headers: list[str], rows) -> int:
        """Add a sheet; returns the number of data rows written."""
        clean = "".join(c for c in title if c not in "[]:*?/\\")[:28] or "Sheet"
        taken = {ws.name for ws in self.book.worksheets()}
        name, n = clean, 1
        while name in taken:
            n += 1
            name = f"{clean} {n}"
        ws = self.book.add_worksheet(name)
        widths = [max(8, min(40, len(h) * 2 + 2)) for h in headers]
        for c, h in enumerate(headers):
            ws.write_string(0, c, h, self.bold)
        ws.freeze_panes(1, 0)
        n = 0
        write_string = ws.write_string
        for n, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if type(value) is str:
                    text = neutralise_formula(value)
                    write_string(n, c, text)
                    if n <= 200:
                        widths[c] = max(widths[c], min(50, len(text) + 2))
                elif isinstance(value, bool):
                    ws.write_boolean(n, c, value)
                elif isinstance(value, (int, float)):
                    ws.write_number(n, c, value)
                elif isinstance(value, datetime):
                    ws.write_datetime(n, c, value.replace(tzinfo=None), self.datetime)
                elif isinstance(value, date):  # an Excel date is a day number: cheaper than write_datetime
                    ws.write_number(n, c, (value - EXCEL_EPOCH).days, self.date)
                else:
                    text = str(neutralise_formula(value))
                    ws.write_string(n, c, text)
                    if n <= 200:
                        widths[c] = max(widths[c], min(50, len(text) + 2))
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        if headers:
            ws.autofilter(0, 0, max(n, 1), len(headers) - 1)
        return n

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def list_export(kind_name: str, fmt: str, lang: str, **filters) -> bytes:
    """Everything `list_records(kind_name, **filters)` returns (all pages) as `fmt` bytes (csv or xlsx)."""
    check_kind(kind_name)
    fmt = (fmt or "").lower()
    if fmt not in LIST_FORMATS:
        raise ExportError("doc.unknown_format", fmt=fmt, formats=", ".join(LIST_FORMATS))
    headers = [header(f, lang) for f in columns_for(kind_name)]
    rows = iter_rows(kind_name, lang, **filters)
    if fmt == "csv":
        return write_csv(headers, rows)
    book = XlsxBook()
    book.sheet(t(f"page.{kind_name}", lang), headers, rows)
    return book.close()


def filename(kind_name: str, fmt: str, lang: str, suffix: str = "") -> str:
    """A download file name such as `visits-2020H1.xlsx` (ASCII, safe everywhere)."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in suffix)
    return f"{kind_name}{'-' + safe if safe else ''}.{fmt}"
