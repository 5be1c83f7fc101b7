"""Form specs shared by the record kinds: which fields a screen shows, with which widget and picker.

Each kind module (`crm/records/kinds/visits.py`...) declares a `SPEC`; the generic screens in
`crm/ui/` draw it, a Word/PDF list shows its document columns and an import reads its import columns
(`crm.records.import_columns`). Nothing here imports streamlit: the conversions between stored values and
editor rows (child collections) live here so they are tested without a browser.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from crm.models.kinds import EVENT_STATUSES, MEETING_MODES, SIGNING_MODES
from crm.records.import_columns import Column

# widget names: text | area | date | int | float | bool | choice | country | ref | datetime | partial
# ("partial": a date that may be only a month or a year, stored with `<name>_precision`)
REF_SUFFIX = re.compile(r"·\s*#(\d+)\s*$")


@dataclass(frozen=True)
class F:
    """One field of a form (or one column of a child editor)."""

    name: str
    widget: str = "text"
    ref: str | None = None  # the kind a picker chooses from ("cities", "people"...)
    choices: tuple[str, ...] = ()
    prefix: str = ""  # catalog prefix for choice labels ("status", "signing_mode"...)
    label: str = ""  # catalog key; default "rec.f.<name>"
    create_only: bool = False  # e.g. the initial status (later changes go through the status panel)
    help: str = ""
    shown_when: tuple[str, tuple[str, ...]] | None = None  # (field, values): drawn only while that field has one

    def shown(self, values: dict) -> bool:
        """Whether the field belongs on the form given the other fields' current values."""
        return self.shown_when is None or values.get(self.shown_when[0]) in self.shown_when[1]

    @property
    def label_key(self) -> str:
        return self.label or f"rec.f.{self.name}"


@dataclass(frozen=True)
class Section:
    label: str  # catalog key
    fields: tuple[F, ...]
    columns: int = 2


@dataclass(frozen=True)
class ChildEditor:
    key: str  # payload key (crm.models.kinds ChildSpec.key)
    label: str
    columns: tuple[F, ...]
    ordered: bool = False  # rows keep the order given (itinerary stops)


@dataclass(frozen=True)
class FormSpec:
    kind: str
    sections: tuple[Section, ...]
    children: tuple[ChildEditor, ...] = ()
    list_columns: tuple[str, ...] = ()
    document_columns: tuple[str, ...] = ()  # a Word/PDF list's columns (none: the first seven exported fields)
    import_columns: tuple[Column, ...] = ()  # what an import reads (none: derived from the fields, crm.imports.columns)
    kind_filter: F | None = None  # an extra filter of the list (partnership kind, meeting mode...)
    sort_fields: tuple[str, ...] = ()
    duplicates: bool = False
    extra: dict = field(default_factory=dict)

    def fields(self) -> list[F]:
        return [f for s in self.sections for f in s.fields]

    def field(self, name: str) -> F | None:
        return next((f for f in self.fields() if f.name == name), None)

    def child(self, key: str) -> ChildEditor | None:
        return next((c for c in self.children if c.key == key), None)


# --- shared field groups -------------------------------------------------------------------

def status_field(statuses: tuple[str, ...]) -> F:
    return F("status", "choice", choices=statuses, prefix="status", create_only=True)


OFF_PLAN = ("postponed", "cancelled")


def status_detail_fields() -> tuple[F, F]:
    """Asked on a new record created as postponed or cancelled: why, and (postponed) when it now is."""
    return (F("status_reason", "area", create_only=True, shown_when=("status", OFF_PLAN)),
            F("postponed_to", "partial", create_only=True, shown_when=("status", ("postponed",))))


def event_sections(statuses: tuple[str, ...] = EVENT_STATUSES) -> tuple[Section, Section]:
    """Title and the two date pairs every event has: planned, then actual (current)."""
    names = Section("rec.section.names", (F("title_zh"), F("title_en"), status_field(statuses),
                                          *status_detail_fields()))
    dates = Section("rec.section.dates", (
        F("planned_start", "date"), F("planned_end", "date"), F("start_on", "date"), F("end_on", "date"),
    ))
    return names, dates


NOTES = Section("rec.section.notes", (F("notes", "area"),), columns=1)
MODE = F("mode", "choice", choices=MEETING_MODES, prefix="meeting_mode")
SIGN_MODE = F("mode", "choice", choices=SIGNING_MODES, prefix="signing_mode")
COHORT_STATUS = F("status", "choice", choices=EVENT_STATUSES, prefix="status")


# --- editor rows <-> payload ----------------------------------------------------------------

def ref_label(label: str, record_id: int | None) -> str | None:
    """The text a picker cell shows for a record: 'Prague (CZ) · #12' (the id makes it unambiguous)."""
    if record_id is None:
        return None
    return f"{label} · #{record_id}"


