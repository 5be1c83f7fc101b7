"""Form drafts: a user's unsaved changes to a record form, kept on the server per user, kind and record.

A draft is the user's own scratch data, not a record: it has no version check and no audit entry, and saving it
changes nothing anyone else sees. Every function takes the acting user and works only on that user's rows (the
queries filter on the actor's id, so no call can read or drop another user's draft), and only roles that may
write records keep drafts (leadership reads, never types). The create form of a kind has one draft per user
(`record_id` None).
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from crm import models as m
from crm.errors import PermissionDenied, ValidationFailed
from crm.models.kinds import KINDS
from crm.store.writes import Actor, require_write, unit

MAX_CHARS = 500_000  # a draft larger than this (as JSON) is refused: no form holds that much typing
PARTS = ("fields", "rows", "place")


@dataclass(frozen=True)
class FormDraft:
    """One saved draft: what the user changed (`data`: fields, rows, place), when, and on which version."""

    kind: str
    record_id: int | None
    data: dict
    saved_at: datetime
    base_version: int | None

    @property
    def empty(self) -> bool:
        return not any(self.data.get(part) for part in PARTS)


def _owner(actor: Actor) -> int:
    """The id whose drafts the actor may touch: its own, and only for a role that writes records."""
    require_write(actor)
    if actor.id is None:
        raise PermissionDenied("err.unknown_user", user=actor.username)
    return actor.id


def _slot(kind: str, record_id: int | None) -> tuple[str, int]:
    if kind not in KINDS:
        raise ValidationFailed({"kind": ("err.unknown_kind", {"kind": str(kind)[:40]})})
    if record_id is not None and (not isinstance(record_id, int) or record_id <= 0):
        raise ValidationFailed({"record_id": ("err.draft_shape", {})})
    return kind, record_id or 0


def _checked(data: Any) -> dict:
    if not isinstance(data, dict) or set(data) - set(PARTS):
        raise ValidationFailed({"draft": ("err.draft_shape", {})})
    try:
        size = len(json.dumps(data, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed({"draft": ("err.draft_shape", {})}) from exc
    if size > MAX_CHARS:
        raise ValidationFailed({"draft": ("err.too_long", {"max": MAX_CHARS})})
    return data


def save_form_draft(actor: Actor, kind: str, record_id: int | None, data: dict, *, base_version: int | None = None,
                    now: datetime | None = None, session: Session | None = None) -> datetime:
    """Keep `data` as the actor's draft of the form (replacing the one before); returns the time it was saved."""
    user_id = _owner(actor)
    kind, key = _slot(kind, record_id)
    data = _checked(data)
    saved_at = now or datetime.now(UTC)
    values = {"user_id": user_id, "kind": kind, "record_id": key, "data": data, "base_version": base_version,
              "saved_at": saved_at}
    with unit(session) as s:
        dialect = s.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(m.FormDraft).values(**values)  # one statement: two tabs saving at once leave one row
        s.execute(stmt.on_conflict_do_update(index_elements=["user_id", "kind", "record_id"],
                                             set_={"data": stmt.excluded.data, "saved_at": stmt.excluded.saved_at,
                                                   "base_version": stmt.excluded.base_version}))
    return saved_at


def form_draft(actor: Actor, kind: str, record_id: int | None, *, session: Session | None = None) -> FormDraft | None:
    """The actor's draft of this form, or None."""
    user_id = _owner(actor)
    kind, key = _slot(kind, record_id)
    d = m.FormDraft
    with unit(session) as s:
        row = s.scalars(select(d).where(col(d.user_id) == user_id, col(d.kind) == kind, col(d.record_id) == key)).first()
        return None if row is None else _info(row)


def form_drafts(actor: Actor, *, session: Session | None = None) -> list[FormDraft]:
    """All of the actor's drafts, newest first."""
    user_id = _owner(actor)
    d = m.FormDraft
    with unit(session) as s:
        rows = s.scalars(select(d).where(col(d.user_id) == user_id).order_by(col(d.saved_at).desc())).all()
        return [_info(row) for row in rows]


def discard_form_draft(actor: Actor, kind: str, record_id: int | None, *, session: Session | None = None) -> bool:
    """Drop the actor's draft of this form (after a save, or when the user discards it); True when there was one."""
    user_id = _owner(actor)
    kind, key = _slot(kind, record_id)
    d = m.FormDraft
    with unit(session) as s:
        result = s.execute(delete(d).where(col(d.user_id) == user_id, col(d.kind) == kind, col(d.record_id) == key))
        return bool(getattr(result, "rowcount", 0))


def _info(row: m.FormDraft) -> FormDraft:
    saved = row.saved_at if row.saved_at.tzinfo else row.saved_at.replace(tzinfo=UTC)
    return FormDraft(row.kind, row.record_id or None, dict(row.data or {}), saved, row.base_version)
