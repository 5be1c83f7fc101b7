"""A backup with files restores them byte for byte: chunks in the database, and a file store's contents carried in
the backup and written back to the (new) store; soft-deleted files stay deleted; the command shows progress only
on a terminal."""

import io
import os
import pty
import subprocess
import sys

import pytest

from crm.files import attach
from crm.store import backup, writes
from crm.store.engine import _engine_for
from tests.conftest import _fresh_url
from tests.files import samples
from tests.support.apptest import ROOT


@pytest.fixture(autouse=True)
def backup_key_here(tmp_path, monkeypatch):
    from crm import config

    monkeypatch.delenv("LIAISON_BACKUP_KEY", raising=False)
    monkeypatch.setattr(config, "DATA_DIR", tmp_path / "data-dir")


def _attach_some(staff) -> dict[int, bytes]:
    visit = writes.create(staff, "visits", {"title_en": "Riga delegation", "title_zh": "里加代表團"})
    files = {"a.jpg": samples.jpeg(gps=True), "b.png": samples.png(), "c.pdf": samples.pdf(), "d.docx": samples.docx(),
             "big.txt": os.urandom(700_000).hex().encode()}  # more than one chunk
    ids = {attach.upload(staff, "visits", visit, name, io.BytesIO(data)): data for name, data in files.items()}
    attach.delete(staff, next(iter(ids)), 1)
    return ids


def _check(ids: dict[int, bytes], deleted: int) -> None:
    for fid, data in ids.items():
        assert attach.read_bytes(fid) == data
        assert (attach.get_file(fid)["deleted_at"] is not None) == (fid == deleted)
        assert attach.thumbnail(attach.get_file(fid)["sha256"]) or attach.get_file(fid)["category"] not in ("image",)


@pytest.mark.parametrize("store", [False, True], ids=["in-db", "file-store"])
def test_backup_and_restore_give_the_files_back_byte_for_byte(request, db_url, staff, tmp_path, monkeypatch, store):
    if store:
        monkeypatch.setenv("LIAISON_FILE_STORE", str(tmp_path / "store-1"))
    ids = _attach_some(staff)
    target = tmp_path / "backup.jsonl.gz"
    backup.backup(target)
    (tmp_path / "other").mkdir()
    engine_name = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    fresh, drop = _fresh_url(request, engine_name, tmp_path / "other")
    try:
        if store:
            monkeypatch.setenv("LIAISON_FILE_STORE", str(tmp_path / "store-2"))
        backup.restore(target, url=fresh)
        monkeypatch.setenv("DATABASE_URL", fresh)
        _engine_for.cache_clear()
        _check(ids, deleted=next(iter(ids)))
        if store:
            assert len(list((tmp_path / "store-2").rglob("*"))) == 2 * len(ids)  # a folder and a file each
            from sqlalchemy import func, select

            from crm import models as m
            from crm.store.writes import unit

            with unit() as s:
                assert s.execute(select(func.count()).select_from(m.FileChunk)).scalar_one() == 0
    finally:
        _engine_for.cache_clear()
        drop()


def test_sqlite_copy_carries_the_file_store_into_a_database_without_one(request, sqlite_url, staff, tmp_path,
                                                                       monkeypatch):
    monkeypatch.setenv("LIAISON_FILE_STORE", str(tmp_path / "store"))
    ids = _attach_some(staff)
    target = tmp_path / "backup.db"
    backup.backup(target)
    (tmp_path / "other").mkdir()
    fresh, _ = _fresh_url(request, "sqlite", tmp_path / "other")
    monkeypatch.delenv("LIAISON_FILE_STORE")
    backup.restore(target, url=fresh)
    monkeypatch.setenv("DATABASE_URL", fresh)
    _check(ids, deleted=next(iter(ids)))  # no store configured: the contents stay in the database


def test_the_backup_command_shows_progress_on_a_terminal_only(sqlite_url, staff, tmp_path):
    _attach_some(staff)
    env = {**os.environ, "DATABASE_URL": sqlite_url, "LIAISON_DATA_DIR": str(tmp_path / "data-dir")}
    command = [sys.executable, "-m", "crm", "backup", str(tmp_path / "b.jsonl")]
    quiet = subprocess.run(command, check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert quiet.returncode == 0 and quiet.stderr == "" and "backup written" in quiet.stdout
    main, child = pty.openpty()
    loud = subprocess.run([*command[:-1], str(tmp_path / "c.jsonl")], check=False, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=child, timeout=120)
    os.close(child)
    shown = b""
    try:
        while chunk := os.read(main, 65536):
            shown += chunk
    except OSError:  # the terminal's other end is closed: all read
        pass
    os.close(main)
    assert loud.returncode == 0
    assert b"filechunk" in shown and b"recordfile" in shown and b"\r" in shown