def ref_id(value: Any) -> int | None:
    """The id in a picker cell ('Prague (CZ) · #12' → 12); None for an empty cell."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, int):
        return value
    match = REF_SUFFIX.search(str(value))
    if match:
        return int(match.group(1))
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value) or (
        type(value).__name__ in ("NaTType", "NAType"))


def _plain(column: F, value: Any) -> Any:
    if _empty(value):
        return None if column.widget in ("date", "partial", "int", "float", "ref", "choice", "datetime") else (
            False if column.widget == "bool" else "")
    if column.widget == "ref":
        return ref_id(value)
    if column.widget in ("date", "partial"):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if hasattr(value, "date"):
            return value.date()
        return date.fromisoformat(str(value)[:10])
    if column.widget == "int":
        return int(value)
    if column.widget == "float":
        return float(value)
    if column.widget == "bool":
        return bool(value)
    return str(value).strip()


def rows_to_payload(editor: ChildEditor, rows: list[dict]) -> list[dict]:
    """Editor rows (picker labels, blanks) → child rows for the write path; blank rows dropped."""
    out = []
    for row in rows:
        values = row_values(editor, row)
        if all(v in (None, "", False) for k, v in values.items() if not k.endswith("_precision")):
            continue
        out.append({k: v for k, v in values.items() if v is not None or k.endswith("_id")})
    return out


def row_values(editor: ChildEditor, row: dict) -> dict:
    """A child row's editor columns as typed values (ids, dates, text; blanks as None or ''); a partial date
    with its `<name>_precision`; a column not shown for the row's other values (`shown_when`) emptied."""
    values = {c.name: _plain(c, row.get(c.name)) for c in editor.columns}
    for c in editor.columns:
        if not c.shown(values):
            values[c.name] = _plain(c, None)
        if c.widget == "partial":
            precision = row.get(f"{c.name}_precision") or "day"
            values[f"{c.name}_precision"] = precision if values[c.name] is not None else ""
    return values


def payload_to_rows(editor: ChildEditor, rows: list[dict], labels: dict[str, dict[int, str]]) -> list[dict]:
    """Stored child rows → editor rows: ids shown as picker labels, dates as dates."""
    out = []
    for row in rows:
        item = {}
        for c in editor.columns:
            value = row.get(c.name)
            if c.widget == "ref" and c.ref:
                value = ref_label(labels.get(c.ref, {}).get(value, f"#{value}"), value) if value else None
            elif c.widget == "date" and isinstance(value, str) and value:
                value = date.fromisoformat(value[:10])
            item[c.name] = value
        out.append(item)
    return out


def referenced_ids(spec: FormSpec, record: dict) -> dict[str, set[int]]:
    """kind → ids a record points at (its fields and child rows), to name them in one query each."""
    wanted: dict[str, set[int]] = {}
    for f in spec.fields():
        if f.widget == "ref" and f.ref and record.get(f.name):
            wanted.setdefault(f.ref, set()).add(int(record[f.name]))
    for editor in spec.children:
        for row in record.get(editor.key) or []:
            for c in editor.columns:
                if c.widget == "ref" and c.ref and row.get(c.name):
                    wanted.setdefault(c.ref, set()).add(int(row[c.name]))
    return wanted


def form_payload(spec: FormSpec, values: dict, *, creating: bool) -> dict:
    """Form widget values → the write path's data: blanks become empty, create-only fields dropped on edit,
    fields not shown (`shown_when`) left out, a partial date read as (date, precision)."""
    from crm.errors import ValidationFailed
    from crm.periods import parse_partial

    data: dict = {}
    errors: dict = {}
    for f in spec.fields():
        if f.name not in values or (f.create_only and not creating) or not f.shown(values):
            continue
        value = values[f.name]
        if f.widget in ("text", "area"):
            value = (value or "").strip()
        elif f.widget in ("country",):
            value = value or None
        elif f.widget == "partial":
            text = (value or "").strip()
            if not text:
                data[f.name], data[f"{f.name}_precision"] = None, ""
                continue
            try:
                data[f.name], data[f"{f.name}_precision"] = parse_partial(text)
            except ValueError:
                errors[f.name] = ("err.partial_date", {})
            continue
        data[f.name] = value
    if errors:
        raise ValidationFailed(errors)
    return data


def changed_fields(before: dict | None, after: dict | None) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for what an audit entry changed (system columns left out)."""
    skip = {"version", "updated_at", "created_at", "search_text", "id"}
    before, after = before or {}, after or {}
    out = []
    for name in sorted(set(before) | set(after)):
        if name in skip:
            continue
        if before.get(name) != after.get(name):
            out.append((name, before.get(name), after.get(name)))
    return out


def spec_for(kind_name: str) -> FormSpec:
    """The form spec of a kind, from its module `crm.<kind>`."""
    import importlib

    from crm.models.kinds import get_kind

    get_kind(kind_name)  # KeyError for an unknown kind, before importing anything
    return importlib.import_module(f"crm.records.kinds.{kind_name}").SPEC
