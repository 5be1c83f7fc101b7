"""Tags and owners of records of every kind, through the write path.

A tag (bilingual labels, a colour) is managed by administrators and staff; a record's tags and its owner are
changed by `set_tags` / `set_owner`, which claim the record's next version (so a stale edit is refused as any
other) and leave an audit entry whose before/after hold `{"tags": [ids]}` or `{"owner": user id}`: an undo of
a batch (crm.store.batch.undo_batch) puts them back.
"""

from collections.abc import Iterable

from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlmodel import Session, col

from crm import models as m
from crm.errors import NotFound, ValidationFailed
from crm.models.kinds import get_kind
from crm.store.cache import cached
from crm.store.prepare import Actor, add_audit
from crm.store.writes import claim_version, load_record, require_write, unit
from crm.text import clean

COLOURS = ("blue", "green", "orange", "red", "violet", "gray")
"""The colours Streamlit draws in Markdown (`:blue-badge[…]`), the tag colours to choose from."""
MAX_LABEL = 80


def _tag_values(label_en: str, label_zh: str, colour: str) -> dict:
    en, zh = clean(label_en or ""), clean(label_zh or "")
    errors: dict = {}
    if not en and not zh:
        errors["label_en"] = ("err.required_any", {})
    for name, value in (("label_en", en), ("label_zh", zh)):
        if len(value) > MAX_LABEL:
            errors[name] = ("err.too_long", {"max": MAX_LABEL})
    if colour not in COLOURS:
        errors["colour"] = ("err.unknown_choice", {"value": str(colour)[:20]})
    if errors:
        raise ValidationFailed(errors)
    return {"label_en": en, "label_zh": zh, "colour": colour}


def _audit_tag(s: Session, actor: Actor, action: str, tag_id: int | None, before, after) -> None:
    s.add(m.AuditEntry(user_id=actor.id, username=actor.username, action=action, kind="tags", record_id=tag_id,
                       before=before, after=after, summary=(after or before or {}).get("label_en", "")[:500]))


def save_tag(actor: Actor, label_en: str, label_zh: str, colour: str = "blue", *, tag_id: int | None = None,
             session: Session | None = None) -> int:
    """Create a tag, or change tag `tag_id`'s labels and colour; returns its id."""
    with unit(session) as s:
        actor = require_write(actor, session=s)
        values = _tag_values(label_en, label_zh, colour)
        tag = m.Tag() if tag_id is None else s.get(m.Tag, tag_id)
        if tag is None:
            raise NotFound("err.not_found", kind="tags.tag", id=tag_id)
        before = None if tag_id is None else tag.model_dump(include={"label_en", "label_zh", "colour"})
        for name, value in values.items():
            setattr(tag, name, value)
        s.add(tag)
        s.flush()
        _audit_tag(s, actor, "create" if tag_id is None else "update", tag.id, before, values)
        assert tag.id is not None  # flushed
        return tag.id


def delete_tag(actor: Actor, tag_id: int, *, session: Session | None = None) -> None:
    """Remove a tag and its links (records keep their other tags)."""
    with unit(session) as s:
        actor = require_write(actor, session=s)
        tag = s.get(m.Tag, tag_id)
        if tag is None:
            raise NotFound("err.not_found", kind="tags.tag", id=tag_id)
        before = tag.model_dump(include={"label_en", "label_zh", "colour"})
        s.execute(sql_delete(m.TagLink).where(col(m.TagLink.tag_id) == tag_id))
        s.delete(tag)
        _audit_tag(s, actor, "delete", tag_id, before, None)


@cached  # plain data, re-read after any write
def all_tags(*, session: Session | None = None) -> list[dict]:
    """Every tag as {id, label_en, label_zh, colour}, by English label."""
    with unit(session) as s:
        rows = s.execute(select(col(m.Tag.id), col(m.Tag.label_en), col(m.Tag.label_zh), col(m.Tag.colour))
                         .order_by(col(m.Tag.label_en), col(m.Tag.id)))
        return [dict(r._mapping) for r in rows]


def tag_label(tag: dict, lang: str) -> str:
    first, second = ("label_zh", "label_en") if lang == "zh-TW" else ("label_en", "label_zh")
    return tag.get(first) or tag.get(second) or ""


def tags_of(kind_name: str, ids: Iterable[int], *, session: Session | None = None) -> dict[int, list[int]]:
    """Record id → its tag ids (sorted), for these records of `kind_name`."""
    wanted = sorted({i for i in ids if i is not None})
    found: dict[int, list[int]] = {}
    if not wanted:
        return found
    with unit(session) as s:
        for start in range(0, len(wanted), 500):
            rows = s.execute(select(col(m.TagLink.record_id), col(m.TagLink.tag_id)).where(
                col(m.TagLink.kind) == kind_name, col(m.TagLink.record_id).in_(wanted[start:start + 500])))
            for record_id, tag_id in rows:
                found.setdefault(record_id, []).append(tag_id)
    return {k: sorted(v) for k, v in found.items()}


