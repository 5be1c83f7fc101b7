"""Backup → restore gives identical records, on SQLite and PostgreSQL (and across them); foreign, newer,
truncated files and a database holding records are refused; the commands run from cron without a prompt."""

import gzip
import json
import sqlite3
import subprocess
import sys
from datetime import UTC, date

import pytest
from sqlalchemy import MetaData, select

from crm.models.kinds import KINDS
from crm.records.queries import list_records
from crm.store import backup, writes
from crm.store.engine import get_engine
from tests.conftest import _fresh_url
from tests.support.apptest import ROOT


def _everything(url: str) -> dict:
    """Every row of every table (alembic_version aside), as comparable plain data."""
    engine = get_engine(url)
    meta = MetaData()
    meta.reflect(bind=engine)
    out = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(table).order_by(*order)).mappings().all()
            out[table.name] = [{k: _plain(v) for k, v in r.items()} for r in rows]
    return out


def _plain(value):
    if hasattr(value, "isoformat"):
        if getattr(value, "tzinfo", None) is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    return value


def _fill(admin) -> None:
    cid = writes.create(admin, "cities", {"name_en": "Prague", "name_zh": "布拉格", "country_code": "CZ",
                                          "notes": "emoji 🏙️, RTL مرحبا, quote ' \" <b>"})
    writes.create(admin, "delegations", {"title_en": "Europe trip", "start_on": date(2020, 2, 1),
                                         "end_on": date(2020, 2, 9), "status": "held",
                                         "itinerary": [{"city_id": cid, "arrive_on": date(2020, 2, 2)}]})
    writes.update(admin, "cities", cid, {"name_native": "Praha"}, 1)
    writes.set_setting(admin, "home_city_id", str(cid))


@pytest.mark.parametrize("fmt", ["sqlite", "jsonl"])
def test_sqlite_backup_and_restore_give_identical_records(request, sqlite_url, admin, tmp_path, fmt, monkeypatch):
    _fill(admin)
    before = _everything(sqlite_url)
    target = tmp_path / f"backup.{fmt}"
    info = backup.backup(target, fmt=fmt)
    assert info.rows == sum(len(rows) for rows in before.values())
    (tmp_path / "other").mkdir()
    fresh, _ = _fresh_url(request, "sqlite", tmp_path / "other")
    backup.restore(target, url=fresh)
    assert _everything(fresh) == before


def test_postgresql_dump_restores_into_an_empty_database_and_ids_continue(request, tmp_path, monkeypatch):
    source, drop_source = _fresh_url(request, "postgresql", tmp_path)
    target, drop_target = _fresh_url(request, "postgresql", tmp_path)
    try:
        monkeypatch.setenv("DATABASE_URL", source)
        from crm.accounts.users import ensure_local_user

        admin = ensure_local_user()
        _fill(admin)
        before = _everything(source)
        info = backup.backup(tmp_path / "pg.jsonl.gz")
        assert info.fmt == "jsonl" and info.rows > 0
        with gzip.open(tmp_path / "pg.jsonl.gz", "rt") as fh:
            header = json.loads(fh.readline())
        assert header["format"] == "liaison-backup" and header["source"] == "postgresql"
        backup.restore(tmp_path / "pg.jsonl.gz", url=target)
        assert _everything(target) == before
        monkeypatch.setenv("DATABASE_URL", target)
        new_id = writes.create(admin, "cities", {"name_en": "Brno", "country_code": "CZ"})
        assert new_id > max(r["id"] for r in before["city"])  # sequences were moved past the restored ids
        # and the same dump restores into SQLite (moving an office between engines)
        (tmp_path / "lite").mkdir()
        sqlite_target, _ = _fresh_url(request, "sqlite", tmp_path / "lite")
        backup.restore(tmp_path / "pg.jsonl.gz", url=sqlite_target)
        assert _everything(sqlite_target) == before
    finally:
        drop_source()
        drop_target()


