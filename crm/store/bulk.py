"""Actions on the records selected in a list, each one unit: all written or none, audited under one batch id
(`bulk-…`, kept as an `ImportBatch`) and undone as a whole by `undo` (crm.store.batch.undo_batch).

Every record is named with the version the list showed (`Selection`): a record changed since is refused
(`StaleRecord`) and nothing of the action is written.
"""

from collections.abc import Callable, Sequence
from datetime import date

from sqlmodel import Session

from crm.errors import ValidationFailed
from crm.models.kinds import get_kind
from crm.store import labels, writes
from crm.store.batch import new_batch_id, save_batch, undo_batch
from crm.store.prepare import Actor
from crm.store.writes import unit

Selection = Sequence[tuple[int, int]]  # (record id, version shown) of each selected record
MAX_SELECTION = 500


def _run(actor: Actor, kind_name: str, selection: Selection, action: str, one: Callable[[Session, str, int, int], None],
         session: Session | None, detail: str = "") -> str:
    get_kind(kind_name)
    chosen = list(dict.fromkeys((int(i), int(v)) for i, v in selection))
    if not chosen:
        raise ValidationFailed({"selection": ("bulk.none_selected", {})})
    if len(chosen) > MAX_SELECTION:
        raise ValidationFailed({"selection": ("bulk.too_many", {"max": MAX_SELECTION})})
    batch_id = new_batch_id("bulk")
    with unit(session) as s:
        writes.require_write(actor, session=s)
        for record_id, version in chosen:
            one(s, batch_id, record_id, version)
        save_batch(actor, batch_id, kind_name, f"{action} {detail}".strip(), {"action": action, "records": len(chosen)},
                   [], session=s)
    return batch_id


def change_status(actor: Actor, kind_name: str, selection: Selection, status: str, *, reason: str = "",
                  new_start: date | None = None, session: Session | None = None) -> str:
    """Move every selected record to `status` (with the reason a postponement or cancellation needs)."""
    def one(s: Session, batch_id: str, record_id: int, version: int) -> None:
        writes.change_status(actor, kind_name, record_id, status, version, reason=reason, new_start=new_start,
                             session=s, batch_id=batch_id)
    return _run(actor, kind_name, selection, "status", one, session, status)


def change_tags(actor: Actor, kind_name: str, selection: Selection, *, add: Sequence[int] = (),
                remove: Sequence[int] = (), session: Session | None = None) -> str:
    """Add tags `add` to and take tags `remove` off every selected record."""
    if not add and not remove:
        raise ValidationFailed({"tags": ("err.required", {})})

    def one(s: Session, batch_id: str, record_id: int, version: int) -> None:
        now = labels.tags_of(kind_name, [record_id], session=s).get(record_id, [])
        wanted = (set(now) | set(add)) - set(remove)
        labels.set_tags(actor, kind_name, record_id, wanted, version, session=s, batch_id=batch_id)
    return _run(actor, kind_name, selection, "tags", one, session)


def assign(actor: Actor, kind_name: str, selection: Selection, user_id: int | None, *,
           session: Session | None = None) -> str:
    """Make colleague `user_id` (None: nobody) the owner of every selected record."""
    def one(s: Session, batch_id: str, record_id: int, version: int) -> None:
        labels.set_owner(actor, kind_name, record_id, user_id, version, session=s, batch_id=batch_id)
    return _run(actor, kind_name, selection, "owner", one, session)


def delete(actor: Actor, kind_name: str, selection: Selection, *, session: Session | None = None) -> str:
    """Soft-delete every selected record (restored by `undo`)."""
    def one(s: Session, batch_id: str, record_id: int, version: int) -> None:
        writes.delete(actor, kind_name, record_id, version, session=s, batch_id=batch_id)
    return _run(actor, kind_name, selection, "delete", one, session)


def undo(actor: Actor, batch_id: str, *, session: Session | None = None) -> int:
    """Undo a whole bulk action; returns the records put back."""
    if not batch_id.startswith("bulk-"):
        raise ValidationFailed({"batch": ("bulk.already_undone", {})})
    try:
        return undo_batch(actor, batch_id, session=session)
    except ValidationFailed as refused:  # said of a bulk change, not of an import
        key, params = refused.errors.get("batch", ("", {}))
        wording = {"import.undo_changed": "bulk.undo_changed", "import.already_undone": "bulk.already_undone"}
        if key not in wording:
            raise
        raise ValidationFailed({"batch": (wording[key], params)}) from refused


__all__ = ["MAX_SELECTION", "Selection", "assign", "change_status", "change_tags", "delete", "undo"]
