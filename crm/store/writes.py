"""The one write path. Every change to a record goes through here.

Each function takes the acting user and reads that account's role and state from the database
(`prepare.resolve`: a made-up or disabled actor writes nothing), refuses a read-only role, validates input
(raising `ValidationFailed` with per-field catalog keys, nothing written), refuses a stale edit
(`StaleRecord`: every change names the version its caller showed, and claims the next one atomically, so
two writers of one version never both succeed), keeps status history, and records an `AuditEntry` with
the record before and after. Functions work inside the caller's session when given one (so an import is
one transaction); without one they open their own and commit. A database still locked by another writer
after the busy timeout raises `DatabaseBusy` (crm.store.engine), which says so in the user's language.
"""

from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from crm import models as m
from crm.errors import NotFound, PermissionDenied, StaleRecord, ValidationFailed
from crm.models.base import HIDDEN_FIELDS
from crm.models.kinds import Kind, get_kind
from crm.periods import PRECISIONS
from crm.store.engine import busy_error
from crm.store.prepare import SYSTEM_ACTOR, Actor, add_audit, resolve, snapshot, validate
from crm.store.search import search_text_for

__all__ = ["SYSTEM_ACTOR", "Actor", "change_status", "claim_version", "create", "delete", "in_one_transaction",
           "load_record", "require_admin", "require_write", "restore", "revert", "set_setting", "snapshot", "stale_error",
           "unit", "update"]


def require_write(actor: Actor, *, session: Session | None = None) -> Actor:
    """The acting account as stored (`prepare.resolve`), if its role may change records."""
    stored = resolve(actor, session)
    if not stored.can_write:
        raise PermissionDenied("err.read_only")
    return stored


def require_admin(actor: Actor, *, session: Session | None = None) -> Actor:
    """The acting account as stored, if it is an administrator."""
    stored = require_write(actor, session=session)
    if not stored.is_admin:
        raise PermissionDenied("err.forbidden")
    return stored


@contextmanager
def unit(session: Session | None = None):
    """A unit of work: the given session as it is, or a new one committed at the end (rolled back on error).

    A database that stays locked by another writer (an import on SQLite) past the busy timeout raises
    `DatabaseBusy`: nothing of the unit is written.
    """
    if session is not None:
        yield session
        return
    from crm.store.engine import ensure_ready

    with Session(ensure_ready(), expire_on_commit=False) as own:
        try:
            yield own
            own.commit()
        except OperationalError as exc:
            own.rollback()
            busy = busy_error(exc)
            if busy is None:
                raise
            raise busy from exc
        except BaseException:
            own.rollback()
            raise


def _write_children(session: Session, kind: Kind, record_id: int, children: dict) -> None:
    for spec in kind.children:
        if spec.key not in children:
            continue
        session.exec(sql_delete(spec.model).where(getattr(spec.model, spec.parent_fk) == record_id))
        for row in children[spec.key]:
            session.add(spec.model(**row, **{spec.parent_fk: record_id}))
    session.flush()


def _refresh_search(session: Session, kind: Kind, record) -> None:
    record.search_text = search_text_for(session, kind, record)
    session.add(record)


def _load(session: Session, kind: Kind, record_id: int, *, allow_deleted: bool = False):
    record = session.get(kind.model, record_id)
    if record is None or (record.deleted_at is not None and not allow_deleted):
        raise NotFound("err.not_found", kind=f"kind.{kind.name}", id=record_id)
    return record


