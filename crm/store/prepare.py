"""What single and bulk writes share: the actor, input validation, JSON snapshots and the audit entry.

`crm.store.writes` (one record) and `crm.store.batch` (an import, a merge) both prepare a record with
these functions, so a bulk write can never check less than a single one.

The actor a write is given only names an account: `resolve` reads that account's role and state from the
`User` table (in the write's own session, or through the read cache per data version), so an `Actor`
built with another role, for a user who does not exist or whose account is disabled, writes nothing.
"""

import contextlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import event, select
from sqlmodel import Session, col

from crm import models as m
from crm.config import OFFICE_TIME_ZONE
from crm.errors import PermissionDenied, ValidationFailed
from crm.models.base import SYSTEM_FIELDS
from crm.models.kinds import WRITE_ROLES, Kind
from crm.store.cache import cached
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
    """Who is acting: every write names one. Only the account it names counts: the write path reads its role
    and state from the database (`resolve`); the `role` given here is what the screens use to draw."""

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
"""The command line's and the migrations' actor, which has no account. It is recognised by identity
(`actor is SYSTEM_ACTOR`), never by its name or role: an `Actor("system", "admin")` made elsewhere is an
account named "system", which does not exist."""

Account = tuple[int, str, str, bool]  # (id, username, role, active) of a `User` row
_MEMO = "liaison_accounts"  # session.info key: the accounts read in this transaction


def _account(session: Session, username: str) -> Account | None:
    u = m.User
    row = session.execute(select(col(u.id), col(u.username), col(u.role), col(u.active))
                          .where(col(u.username) == username)).first()
    return (row[0], row[1], row[2], bool(row[3])) if row is not None else None


@cached  # re-read after any write (every account change is audited, so it changes the data version)
def _stored_account(username: str) -> Account | None:
    from crm.store.engine import ensure_ready

    with Session(ensure_ready()) as s:
        return _account(s, username)


def resolve(actor: Actor, session: Session | None = None) -> Actor:
    """The acting account as the database has it (its role, id and name), for a write to check and to audit.

    Read in `session` (once per transaction) when given, else through the read cache. Raises
    `PermissionDenied` for an account that does not exist (or another account than the id says) or is
    disabled. `SYSTEM_ACTOR` (the object itself) stands for itself.
    """
    if actor is SYSTEM_ACTOR:
        return SYSTEM_ACTOR
    if not isinstance(actor, Actor) or not isinstance(actor.username, str) or not actor.username:
        raise PermissionDenied("err.actor_unknown", user="?")
    if session is None:
        found = _stored_account(actor.username)
    else:
        memo = session.info.setdefault(_MEMO, {})
        if actor.username not in memo:
            memo[actor.username] = _account(session, actor.username)
        found = memo[actor.username]
    if found is None or (actor.id is not None and found[0] != actor.id):
        raise PermissionDenied("err.actor_unknown", user=actor.username[:64])
    if not found[3]:
        raise PermissionDenied("err.actor_disabled", user=actor.username[:64])
    return Actor(username=found[1], role=found[2], id=found[0])


@event.listens_for(Session, "after_transaction_end")
def _forget_accounts(session: Session, _transaction) -> None:
    """An account read in one transaction is read again in the next (its role may have changed meanwhile)."""
    session.info.pop(_MEMO, None)


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


def validate(session: Session, kind: Kind, data: dict, current: dict | None,
             unresolved: Collection[str] = ()) -> tuple[dict, dict]:
    """Typed values and child rows of `data` for `kind` over `current`; raises `ValidationFailed`, writes nothing.

    `unresolved`: reference fields that point at records staged in the same bulk write (checked there, and
    given their ids when it is written), so their targets are not looked up here."""
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
    check_references(session, {k: v for k, v in values.items() if k not in unresolved} if unresolved else values,
                     errors)
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
