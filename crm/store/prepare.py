"""What single and bulk writes share: the actor, input validation, JSON snapshots and the audit entry.

`crm.store.writes` (one record) and `crm.store.batch` (an import, a merge) both prepare a record with
these functions, so a bulk write can never check less than a single one.
"""

import contextlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlmodel import Session, col

from crm import models as m
from crm.config import OFFICE_TIME_ZONE
from crm.errors import ValidationFailed
from crm.models.base import SYSTEM_FIELDS
from crm.models.kinds import WRITE_ROLES, Kind
from crm.store.validation import (
    check_dates,
    check_partial,
    check_parts,
    check_references,
    check_required,
    check_values,
    coerce,
    validate_children,
)


@dataclass(frozen=True)
class Actor:
    """Who is acting: every write names one."""

    username: str
    role: str
    id: int | None = None

    @property
    def can_write(self) -> bool:
        return self.role in WRITE_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


SYSTEM_ACTOR = Actor("system", "admin")


def jsonable(value: Any) -> Any:
    """A value as the audit log keeps it (dates as ISO text)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def row_dict(obj) -> dict:
    """Every column of a row, JSON-safe."""
    return {k: jsonable(getattr(obj, k)) for k in type(obj).model_fields}


def snapshot(session: Session, kind: Kind, record) -> dict:
    """The record and its child rows as plain JSON-safe data (what the audit log keeps)."""
    data = row_dict(record)
    for spec in kind.children:
        fk = getattr(spec.model, spec.parent_fk)
        rows = session.scalars(select(spec.model).where(fk == record.id).order_by(col(spec.model.seq)))
        data[spec.key] = [
            {k: v for k, v in row_dict(r).items() if k not in ("id", spec.parent_fk)} for r in rows
        ]
    return data


def add_audit(session: Session, actor: Actor, action: str, kind: Kind, record_id, version,
              before: dict | None, after: dict | None, batch_id: str | None = None, summary: str = "") -> None:
    """Add the audit entry of one change to the session (committed with the change)."""
    session.add(m.AuditEntry(
        user_id=actor.id, username=actor.username, action=action, kind=kind.name, record_id=record_id,
        version=version, before=before, after=after, batch_id=batch_id, summary=summary[:500],
    ))


def validate(session: Session, kind: Kind, data: dict, current: dict | None) -> tuple[dict, dict]:
    """Typed values and child rows of `data` for `kind` over `current`; raises `ValidationFailed`, writes nothing."""
    errors: dict = {}
    fields = {k: v for k, v in data.items() if k not in {s.key for s in kind.children}}
    for name in list(fields):
        if name in SYSTEM_FIELDS:
            fields.pop(name)
    values = coerce(kind.model, fields, errors)
    check_values(kind.name, values, errors)
    merged = {**(current or {}), **values}
    localise_datetimes(values, merged, errors)
    typed_merged = {k: v for k, v in merged.items()}
    for name in ("start_on", "end_on", "planned_start", "planned_end", "signed_on", "valid_until"):
        if isinstance(typed_merged.get(name), str):
            with contextlib.suppress(ValueError):
                typed_merged[name] = date.fromisoformat(typed_merged[name])
    check_dates(typed_merged, errors)
    check_required(kind, merged, errors)
    check_parts(merged, errors)
    check_partial(merged, errors)
    check_references(session, values, errors)
    children = {}
    for spec in kind.children:
        if spec.key in data:
            children[spec.key] = validate_children(session, spec, data[spec.key], errors)
    if errors:
        raise ValidationFailed(errors)
    return values, children


def localise_datetimes(values: dict, merged: dict, errors: dict) -> None:
    """Give naive datetimes the record's time zone (default the office's); check the zone's name."""
    zone_name = merged.get("timezone") or OFFICE_TIME_ZONE
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = ("err.unknown_choice", {"value": str(zone_name)[:50]})
        return
    for name, value in values.items():
        if isinstance(value, datetime) and value.tzinfo is None:
            values[name] = value.replace(tzinfo=zone)
