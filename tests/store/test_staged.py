"""An import checks and stages every row before it writes (crm.store.staged), so its write is short: a save made while
it checks is not kept waiting, a save made while it writes (SQLite: one writer at a time) waits for it and then
succeeds, and a save kept waiting past the limit is refused with a message in the user's language, changing nothing.
"""

import contextlib
import sqlite3
import threading
import time

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from crm import models as m
from crm.errors import StaleRecord
from crm.imports import flow as importer
from crm.records.queries import get_record, history, list_records
from crm.store import batch, writes
from crm.store import engine as store_engine
from crm.store.engine import DatabaseBusy, get_engine
from tests.support.apptest import errors, open_page

ROWS = 3000
OLD_BUSY_TIMEOUT = 5  # seconds SQLite waited for another writer before this change


def _cities_csv(n: int) -> bytes:
    return ("name_en,country_code,notes\n" + "".join(f"Importville {i},CZ,{'x' * 40}\n" for i in range(n))).encode()


def _path(url: str) -> str:
    return url.split("///", 1)[1]


def _write_locked(path: str) -> bool:
    """Whether another connection holds SQLite's write lock right now (tried without waiting)."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return True
    finally:
        conn.close()


@contextlib.contextmanager
def _write_lock(path: str):
    """Hold SQLite's write lock from another connection (as an import's insert does)."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def _in_thread(fn) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def run() -> None:
        try:
            out["value"] = fn()
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            out["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def _import_audit_ids(batch_id: str) -> list[int]:
    with Session(get_engine()) as s:
        return list(s.execute(select(m.AuditEntry.id).where(col(m.AuditEntry.batch_id) == batch_id)).scalars())


@pytest.fixture
def small_chunks(monkeypatch):
    """Rows staged and written 250 at a time, so that a few thousand rows report their progress many times."""
    monkeypatch.setattr(importer, "CHUNK", 250)
    monkeypatch.setattr(batch, "CHUNK", 250)


def test_a_save_while_an_import_checks_its_rows_is_not_kept_waiting(db_url, admin, staff, small_chunks):
    cid = writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})
    preview = importer.plan(importer.read(_cities_csv(ROWS), "cities.csv", "cities"), "cities")
    during: dict = {}

    def progress(fraction: float) -> None:
        if during:
            return
        # the import is checking its rows: a colleague saves a record, and it is saved at once
        thread, out = _in_thread(lambda: writes.update(staff, "cities", cid, {"notes": "saved meanwhile"}, 1))
        thread.join()
        during.update(out, fraction=fraction)
        with Session(get_engine()) as s:
            during["cities_on_file"] = s.execute(select(func.count()).select_from(m.City)).scalar()

    result = importer.commit(admin, preview, progress=progress)
    assert "error" not in during, during
    assert during["value"] == 2 and during["fraction"] < 1 and during["cities_on_file"] == 1  # nothing written yet
    assert result.counts["imported"] == ROWS and get_record("cities", cid)["notes"] == "saved meanwhile"


def test_a_save_while_an_import_writes_waits_for_it_and_then_succeeds(sqlite_url, admin, staff, small_chunks):
    cid = writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})
    preview = importer.plan(importer.read(_cities_csv(ROWS), "cities.csv", "cities"), "cities")
    path = _path(sqlite_url)
    during: dict = {}

    def progress(_fraction: float) -> None:
        if during or not _write_locked(path):
            return
        # the import is writing (it holds the write lock): a colleague saves, and the save waits...
        during["thread"], during["out"] = _in_thread(
            lambda: writes.update(staff, "cities", cid, {"notes": "saved after the import"}, 1))
        time.sleep(OLD_BUSY_TIMEOUT + 1)  # ...longer than SQLite used to wait before giving up

    result = importer.commit(admin, preview, progress=progress)
    during["thread"].join()
    assert "error" not in during["out"], during["out"]
    assert during["out"]["value"] == 2 and get_record("cities", cid)["notes"] == "saved after the import"
    assert result.counts["imported"] == ROWS
    saved_at = [e for e in history("cities", cid) if e["action"] == "update"][0]["id"]
    assert saved_at > max(_import_audit_ids(result.batch_id))  # it waited for the whole import, then saved


