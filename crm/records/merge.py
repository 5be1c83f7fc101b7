"""Merging two records of the same city, person or organisation into one.

The survivor takes the values chosen field by field; every link to the other record (fields of
other records and child rows such as itinerary stops, signings, letter recipients) moves to the
survivor through the write path; the other record is soft-deleted. It is one audited unit
(action "merge", one batch id) that `undo_merge` puts back as a whole.

A merge names the versions of the two records the screen compared (`versions`): if either has changed
since, nothing is merged (`StaleRecord`), and every record it changes is checked against the version it read.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from crm.errors import NotFound, ValidationFailed
from crm.models.base import HIDDEN_FIELDS
from crm.models.kinds import KIND_BY_TABLE, get_kind, kind_names
from crm.store import writes
from crm.store.batch import child_spec, list_batches, new_batch_id, references_to, relink, save_batch, undo_batch

MERGE_KINDS = kind_names(entity=True)


@dataclass
class MergeResult:
    batch_id: str
    kept: int
    removed: int
    moved: int


def fields(kind_name: str) -> list[str]:
    """The fields a user chooses between, in the model's order."""
    return [f for f in get_kind(kind_name).model.model_fields if f not in HIDDEN_FIELDS]


def _check_kind(kind_name: str) -> None:
    if kind_name not in MERGE_KINDS:
        raise ValidationFailed({"kind": ("err.unknown_choice", {"value": str(kind_name)[:30]})})


@dataclass
class Comparison:
    """Both records side by side (`rows`: one per field with the two values and whether they differ) and the
    versions compared, which the merge names."""

    rows: list[dict]
    keep_version: int
    remove_version: int


def comparison(kind_name: str, keep_id: int, remove_id: int, *, session: Session | None = None) -> Comparison:
    _check_kind(kind_name)
    from crm.records.queries import get_record

    with writes.unit(session) as s:
        a = get_record(kind_name, keep_id, session=s, allow_deleted=False)
        b = get_record(kind_name, remove_id, session=s, allow_deleted=False)
    if a is None or b is None:
        raise NotFound("err.not_found", kind=f"kind.{kind_name}", id=keep_id if a is None else remove_id)
    rows = [{"field": f, "keep": a.get(f), "remove": b.get(f), "differs": (a.get(f) or None) != (b.get(f) or None)}
            for f in fields(kind_name)]
    return Comparison(rows, a["version"], b["version"])


def compare(kind_name: str, keep_id: int, remove_id: int, *, session: Session | None = None) -> list[dict]:
    """Both records side by side: one row per field with the two values and whether they differ."""
    return comparison(kind_name, keep_id, remove_id, session=session).rows


def link_count(kind_name: str, record_id: int, *, session: Session | None = None) -> int:
    """How many records (or child rows) point at this record."""
    total = 0
    with writes.unit(session) as s:
        for table_name, column in references_to(kind_name):
            owner = KIND_BY_TABLE.get(table_name)
            if owner is not None:
                model = owner.model
                stmt = select(func.count()).select_from(model).where(getattr(model, column) == record_id,
                                                                     col(model.deleted_at).is_(None))
            elif (child := child_spec(table_name)) is not None:
                child_model = child[1].model
                stmt = select(func.count()).select_from(child_model).where(getattr(child_model, column) == record_id)
            else:
                continue
            total += s.execute(stmt).scalar() or 0
    return total


def default_choices(rows: list[dict]) -> dict[str, str]:
    """Keep the survivor's value unless it is empty and the other record has one."""
    return {r["field"]: ("remove" if r["keep"] in (None, "") and r["remove"] not in (None, "") else "keep")
            for r in rows}


def _check_versions(s: Session, kind_name: str, shown: dict[int, int]) -> dict[int, Any]:
    """The records, if each is still at the version shown, else `StaleRecord` (deleted since counts as changed).

    The caller holds them, so the session keeps these very objects: their versions are the ones read here,
    moved on only by this transaction's own writes."""
    kind = get_kind(kind_name)
    held = {}
    for record_id, version in shown.items():
        record = s.get(kind.model, record_id)
        if record is None:
            raise NotFound("err.not_found", kind=f"kind.{kind_name}", id=record_id)
        if record.version != version:
            raise writes.stale_error(s, kind, record)
        held[record_id] = record
    return held


def merge(actor: writes.Actor, kind_name: str, keep_id: int, remove_id: int,
          choices: dict[str, str] | None = None, *, versions: tuple[int, int]) -> MergeResult:
    """Merge record `remove_id` into `keep_id` in one transaction; `choices[field]` is "keep" or "remove"
    (take that field's value from the record being removed). `versions`: the (keep, remove) versions the
    comparison showed (`Comparison.keep_version`, `remove_version`)."""
    writes.require_write(actor)
    _check_kind(kind_name)
    if keep_id == remove_id:
        raise ValidationFailed({"remove": ("merge.same", {})})
    batch_id = new_batch_id("merge")

    def work(s: Session) -> MergeResult:
        held = _check_versions(s, kind_name, {keep_id: versions[0], remove_id: versions[1]})
        rows = compare(kind_name, keep_id, remove_id, session=s)
        chosen = default_choices(rows) if choices is None else choices
        data = {r["field"]: r["remove"] for r in rows if chosen.get(r["field"]) == "remove" and r["differs"]}
        if data:
            writes.update(actor, kind_name, keep_id, data, versions[0], session=s, action="merge",
                          batch_id=batch_id)
        moved = relink(actor, kind_name, remove_id, keep_id, session=s, batch_id=batch_id)
        writes.delete(actor, kind_name, remove_id, held[remove_id].version, session=s, batch_id=batch_id)
        counts = {"kept": keep_id, "removed": remove_id, "moved": moved}
        save_batch(actor, batch_id, kind_name, "", counts, [], session=s)
        return MergeResult(batch_id, keep_id, remove_id, moved)

    return writes.in_one_transaction(work)


def undo_merge(actor: writes.Actor, batch_id: str) -> int:
    """Put a merge back: the removed record restored, the links and the survivor's fields as they were."""
    return undo_batch(actor, batch_id)


def recent_merges(limit: int = 20) -> list[dict]:
    return list_batches(prefix="merge-", limit=limit)