def _bump_version(session: Session, kind: Kind, record, expected_version: int) -> None:
    """Claim the next version of `record` if the stored one is still `expected_version`, else raise `StaleRecord`.

    One statement (UPDATE … SET version = version + 1 WHERE id = … AND version = …) decides: of two writers
    holding the same version only one changes a row (PostgreSQL makes the second wait for the first and
    then finds no row; SQLite lets one writer at a time), so version numbers never repeat.
    """
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise TypeError(f"a write names the version it read, not {expected_version!r}")
    model = kind.model
    result = session.exec(
        sql_update(model).where(col(model.id) == record.id, col(model.version) == expected_version)
        .values(version=col(model.version) + 1).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(record)
        raise stale_error(session, kind, record)
    record.version = expected_version + 1
    record.updated_at = m.utcnow()


def claim_version(session: Session, kind: Kind, record, expected_version: int) -> None:
    """The version check of every write, for writes of what a record carries beside its columns (its tags and
    owner: crm.store.labels): claim its next version or raise `StaleRecord`."""
    _bump_version(session, kind, record, expected_version)


def load_record(session: Session, kind: Kind, record_id: int):
    """The record to change (not deleted), or `NotFound`."""
    return _load(session, kind, record_id)


def stale_error(session: Session, kind: Kind, record) -> StaleRecord:
    """The refusal of a stale write of `record`: who changed it last, when, and what it holds now."""
    last = session.scalars(
        select(m.AuditEntry).where(col(m.AuditEntry.kind) == kind.name, col(m.AuditEntry.record_id) == record.id)
        .order_by(col(m.AuditEntry.id).desc()).limit(1)
    ).first()
    user = last.username if last else "?"
    at = last.at.strftime("%Y-%m-%d %H:%M") if last else "?"
    return StaleRecord(user=user, at=at, version=record.version, theirs=snapshot(session, kind, record))


def create(actor: Actor, kind_name: str, data: dict, *, session: Session | None = None,
           batch_id: str | None = None, is_demo: bool = False) -> int:
    """Create a record (with its child rows); returns its id."""
    kind = get_kind(kind_name)
    with unit(session) as s:
        actor = require_write(actor, session=s)
        values, children = validate(s, kind, data, None)
        if kind.is_event and values.get("planned_start") is None and values.get("start_on") is not None:
            values.setdefault("planned_start", values["start_on"])
            values.setdefault("planned_end", values.get("end_on"))
        record = kind.model(**values, is_demo=is_demo)
        s.add(record)
        s.flush()
        assert record.id is not None  # flushed: the database gave it its id
        _write_children(s, kind, record.id, children)
        _refresh_search(s, kind, record)
        s.flush()
        after = snapshot(s, kind, record)
        add_audit(s, actor, "create", kind, record.id, record.version, None, after, batch_id)
        status = getattr(record, "status", None)
        if kind.statuses and status:
            s.add(m.StatusChange(kind=kind.name, record_id=record.id, to_status=status,
                                 reason=getattr(record, "status_reason", "") or "",
                                 new_start=getattr(record, "postponed_to", None),
                                 new_precision=getattr(record, "postponed_to_precision", "") or "",
                                 user_id=actor.id, username=actor.username))
        s.flush()
        return record.id


def update(actor: Actor, kind_name: str, record_id: int, data: dict, expected_version: int,
           *, session: Session | None = None, action: str = "update", batch_id: str | None = None) -> int:
    """Change fields (and, when given, whole child collections) of the record at `expected_version` (the
    version the caller read); returns the new version."""
    kind = get_kind(kind_name)
    with unit(session) as s:
        actor = require_write(actor, session=s)
        record = _load(s, kind, record_id)
        before = snapshot(s, kind, record)
        values, children = validate(s, kind, data, before)
        _bump_version(s, kind, record, expected_version)
        for name, value in values.items():
            setattr(record, name, value)
        s.add(record)
        s.flush()
        _write_children(s, kind, record.id, children)
        _refresh_search(s, kind, record)
        s.flush()
        after = snapshot(s, kind, record)
        add_audit(s, actor, action, kind, record.id, record.version, before, after, batch_id)
        if kind.statuses and before.get("status") != after.get("status"):
            s.add(m.StatusChange(kind=kind.name, record_id=record.id, from_status=before.get("status") or "",
                                 to_status=after.get("status") or "", user_id=actor.id, username=actor.username))
        return record.version


def change_status(actor: Actor, kind_name: str, record_id: int, new_status: str, expected_version: int,
                  *, reason: str = "", new_start: date | None = None, new_end: date | None = None,
                  precision: str = "day", session: Session | None = None, batch_id: str | None = None) -> int:
    """Move a record to `new_status`, keeping the change (reason, new dates) in its history.

    A new date may be known only to the month or the year (`precision`): it is then kept as the
    postponed plan's new date and the record's own dates stay. Choosing the current status again
    corrects its reason or new date: audited, but no status change is added to the history.
    """
    kind = get_kind(kind_name)
    with unit(session) as s:
        actor = require_write(actor, session=s)
        record = _load(s, kind, record_id)
        errors: dict = {}
        from crm.text import clean

        reason = clean(reason)
        same = new_status == record.status
        if new_status not in kind.statuses:
            errors["status"] = ("err.unknown_status", {"status": str(new_status)[:50]})
        elif same and reason == (getattr(record, "status_reason", "") or "") and (
                new_start is None or new_start == getattr(record, "postponed_to", None)):
            errors["status"] = ("err.same_status", {})
        if new_status in ("postponed", "cancelled") and not reason:
            errors["reason"] = ("err.required", {})
        if len(reason) > 2000:
            errors["reason"] = ("err.too_long", {"max": 2000})
        if precision not in PRECISIONS:
            errors["new_start"] = ("err.partial_date", {})
        if new_start and new_end and new_end < new_start:
            errors["new_end"] = ("err.end_before_start", {})
        for name, value in (("new_start", new_start), ("new_end", new_end)):
            if value is not None and not 1900 <= value.year <= 2100:
                errors[name] = ("err.date_range", {})
        if errors:
            raise ValidationFailed(errors)
        before = snapshot(s, kind, record)
        _bump_version(s, kind, record, expected_version)
        old = record.status
        record.status = new_status
        if hasattr(record, "status_reason"):
            record.status_reason = reason
        if new_start is not None and kind.date_field and precision == "day":
            setattr(record, kind.date_field, new_start)
            if kind.end_field and kind.is_event:
                setattr(record, kind.end_field, new_end or new_start)
        if hasattr(record, "postponed_to"):
            if new_status != "postponed":
                record.postponed_to, record.postponed_to_precision = None, ""
            elif new_start is not None:
                record.postponed_to, record.postponed_to_precision = new_start, precision
        s.add(record)
        if not same:
            s.add(m.StatusChange(kind=kind.name, record_id=record.id, from_status=old or "", to_status=new_status,
                                 reason=reason, new_start=new_start, new_end=new_end,
                                 new_precision=precision if new_start else "", user_id=actor.id,
                                 username=actor.username))
        s.flush()
        add_audit(s, actor, "status", kind, record.id, record.version, before, snapshot(s, kind, record), batch_id,
               summary=f"{old} -> {new_status}" if not same else f"{old}: reason or new date corrected")
        return record.version


def delete(actor: Actor, kind_name: str, record_id: int, expected_version: int,
           *, session: Session | None = None, batch_id: str | None = None) -> None:
    """Soft delete of the record at `expected_version`: it disappears from lists and can be restored."""
    kind = get_kind(kind_name)
    with unit(session) as s:
        actor = require_write(actor, session=s)
        record = _load(s, kind, record_id)
        before = snapshot(s, kind, record)
        _bump_version(s, kind, record, expected_version)
        record.deleted_at = m.utcnow()
        s.add(record)
        s.flush()
        add_audit(s, actor, "delete", kind, record.id, record.version, before, snapshot(s, kind, record), batch_id)


def restore(actor: Actor, kind_name: str, record_id: int, expected_version: int, *,
            session: Session | None = None) -> None:
    """Undo a soft delete of the record at `expected_version` (the deleted version the caller showed)."""
    kind = get_kind(kind_name)
    with unit(session) as s:
        actor = require_write(actor, session=s)
        record = _load(s, kind, record_id, allow_deleted=True)
        if record.deleted_at is None:
            if record.version != expected_version:
                raise stale_error(s, kind, record)
            raise ValidationFailed({"id": ("err.not_deleted", {})})
        before = snapshot(s, kind, record)
        _bump_version(s, kind, record, expected_version)
        record.deleted_at = None
        s.add(record)
        s.flush()
        add_audit(s, actor, "restore", kind, record.id, record.version, before, snapshot(s, kind, record))


def revert(actor: Actor, audit_id: int, expected_version: int, *, use: str = "before",
           session: Session | None = None) -> int:
    """Put a record back to the state an audit entry shows (`before` or `after` it), if the record is still at
    `expected_version` (the version the caller showed); returns its new version."""
    with unit(session) as s:
        actor = require_write(actor, session=s)
        entry = s.get(m.AuditEntry, audit_id)
        if entry is None or entry.record_id is None:
            raise NotFound("err.not_found", kind="page.audit", id=audit_id)
        kind = get_kind(entry.kind)
        state = (entry.before if use == "before" else entry.after) or {}
        record = _load(s, kind, entry.record_id, allow_deleted=True)
        if not state:  # the entry is a creation: reverting it means deleting the record
            delete(actor, kind.name, record.id, expected_version, session=s)
            return record.version
        data = {k: v for k, v in state.items() if k not in HIDDEN_FIELDS}
        was_deleted = state.get("deleted_at") is not None
        version = expected_version
        if record.deleted_at is not None and not was_deleted:
            restore(actor, kind.name, record.id, version, session=s)
            version = record.version
        version = update(actor, kind.name, record.id, data, version, session=s, action="revert")
        if was_deleted and record.deleted_at is None:
            delete(actor, kind.name, record.id, version, session=s)
            version = record.version
        return version


def set_setting(actor: Actor, key: str, value: str, *, session: Session | None = None) -> None:
    """Change an application setting (admin only), audited."""
    with unit(session) as s:
        actor = require_admin(actor, session=s)
        row = s.get(m.Setting, key)
        before = {"value": row.value} if row else None
        if row is None:
            row = m.Setting(key=key, value=value)
        row.value = value
        s.add(row)
        s.add(m.AuditEntry(user_id=actor.id, username=actor.username, action="update", kind="settings",
                           before=before, after={"value": value}, summary=key))


def in_one_transaction(fn: Callable[[Session], Any]) -> Any:
    """Run `fn(session)` as one unit: all its writes commit together or not at all."""
    with unit(None) as s:
        return fn(s)
