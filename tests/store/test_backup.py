"""Backup → restore gives identical records, on SQLite and PostgreSQL (and across them); foreign, newer,
truncated files and a database holding records are refused; the commands run from cron without a prompt.
Backups are private (0600, a directory made 0700) and signed; the name sets the format; restore refuses an
unsigned or altered file (unless --unsigned), copies nothing but the schema's tables and columns, and is audited."""

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

RESTORE_ACTIONS = ("backup_restore", "backup_restore_refused")


def _everything(url: str) -> dict:
    """Every row of every table (alembic_version and the audit entries of restores aside), as comparable data."""
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
            out[table.name] = [{k: _plain(v) for k, v in r.items()} for r in rows
                               if table.name != "auditentry" or r["action"] not in RESTORE_ACTIONS]
    return out


def _plain(value):
    if hasattr(value, "isoformat"):
        if getattr(value, "tzinfo", None) is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    return value


@pytest.fixture(autouse=True)
def backup_key_here(tmp_path, monkeypatch):
    """Each test signs with a key of its own: the key file in a data directory of its own."""
    from crm import config

    monkeypatch.delenv("LIAISON_BACKUP_KEY", raising=False)
    monkeypatch.setattr(config, "DATA_DIR", tmp_path / "data-dir")
    return tmp_path / "data-dir" / "backup.key"


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
            backup.restore(tmp_path / name, force=True, unsigned=True)  # unsigned: each refused for what it is
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
    env = {"DATABASE_URL": sqlite_url, "LIAISON_DATA_DIR": str(tmp_path / "data-dir")}
    done = _cli(env, "backup", str(tmp_path / "nightly.db"))
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("backup written:") and done.stdout.count("\n") == 1
    refused = _cli(env, "restore", str(tmp_path / "nightly.db"))
    assert refused.returncode == 2 and refused.stdout == "" and refused.stderr.count("\n") == 1
    missing = _cli(env, "restore", str(tmp_path / "nope.db"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    empty_url = f"sqlite:///{tmp_path / 'empty.db'}"
    restored = _cli({**env, "DATABASE_URL": empty_url}, "restore", str(tmp_path / "nightly.db"))
    assert restored.returncode == 0, restored.stderr
    assert _everything(empty_url)["city"] == _everything(sqlite_url)["city"]
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


# ---------------------------------------------------------------- private, signed, named, audited


def _mode(path) -> int:
    return path.stat().st_mode & 0o777


def _restores(url: str) -> list[dict]:
    """The audit entries of restores (and refused restores) in the database at `url`, oldest first."""
    from crm import models as m

    with get_engine(url).connect() as conn:
        rows = conn.execute(select(m.AuditEntry).where(m.AuditEntry.action.in_(RESTORE_ACTIONS))
                            .order_by(m.AuditEntry.id)).mappings().all()
    return [dict(r) for r in rows]


@pytest.mark.parametrize("name", ["nightly.db", "nightly.jsonl", "nightly.jsonl.gz"])
def test_a_backup_its_signature_key_and_new_directory_are_readable_by_their_owner_only(
        sqlite_url, admin, tmp_path, name, backup_key_here):
    import os

    _fill(admin)
    old = os.umask(0o022)  # the usual umask, which made every backup 0644
    try:
        info = backup.backup(tmp_path / "new" / "dir" / name)
    finally:
        os.umask(old)
    assert info.signed and _mode(info.path) == 0o600 and _mode(info.path.with_name(name + ".sig")) == 0o600
    assert _mode(tmp_path / "new") == 0o700 and _mode(tmp_path / "new" / "dir") == 0o700
    assert _mode(backup_key_here) == 0o600 and info.key.created and info.key.source == str(backup_key_here)
    assert not list((tmp_path / "new" / "dir").glob(".*"))  # no temporary file left behind


def test_the_name_of_the_file_sets_its_format(db_url, admin, tmp_path):
    _fill(admin)
    plain = backup.backup(tmp_path / "b.jsonl")
    packed = backup.backup(tmp_path / "b.jsonl.gz")
    assert (plain.fmt, packed.fmt) == ("jsonl", "jsonl")
    assert json.loads((tmp_path / "b.jsonl").read_text().splitlines()[0])["format"] == "liaison-backup"
    with gzip.open(tmp_path / "b.jsonl.gz", "rt") as fh:  # gzip, as its name says (it used to be a SQLite file)
        assert json.loads(fh.readline())["format"] == "liaison-backup"
    with pytest.raises(backup.BackupError) as mismatch:
        backup.backup(tmp_path / "c.jsonl.gz", fmt="sqlite")
    assert "does not match the name c.jsonl.gz" in str(mismatch.value)
    if db_url.startswith("sqlite"):
        assert backup.backup(tmp_path / "b.db").fmt == "sqlite"
        assert (tmp_path / "b.db").read_bytes()[:16] == b"SQLite format 3\x00"
        assert backup.backup(tmp_path / "b.bak", fmt="jsonl").fmt == "jsonl"
    else:
        with pytest.raises(backup.BackupError) as refused:
            backup.backup(tmp_path / "b.db")
        assert "needs a SQLite database" in str(refused.value) and not (tmp_path / "b.db").exists()
    assert not (tmp_path / "c.jsonl.gz").exists()
    helped = _cli({}, "backup", "--help")
    assert ".jsonl.gz" in helped.stdout and "name sets the format" in helped.stdout.replace("\n", " ")


def _tamper(path, old: str, new: str) -> None:
    """Edit a JSON-lines backup in place, as an attacker with write access to the backups would."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    assert old in text
    with opener(path, "wt", encoding="utf-8") as fh:
        fh.write(text.replace(old, new))


def test_restore_refuses_an_altered_or_unsigned_backup_unless_told_unsigned(db_url, admin, leader, tmp_path,
                                                                             monkeypatch):
    _fill(admin)
    target = tmp_path / "office.jsonl.gz"
    backup.backup(target)
    _tamper(target, '"role": "leadership"', '"role": "admin"')  # the mayor's read-only account made an admin
    writes.create(admin, "cities", {"name_en": "Added later", "country_code": "CZ"})
    before = _everything(db_url)
    with pytest.raises(backup.BackupError) as altered:
        backup.restore(target, force=True)
    message = str(altered.value)
    assert "the file was changed after it was signed" in message and "--unsigned" in message
    assert "\n" not in message
    sig = target.with_name(target.name + ".sig")
    saved = sig.read_bytes()
    sig.unlink()
    with pytest.raises(backup.BackupError) as unsigned:
        backup.restore(target, force=True)
    assert "not signed" in str(unsigned.value)
    sig.write_bytes(saved)
    monkeypatch.setenv("LIAISON_BACKUP_KEY", "another office's key, long enough to be one")
    with pytest.raises(backup.BackupError) as other_key:
        backup.restore(target, force=True)
    assert "signed with another key" in str(other_key.value)
    monkeypatch.delenv("LIAISON_BACKUP_KEY")
    assert _everything(db_url) == before  # nothing restored by any refusal
    refused = _restores(db_url)
    assert [r["action"] for r in refused] == ["backup_restore_refused"] * 3
    assert all(r["after"]["sha256"] and r["after"]["signed"] is False for r in refused)
    info = backup.restore(target, force=True, unsigned=True)  # told explicitly: restored, and audited unsigned
    assert not info.signed and "changed after it was signed" in info.problem
    from crm.accounts.users import actor_by_name

    assert actor_by_name("mayor").role == "admin"
    entry = _restores(db_url)[-1]
    assert entry["action"] == "backup_restore" and entry["after"]["signed"] is False
    assert "NOT SIGNED" in entry["summary"]


def test_every_restore_is_audited_who_when_which_file_its_hash_signed(db_url, admin, tmp_path):
    import getpass
    import hashlib

    _fill(admin)
    target = tmp_path / "nightly.jsonl"
    backup.backup(target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    info = backup.restore(target, force=True)
    assert info.signed and info.sha256 == digest and info.problem == ""
    (entry,) = _restores(db_url)
    assert (entry["action"], entry["kind"], entry["username"]) == ("backup_restore", "backup", getpass.getuser())
    assert entry["after"]["file"] == str(target.resolve()) and entry["after"]["sha256"] == digest
    assert entry["after"]["signed"] is True and entry["after"]["rows"] == info.rows and entry["at"] is not None
    assert f"sha256:{digest[:16]} signed" in entry["summary"]


def test_restore_copies_only_the_schemas_tables_and_columns(request, db_url, admin, tmp_path, monkeypatch):
    """A SQLite backup carrying a trigger that deletes every new audit entry, a view, an extra table and an
    extra column: refused as altered; restored with --unsigned, none of them reaches the database."""
    from sqlalchemy import inspect as sa_inspect

    from crm.accounts.users import ensure_local_user

    writes.create(admin, "cities", {"name_en": "Brno", "country_code": "CZ"})  # the target holds records
    (tmp_path / "source").mkdir()
    source, _ = _fresh_url(request, "sqlite", tmp_path / "source")
    monkeypatch.setenv("DATABASE_URL", source)
    _fill(ensure_local_user())
    info = backup.backup(tmp_path / "forged.db")
    monkeypatch.setenv("DATABASE_URL", db_url)
    conn = sqlite3.connect(info.path)
    conn.executescript("""
        CREATE TRIGGER wipe_audit AFTER INSERT ON auditentry BEGIN DELETE FROM auditentry; END;
        CREATE VIEW everyone AS SELECT username, password_hash FROM user;
        CREATE TABLE backdoor (secret TEXT);
        INSERT INTO backdoor VALUES ('x');
        ALTER TABLE user ADD COLUMN api_token TEXT;
        UPDATE user SET api_token = 'stolen';
    """)
    conn.commit()
    conn.close()
    with pytest.raises(backup.BackupError) as altered:
        backup.restore(info.path, force=True)
    assert "changed after it was signed" in str(altered.value)
    restored = backup.restore(info.path, force=True, unsigned=True)
    assert restored.ignored == ["column user.api_token", "table backdoor", "trigger wipe_audit", "view everyone"]
    found = sa_inspect(get_engine(db_url))
    assert "backdoor" not in found.get_table_names() and not found.get_view_names()
    assert "api_token" not in {c["name"] for c in found.get_columns("user")}
    if db_url.startswith("sqlite"):
        lite = sqlite3.connect(db_url.split("///", 1)[1])
        assert lite.execute("SELECT COUNT(*) FROM sqlite_master WHERE type IN ('trigger', 'view')").fetchone() == (0,)
        lite.close()
    assert [r["name_en"] for r in list_records("cities").rows] == ["Prague"]
    entries = len(_everything(db_url)["auditentry"])
    writes.create(admin, "cities", {"name_en": "Ostrava", "country_code": "CZ"})
    assert len(_everything(db_url)["auditentry"]) == entries + 1  # a new audit entry stays
    assert _restores(db_url)[-1]["after"]["ignored"] == restored.ignored


def test_a_key_that_cannot_be_used_is_refused_in_one_line(sqlite_url, admin, tmp_path, backup_key_here, monkeypatch):
    _fill(admin)
    backup.backup(tmp_path / "a.db")
    backup_key_here.chmod(0o644)
    with pytest.raises(backup.BackupError) as readable:
        backup.backup(tmp_path / "b.db")
    assert "can be read by other users" in str(readable.value) and "chmod 600" in str(readable.value)
    backup_key_here.unlink()
    with pytest.raises(backup.BackupError) as no_key:
        backup.restore(tmp_path / "a.db", force=True)
    assert "no backup key on this machine" in str(no_key.value)
    monkeypatch.setenv("LIAISON_BACKUP_KEY", "short")
    with pytest.raises(backup.BackupError) as short:
        backup.backup(tmp_path / "c.db")
    assert "too short" in str(short.value) and not (tmp_path / "c.db").exists()


def test_the_restore_command_refuses_an_altered_file_and_says_when_it_restores_one_unsigned(sqlite_url, admin,
                                                                                          tmp_path):
    _fill(admin)
    env = {"DATABASE_URL": sqlite_url, "LIAISON_DATA_DIR": str(tmp_path / "data-dir")}
    done = _cli(env, "backup", str(tmp_path / "n.jsonl"))
    assert done.returncode == 0 and "signed n.jsonl.sig" in done.stdout and "new key" in done.stdout
    _tamper(tmp_path / "n.jsonl", '"Prague"', '"Praha"')
    refused = _cli(env, "restore", str(tmp_path / "n.jsonl"), "--force")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "--unsigned" in refused.stderr
    assert "Traceback" not in refused.stderr
    forced = _cli(env, "restore", str(tmp_path / "n.jsonl"), "--force", "--unsigned")
    assert forced.returncode == 0 and "NOT SIGNED" in forced.stdout and forced.stdout.count("\n") == 1


def test_the_audit_page_shows_a_restore_in_either_language(sqlite_url, admin, tmp_path):
    from crm.i18n import t
    from tests.support.apptest import errors, open_page

    _fill(admin)
    backup.backup(tmp_path / "a.db")
    backup.restore(tmp_path / "a.db", force=True)
    for lang in ("en", "zh-TW"):
        at = open_page("audit", lang, query={"kind": "backup"})
        assert errors(at) == [] and not at.error
        table = at.dataframe[0].value
        assert list(table[t("audit.action", lang)]) == [t("audit.action.backup_restore", lang)]
        assert list(table[t("audit.kind", lang)]) == [t("kind.backup", lang)]


def test_a_restore_signs_everyone_out_and_never_brings_back_an_ended_session(db_url, admin, tmp_path):
    from crm.accounts import sessions

    _fill(admin)
    kept = sessions.start(admin)  # open when the backup is taken, ended after it
    target = tmp_path / "b.jsonl.gz"
    backup.backup(target)
    sessions.end(kept)
    still_open = sessions.start(admin)
    backup.restore(target, force=True)
    assert sessions.resolve(kept).actor is None and sessions.resolve(still_open).actor is None
    with gzip.open(target, "rt") as fh:
        assert '"websession"' not in fh.read()  # sessions are not data: never in a backup