def owners_of(kind_name: str, ids: Iterable[int], *, session: Session | None = None) -> dict[int, int]:
    """Record id → its owner's user id, for these records of `kind_name` (those with an owner)."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    with unit(session) as s:
        found: dict[int, int] = {}
        for start in range(0, len(wanted), 500):
            found.update(s.execute(select(col(m.RecordOwner.record_id), col(m.RecordOwner.user_id)).where(
                col(m.RecordOwner.kind) == kind_name,
                col(m.RecordOwner.record_id).in_(wanted[start:start + 500]))).all())
        return found


@cached  # plain data, re-read after any write
def colleagues(*, session: Session | None = None) -> dict[int, str]:
    """user id → display name (else user name) of the active accounts that may own records (staff, admins)."""
    from crm.models.kinds import WRITE_ROLES

    u = m.User
    with unit(session) as s:
        rows = s.execute(select(col(u.id), col(u.username), col(u.display_name)).where(
            col(u.active).is_(True), col(u.role).in_(WRITE_ROLES)).order_by(col(u.username)))
        return {rid: display or name for rid, name, display in rows}


def tag_condition(kind_name: str, tag_id: int):
    """SQL: records of `kind_name` carrying tag `tag_id` (for lists, the map and the timeline)."""
    model = get_kind(kind_name).model
    return col(model.id).in_(select(col(m.TagLink.record_id)).where(col(m.TagLink.kind) == kind_name,
                                                                     col(m.TagLink.tag_id) == tag_id))


def owner_condition(kind_name: str, user_id: int):
    """SQL: records of `kind_name` owned by user `user_id`."""
    model = get_kind(kind_name).model
    return col(model.id).in_(select(col(m.RecordOwner.record_id)).where(col(m.RecordOwner.kind) == kind_name,
                                                                        col(m.RecordOwner.user_id) == user_id))


def tagged_ids(kind_name: str, tag_id: int, *, session: Session | None = None) -> set[int]:
    """The ids of the records of `kind_name` carrying tag `tag_id` (the map and the timeline filter by it)."""
    with unit(session) as s:
        return set(s.execute(select(col(m.TagLink.record_id)).where(
            col(m.TagLink.kind) == kind_name, col(m.TagLink.tag_id) == tag_id)).scalars())


def set_tags(actor: Actor, kind_name: str, record_id: int, tag_ids: Iterable[int], expected_version: int, *,
             session: Session | None = None, batch_id: str | None = None, action: str = "tags") -> int:
    """Give the record exactly these tags; returns its new version (audited, `StaleRecord` if it moved on)."""
    kind = get_kind(kind_name)
    wanted = sorted(set(tag_ids))
    with unit(session) as s:
        actor = require_write(actor, session=s)
        record = load_record(s, kind, record_id)
        known = set(s.execute(select(col(m.Tag.id)).where(col(m.Tag.id).in_(wanted))).scalars()) if wanted else set()
        if unknown := [t for t in wanted if t not in known]:
            raise ValidationFailed({"tags": ("err.unknown_reference", {"kind": "tags.tag", "id": unknown[0]})})
        before = tags_of(kind.name, [record_id], session=s).get(record_id, [])
        claim_version(s, kind, record, expected_version)
        s.add(record)
        s.execute(sql_delete(m.TagLink).where(col(m.TagLink.kind) == kind.name, col(m.TagLink.record_id) == record_id))
        for tag_id in wanted:
            s.add(m.TagLink(kind=kind.name, record_id=record_id, tag_id=tag_id))
        s.flush()
        add_audit(s, actor, action, kind, record_id, record.version, {"tags": before}, {"tags": wanted}, batch_id,
                  summary=f"tags {before} -> {wanted}")
        return record.version


def set_owner(actor: Actor, kind_name: str, record_id: int, user_id: int | None, expected_version: int, *,
              session: Session | None = None, batch_id: str | None = None, action: str = "owner") -> int:
    """Make user `user_id` (a colleague who may write; None: nobody) the record's owner; returns its new version."""
    kind = get_kind(kind_name)
    with unit(session) as s:
        actor = require_write(actor, session=s)
        record = load_record(s, kind, record_id)
        if user_id is not None and user_id not in colleagues(session=s):
            raise ValidationFailed({"owner": ("err.unknown_reference", {"kind": "list.owner", "id": user_id})})
        before = owners_of(kind.name, [record_id], session=s).get(record_id)
        claim_version(s, kind, record, expected_version)
        s.add(record)
        s.execute(sql_delete(m.RecordOwner).where(col(m.RecordOwner.kind) == kind.name,
                                                  col(m.RecordOwner.record_id) == record_id))
        if user_id is not None:
            s.add(m.RecordOwner(kind=kind.name, record_id=record_id, user_id=user_id))
        s.flush()
        add_audit(s, actor, action, kind, record_id, record.version, {"owner": before}, {"owner": user_id}, batch_id,
                  summary=f"owner {before} -> {user_id}")
        return record.version


def set_labels(actor: Actor, kind_name: str, record_id: int, tag_ids: Iterable[int], owner_id: int | None,
               expected_version: int) -> int | None:
    """The record's tags and owner from its page, in one transaction against the version shown: only what
    differs is written (each audited); returns the new version, or None when nothing changed."""
    with unit() as s:
        version: int | None = None
        if sorted(set(tag_ids)) != sorted(tags_of(kind_name, [record_id], session=s).get(record_id, [])):
            version = set_tags(actor, kind_name, record_id, tag_ids, expected_version, session=s)
        if owner_id != owners_of(kind_name, [record_id], session=s).get(record_id):
            version = set_owner(actor, kind_name, record_id, owner_id, version or expected_version, session=s)
        return version


__all__ = ["COLOURS", "all_tags", "colleagues", "delete_tag", "owner_condition", "owners_of", "save_tag",
           "set_labels", "set_owner", "set_tags", "tag_condition", "tag_label", "tagged_ids", "tags_of"]