def test_a_save_kept_waiting_past_the_limit_is_refused_with_a_clear_message(sqlite_url, admin, monkeypatch):
    cid = writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT", 0.2)
    get_engine(sqlite_url).dispose()  # connections opened from now on wait 0.2 s
    with _write_lock(_path(sqlite_url)), pytest.raises(DatabaseBusy) as caught:
        writes.update(admin, "cities", cid, {"notes": "not saved"}, 1)
    assert caught.value.message("en") == ("The database is busy with an import; your change was not saved. "
                                          "Try again in a moment.")
    assert "匯入" in caught.value.message("zh-TW") and "未儲存" in caught.value.message("zh-TW")
    record = get_record("cities", cid)
    assert (record["notes"], record["version"]) == ("", 1)
    assert writes.update(admin, "cities", cid, {"notes": "saved"}, 1) == 2  # once the import is done, it saves


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_the_page_says_the_database_is_busy_and_nothing_was_saved(sqlite_url, admin, monkeypatch, lang):
    cid = writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})
    writes.delete(admin, "cities", cid, 1)
    at = open_page("cities", lang, query={"id": str(cid)})
    assert errors(at) == [] and at.button(key="restore-top")
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT", 0.2)
    get_engine(sqlite_url).dispose()
    with _write_lock(_path(sqlite_url)):
        at.button(key="restore-top").click().run()
    assert errors(at) == []
    shown = [w.value for w in at.warning]
    expected = {"en": "The database is busy with an import; your change was not saved.",
                "zh-TW": "資料庫正在處理匯入作業，您的變更未儲存"}[lang]
    assert any(expected in text for text in shown), shown
    assert not any("error code" in e.value or "錯誤代碼" in e.value for e in at.error)
    assert get_record("cities", cid)["deleted_at"] is not None


def test_a_staged_change_is_refused_when_its_record_moves_on_before_the_write(db_url, admin, staff):
    cid = writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})

    def work(s: Session) -> None:
        bulk = batch.stage(admin, batch.new_batch_id(), session=s)
        places = bulk.create_many("cities", [{"name_en": "Brno", "country_code": "CZ"}])
        bulk.create_many("people", [{"name_en": "Markéta Vaňková", "city_id": places[0]}])
        bulk.update("cities", cid, {"notes": "from the import"}, bulk.current("cities", cid)["version"],
                    action="merge")
        writes.update(staff, "cities", cid, {"notes": "a colleague's edit"}, 1)  # another session, committed
        bulk.write()

    with pytest.raises(StaleRecord) as caught:
        writes.in_one_transaction(work)
    assert caught.value.theirs["notes"] == "a colleague's edit"
    assert get_record("cities", cid)["notes"] == "a colleague's edit"
    with Session(get_engine()) as s:  # all or nothing: neither Brno nor its person was written
        assert s.execute(select(func.count()).select_from(m.City)).scalar() == 1
        assert s.execute(select(func.count()).select_from(m.Person)).scalar() == 0


def test_staged_rows_refer_to_records_staged_before_them(db_url, admin):
    on_file = writes.create(admin, "people", {"name_en": "Jan Novák"})

    def work(s: Session) -> list[int]:
        bulk = batch.stage(admin, "import-staged", session=s)
        places = bulk.create_many("cities", [{"name_en": "Brno", "name_zh": "布爾諾", "country_code": "CZ"}])
        people = bulk.create_many("people", [{"name_en": "Markéta Vaňková", "city_id": places[0]}])
        bulk.update("cities", places[0], {"notes": "filled"}, 1, action="merge")
        bulk.update("people", on_file, {"city_id": places[0]}, 1, action="merge")
        bulk.write()
        return [bulk.id_of(places[0]), bulk.id_of(people[0])]

    city, person = writes.in_one_transaction(work)
    assert get_record("people", person)["city_id"] == city == get_record("people", on_file)["city_id"]
    assert (get_record("cities", city)["notes"], get_record("cities", city)["version"]) == ("filled", 2)
    assert {r["id"] for r in list_records("people", q="布爾諾").rows} == {person, on_file}  # by their city's name
    merged = history("people", on_file)[0]
    assert (merged["action"], merged["before"]["city_id"], merged["after"]["city_id"], merged["version"]) == (
        "merge", None, city, 2)


def test_rows_merged_into_one_record_are_staged_one_after_the_other(db_url, admin):
    prague = writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})
    data = ("name_en,name_zh,country_code,notes\n"
            "Prague,布拉格,CZ,\n"  # 2: fills Prague's Chinese name...
            "Prague,,CZ,twinned 2001\n"  # 3: ...and then its notes
            "Riga,,LV,\n"  # 4: new
            "Riga,里加,LV,\n"  # 5: fills line 4's Chinese name...
            "Riga,,LV,reaffirmed 2020\n").encode()  # 6: ...and then its notes
    preview = importer.plan(importer.read(data, "c.csv", "cities"), "cities")
    result = importer.commit(admin, preview, on_duplicate="merge")
    assert (result.counts["imported"], result.counts["merged"]) == (1, 4)
    riga = list_records("cities", q="riga").rows[0]["id"]
    for cid, zh, notes in ((prague, "布拉格", "twinned 2001"), (riga, "里加", "reaffirmed 2020")):
        record = get_record("cities", cid)
        assert (record["name_zh"], record["notes"], record["version"]) == (zh, notes, 3)
        entries = history("cities", cid)[:2]  # newest first: the two merges, each from where the other left it
        assert [e["version"] for e in entries] == [3, 2] and entries[0]["before"] == entries[1]["after"]
        assert entries[0]["after"]["notes"] == notes and entries[1]["after"]["name_zh"] == zh
    assert history("cities", riga)[-1]["action"] == "create"
    assert importer.undo(admin, result.batch_id) == 2
    assert (get_record("cities", prague)["name_zh"], get_record("cities", prague)["notes"]) == ("", "")
