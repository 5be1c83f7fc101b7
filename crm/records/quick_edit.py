"""Quick edits from a record's page: its status, dates and headcount changed without opening the whole form.

One transaction through the one write path: a status change (`writes.change_status`, kept in the status
history, a reason asked for postponing or cancelling) and the other fields (`writes.update`), both checked
against the version the user saw; either both are saved or neither.
"""

from datetime import date

from crm.models.kinds import get_kind
from crm.records.formspec import F, spec_for
from crm.store import writes
from crm.store.writes import Actor, unit

QUICK_FIELDS = ("start_on", "end_on", "signed_on", "valid_until", "established_on", "headcount")


def quick_fields(kind_name: str) -> list[F]:
    """The simple fields of the kind's form that a record page offers to change in place (status aside)."""
    spec = spec_for(kind_name)
    return [f for f in (spec.field(n) for n in QUICK_FIELDS) if f is not None and f.widget in ("date", "int")]


def _same(before, after) -> bool:
    if isinstance(after, date) and isinstance(before, str):
        return before[:10] == after.isoformat()
    return before == after


def changes(kind_name: str, record: dict, values: dict) -> dict:
    """The quick fields whose value differs from the record's (`values` typed: dates, ints or None)."""
    return {f.name: values.get(f.name) for f in quick_fields(kind_name)
            if f.name in values and not _same(record.get(f.name), values.get(f.name))}


def quick_edit(actor: Actor, kind_name: str, record: dict, expected_version: int, *, status: str | None = None,
               reason: str = "", values: dict | None = None) -> int | None:
    """Save what changed (status, quick fields) of `record` as it was at `expected_version`; the new version, or
    None when nothing changed. Raises `ValidationFailed` or `StaleRecord` with nothing saved."""
    fields = changes(kind_name, record, values or {})
    moved = bool(get_kind(kind_name).statuses) and status is not None and status != record.get("status")
    if not fields and not moved:
        return None
    version = expected_version
    with unit() as s:
        if moved:
            assert status is not None  # moved implies a status
            version = writes.change_status(actor, kind_name, record["id"], status, version, reason=reason, session=s)
        if fields:
            version = writes.update(actor, kind_name, record["id"], fields, version, session=s)
    return version


__all__ = ["QUICK_FIELDS", "changes", "quick_edit", "quick_fields"]
