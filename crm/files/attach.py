"""Files on records through the one write path: upload, soft delete, restore (actor, role, audit, version).

An upload is spooled and hashed a chunk at a time (crm.store.blobs), its type found from its content and checked
(crm.files.detect: anything refused raises `FileRefused` and stores nothing), its thumbnail made, and then the
attachment, its content (once per SHA-256) and the audit entry are written in one transaction. Leadership may
list and download, never upload or delete (`writes.require_write`). The audit log keeps files as kind "files".
"""

import os
import unicodedata
from collections.abc import Iterable
from typing import BinaryIO

from sqlalchemy import or_, select
from sqlmodel import Session, col

from crm import models as m
from crm.accounts.settings import file_max_bytes
from crm.errors import FileRefused, NotFound, StaleRecord, ValidationFailed
from crm.files import thumbs
from crm.files.detect import detect
from crm.models.kinds import KINDS
from crm.store import blobs
from crm.store.prepare import row_dict
from crm.store.writes import Actor, require_write, unit

AUDIT_KIND = "files"
LIST_COLUMNS = ("id", "kind", "record_id", "name", "sha256", "size", "mime", "category", "caption_en", "caption_zh",
                "uploaded_by", "uploaded_at", "version", "deleted_at")


def clean_name(name: str) -> str:
    """The file's own name (no folders, no control characters), at most 255 characters keeping the extension."""
    base = os.path.basename(str(name or "").replace("\\", "/")).strip()
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) < 16 else base[:255]
    return base


def _record(s: Session, kind: str, record_id: int):
    spec = KINDS.get(kind)
    record = s.get(spec.model, record_id) if spec is not None else None
    if record is None or record.deleted_at is not None:
        raise NotFound("err.not_found", kind=f"kind.{kind}" if spec else "kind.files", id=record_id)
    return record


def upload(actor: Actor, kind: str, record_id: int, name: str, stream: BinaryIO, *, caption_en: str = "",
           caption_zh: str = "", session: Session | None = None) -> int:
    """Attach the file read from `stream` to the record; returns the attachment's id (refusals store nothing)."""
    from crm.text import clean

    shown = clean_name(name)
    with unit(session) as s:
        actor = require_write(actor, session=s)
        _record(s, kind, record_id)
        if not shown or shown.startswith("."):
            raise FileRefused("name", shown or "?")
        captions = {"caption_en": clean(caption_en or ""), "caption_zh": clean(caption_zh or "")}
        for field, value in captions.items():
            if len(value) > 500:
                raise ValidationFailed({field: ("err.too_long", {"max": 500})})
        path, sha, size = blobs.spool(stream, shown, file_max_bytes(session=s))
        try:
            found = detect(path, shown)
            blobs.put(s, path, sha, size, found.mime)
            if s.get(m.FileThumb, sha) is None and (thumb := thumbs.thumbnail(path, found.category)) is not None:
                data, width, height = thumb
                s.add(m.FileThumb(sha256=sha, data=data, width=width, height=height))
        finally:
            path.unlink(missing_ok=True)
        row = m.RecordFile(kind=kind, record_id=record_id, name=shown, sha256=sha, size=size, mime=found.mime,
                           category=found.category, user_id=actor.id, uploaded_by=actor.username,
                           caption_en=captions["caption_en"], caption_zh=captions["caption_zh"])
        s.add(row)
        s.flush()
        assert row.id is not None  # flushed
        _audit(s, actor, "create", row, None, row_dict(row))
        return row.id


def _audit(s: Session, actor: Actor, action: str, row: m.RecordFile, before: dict | None, after: dict) -> None:
    s.add(m.AuditEntry(user_id=actor.id, username=actor.username, action=action, kind=AUDIT_KIND, record_id=row.id,
                       version=row.version, before=before, after=after,
                       summary=f"{row.kind} #{row.record_id}: {row.name}"[:500]))


def _stale(s: Session, row: m.RecordFile) -> StaleRecord:
    """The refusal of a change to an attachment someone changed since it was shown: who, when."""
    a = m.AuditEntry
    last = s.execute(select(col(a.username), col(a.at)).where(col(a.kind) == AUDIT_KIND, col(a.record_id) == row.id)
                     .order_by(col(a.id).desc()).limit(1)).first()
    return StaleRecord(user=last[0] if last else "?", at=last[1].strftime("%Y-%m-%d %H:%M") if last else "?",
                       version=row.version, theirs=row_dict(row))


