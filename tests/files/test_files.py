"""Files on records: upload, thumbnails without EXIF, download byte for byte, shared content, soft delete and
restore in the audit log, leadership read-only, and every refusal storing nothing (SQLite and PostgreSQL)."""

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from crm import models as m
from crm.errors import FileRefused, PermissionDenied
from crm.files import attach
from crm.store import writes
from crm.store.writes import unit
from tests.files import samples


def _visit(actor) -> int:
    return writes.create(actor, "visits", {"title_en": "Prague city council visit", "title_zh": "布拉格市議會訪問團"})


def _count(model) -> int:
    with unit() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_upload_thumbnail_download_dedupe_delete_restore(engine, staff, leader):
    visit = _visit(staff)
    photo = samples.jpeg(gps=True, orientation=6)
    first = attach.upload(staff, "visits", visit, "signing.jpg", io.BytesIO(photo), caption_zh="簽約")
    doc = samples.pdf()
    second = attach.upload(staff, "visits", visit, "C:\\scans\\MOU.pdf", io.BytesIO(doc))
    again = attach.upload(staff, "visits", visit, "signing-copy.jpg", io.BytesIO(photo))
    rows = attach.files_of("visits", visit)
    assert [r["name"] for r in rows] == ["signing-copy.jpg", "MOU.pdf", "signing.jpg"]
    assert {r["category"] for r in rows} == {"image", "pdf"} and rows[2]["caption_zh"] == "簽約"
    assert rows[2]["uploaded_by"] == "clerk" and rows[2]["size"] == len(photo)
    assert attach.read_bytes(first) == photo and attach.read_bytes(again) == photo
    assert attach.read_bytes(second) == doc
    with unit() as s:  # the same photo twice is stored once
        assert s.get(m.FileContent, rows[0]["sha256"]).refs == 2
    assert _count(m.FileContent) == 2
    thumb = Image.open(io.BytesIO(attach.thumbnail(rows[2]["sha256"])))
    assert thumb.format == "JPEG" and not thumb.getexif()  # no GPS, no camera: no EXIF at all
    assert thumb.size == (480, 640)  # orientation 6 applied: the landscape sensor image stands upright
    assert Image.open(io.BytesIO(attach.thumbnail(rows[1]["sha256"]))).format == "JPEG"  # the PDF's first page
    with pytest.raises(PermissionDenied):
        attach.upload(leader, "visits", visit, "x.jpg", io.BytesIO(photo))
    with pytest.raises(PermissionDenied):
        attach.delete(leader, first, 1)
    assert attach.read_bytes(first) == photo  # leadership may download
    attach.delete(staff, first, 1)
    assert [r["id"] for r in attach.files_of("visits", visit, deleted=True)] == [first]
    assert first not in [r["id"] for r in attach.files_of("visits", visit)]
    attach.restore(staff, first, 2)
    assert first in [r["id"] for r in attach.files_of("visits", visit)]
    with unit() as s:
        actions = s.execute(select(m.AuditEntry.action).where(m.AuditEntry.kind == "files",
                                                              m.AuditEntry.record_id == first)
                            .order_by(m.AuditEntry.id)).scalars().all()
    assert actions == ["create", "delete", "restore"]


REFUSALS = [
    ("setup.pdf", samples.exe(), "executable"),
    ("photo.jpg", samples.broken_jpeg(), "broken_image"),
    ("programme.docx", samples.zip_bomb(), "zip_bomb"),
    ("page.txt", samples.html(), "html"),
    ("photo.pdf", samples.png(), "mismatch"),
    ("notes.exe", b"plain words", "mismatch"),
    ("movie.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100, "type_not_allowed"),
    ("empty.txt", b"", "empty"),
]


def test_refusals_store_nothing_and_name_the_file(engine, staff):
    visit = _visit(staff)
    audited = _count(m.AuditEntry)
    for name, data, reason in REFUSALS:
        with pytest.raises(FileRefused) as refused:
            attach.upload(staff, "visits", visit, name, io.BytesIO(data))
        assert refused.value.reason == reason, name
        assert name in refused.value.message("en") and name in refused.value.message("zh-TW")
        assert "未儲存" in refused.value.message("zh-TW")
    assert _count(m.RecordFile) == _count(m.FileContent) == _count(m.FileChunk) == _count(m.AuditEntry) - audited == 0


def test_the_size_limit_is_a_setting(engine, admin, staff):
    from crm.accounts import settings

    settings.save(admin, settings.FILE_MAX_MB, "1")
    visit = _visit(staff)
    with pytest.raises(FileRefused) as refused:
        attach.upload(staff, "visits", visit, "long.txt", io.BytesIO(b"word " * 300_000))
    assert refused.value.reason == "too_large" and "1 MB" in refused.value.message("en")
    assert _count(m.RecordFile) == 0
    assert attach.upload(staff, "visits", visit, "short.txt", io.BytesIO(b"word " * 1000))


def test_office_documents_and_file_store(engine, staff, tmp_path, monkeypatch):
    monkeypatch.setenv("LIAISON_FILE_STORE", str(tmp_path / "store"))
    visit = _visit(staff)
    doc = samples.docx()
    fid = attach.upload(staff, "visits", visit, "programme.docx", io.BytesIO(doc))
    row = attach.get_file(fid)
    assert row["category"] == "office" and row["mime"].endswith("wordprocessingml.document")
    assert (tmp_path / "store" / row["sha256"][:2] / row["sha256"]).read_bytes() == doc
    assert _count(m.FileChunk) == 0 and attach.read_bytes(fid) == doc
    book = io.BytesIO()
    from openpyxl import Workbook

    Workbook().save(book)
    for name, data in (("budget.xlsx", book.getvalue()), ("flag.webp", _image("WEBP")), ("wave.gif", _image("GIF"))):
        got = attach.get_file(attach.upload(staff, "visits", visit, name, io.BytesIO(data)))
        assert got["category"] == ("office" if name.endswith("xlsx") else "image") and attach.read_bytes(got["id"]) == data


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 90)).save(out, fmt)
    return out.getvalue()


def test_a_stale_delete_is_refused_naming_who_changed_the_file(engine, staff, admin):
    from crm.errors import StaleRecord

    visit = _visit(staff)
    fid = attach.upload(staff, "visits", visit, "notes.txt", io.BytesIO("會議紀錄".encode()))
    attach.delete(admin, fid, 1)
    with pytest.raises(StaleRecord) as stale:
        attach.delete(staff, fid, 1)  # the version the clerk's screen showed
    assert stale.value.params["user"] == "admin" and stale.value.version == 2