def test_restore_refuses_foreign_newer_truncated_files_and_a_database_with_records(sqlite_url, admin, tmp_path):
    _fill(admin)
    good = tmp_path / "good.jsonl"
    backup.backup(good, fmt="jsonl")
    db_copy = tmp_path / "good.db"
    backup.backup(db_copy)
    cases = {}
    (tmp_path / "text.txt").write_text("hello")
    cases["text.txt"] = "not a Liaison backup"
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE notes (x)")
    other.commit()
    other.close()
    cases["other.db"] = "not a Liaison backup"
    lines = good.read_text().splitlines()
    header = json.loads(lines[0])
    (tmp_path / "newer.jsonl").write_text("\n".join([json.dumps({**header, "revision": "9999_future"}), *lines[1:]]))
    cases["newer.jsonl"] = "newer version of Liaison"
    (tmp_path / "cut.jsonl").write_text("\n".join(lines[: len(lines) // 2]) + "\n")
    cases["cut.jsonl"] = "truncated"
    newer_db = tmp_path / "newer.db"
    newer_db.write_bytes(db_copy.read_bytes())
    conn = sqlite3.connect(newer_db)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    cases["newer.db"] = "newer version of Liaison"
    before = _everything(sqlite_url)
    for name, expected in cases.items():
        with pytest.raises(backup.BackupError) as caught:
            backup.restore(tmp_path / name, force=True)
        assert expected in str(caught.value), name
    with pytest.raises(backup.BackupError) as caught:
        backup.restore(good)  # the database holds records
    assert "already holds records" in str(caught.value)
    assert _everything(sqlite_url) == before  # nothing was touched by any refusal
    writes.create(admin, "cities", {"name_en": "Added later", "country_code": "CZ"})
    backup.restore(db_copy, force=True)
    assert _everything(sqlite_url) == before


def _cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crm", *args], check=False, capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", **env}, timeout=180, stdin=subprocess.DEVNULL)


def test_commands_run_unattended_with_exit_codes_and_one_line(sqlite_url, admin, tmp_path):
    _fill(admin)
    env = {"DATABASE_URL": sqlite_url}
    done = _cli(env, "backup", str(tmp_path / "nightly.db"))
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("backup written:") and done.stdout.count("\n") == 1
    refused = _cli(env, "restore", str(tmp_path / "nightly.db"))
    assert refused.returncode == 2 and refused.stdout == "" and refused.stderr.count("\n") == 1
    missing = _cli(env, "restore", str(tmp_path / "nope.db"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    empty_url = f"sqlite:///{tmp_path / 'empty.db'}"
    restored = _cli({"DATABASE_URL": empty_url}, "restore", str(tmp_path / "nightly.db"))
    assert restored.returncode == 0, restored.stderr
    assert _everything(empty_url) == _everything(sqlite_url)
    unreachable = _cli({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}, "backup", str(tmp_path / "x"))
    assert unreachable.returncode == 2 and unreachable.stderr.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_backup_is_consistent_while_the_app_writes(sqlite_url, admin, tmp_path):
    """An online SQLite backup taken between writes holds every committed record, none half-written."""
    import threading

    stop = threading.Event()
    created: list[int] = []

    def writer() -> None:
        while not stop.is_set() and len(created) < 200:
            created.append(writes.create(admin, "cities", {"name_en": f"C{len(created)}", "country_code": "CZ"}))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        backups = [backup.backup(tmp_path / f"b{i}.db") for i in range(5)]
    finally:
        stop.set()
        thread.join()
    for info in backups:
        conn = sqlite3.connect(info.path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        cities = conn.execute("SELECT COUNT(*) FROM city").fetchone()[0]
        audits = conn.execute("SELECT COUNT(*) FROM auditentry WHERE kind='cities'").fetchone()[0]
        conn.close()
        assert cities == audits  # each record with its audit entry: whole transactions only
    assert list_records("cities", page_size=1).total == len(created)
    assert KINDS["cities"].table == "city"