def _set_deleted(actor: Actor, file_id: int, expected_version: int, deleted: bool, session: Session | None) -> None:
    with unit(session) as s:
        actor = require_write(actor, session=s)
        row = s.get(m.RecordFile, file_id)
        if row is None:
            raise NotFound("err.not_found", kind="kind.files", id=file_id)
        if row.version != expected_version:
            raise _stale(s, row)
        if (row.deleted_at is not None) == deleted:
            raise ValidationFailed({"id": ("err.not_deleted" if not deleted else "err.not_found",
                                           {"kind": "kind.files", "id": file_id})})
        before = row_dict(row)
        row.version += 1
        row.deleted_at = m.utcnow() if deleted else None
        row.updated_at = m.utcnow()
        s.add(row)
        s.flush()
        _audit(s, actor, "delete" if deleted else "restore", row, before, row_dict(row))


def delete(actor: Actor, file_id: int, expected_version: int, *, session: Session | None = None) -> None:
    """Soft delete of an attachment at `expected_version`: it leaves the record's files and can be restored."""
    _set_deleted(actor, file_id, expected_version, True, session)


def restore(actor: Actor, file_id: int, expected_version: int, *, session: Session | None = None) -> None:
    """Undo a soft delete of an attachment at `expected_version`."""
    _set_deleted(actor, file_id, expected_version, False, session)


# ---------------------------------------------------------------- reads

def files_of(kind: str, record_id: int, *, deleted: bool = False, session: Session | None = None) -> list[dict]:
    """The record's files (plain dicts, newest first); `deleted=True`: only its deleted ones."""
    return files_on([(kind, record_id)], deleted=deleted, session=session)


def files_on(records: Iterable[tuple[str, int]], *, deleted: bool = False,
             session: Session | None = None) -> list[dict]:
    """Files on any of these (kind, id) records (a dossier's), newest first, at most 500."""
    pairs = list(dict.fromkeys(records))
    if not pairs:
        return []
    f = m.RecordFile
    gone = col(f.deleted_at).is_not(None) if deleted else col(f.deleted_at).is_(None)
    by_kind: dict[str, list[int]] = {}
    for kind, rid in pairs:
        by_kind.setdefault(kind, []).append(rid)
    match = or_(*[(col(f.kind) == kind) & col(f.record_id).in_(ids) for kind, ids in by_kind.items()])
    with unit(session) as s:
        rows = s.execute(select(*[getattr(f, c) for c in LIST_COLUMNS]).where(match, gone)
                         .order_by(col(f.uploaded_at).desc(), col(f.id).desc()).limit(500))
        return [dict(r._mapping) for r in rows]


def get_file(file_id: int, *, session: Session | None = None) -> dict:
    f = m.RecordFile
    with unit(session) as s:
        row = s.execute(select(*[getattr(f, c) for c in LIST_COLUMNS]).where(col(f.id) == file_id)).first()
        if row is None:
            raise NotFound("err.not_found", kind="kind.files", id=file_id)
        return dict(row._mapping)


def thumbnail(sha: str, *, session: Session | None = None) -> bytes | None:
    """The stored thumbnail (JPEG) of a content, if it has one."""
    with unit(session) as s:
        row = s.execute(select(col(m.FileThumb.data)).where(col(m.FileThumb.sha256) == sha)).first()
        return bytes(row[0]) if row else None


def thumbnails(shas: Iterable[str], *, session: Session | None = None) -> dict[str, bytes]:
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    t = m.FileThumb
    with unit(session) as s:
        return {sha: bytes(data) for sha, data in s.execute(select(col(t.sha256), col(t.data))
                                                              .where(col(t.sha256).in_(wanted)))}


def open_file(file_id: int) -> blobs.Reader:
    """A stream of the attachment's bytes (deleted or not: a download of what the record carried)."""
    return blobs.Reader(get_file(file_id)["sha256"])


def read_bytes(file_id: int) -> bytes:
    """All the bytes of an attachment (tests and small documents only: screens stream with `open_file`)."""
    with open_file(file_id) as fh:
        return fh.read()
