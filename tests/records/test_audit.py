
"""The audit log: every write function leaves an entry; filters; before → after; undo to an earlier state."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from crm import models as m
from crm.accounts import settings
from crm.accounts.users import add_user, set_role
from crm.errors import NotFound, PermissionDenied, StaleRecord
from crm.periods import parse_period
from crm.records import audit
from crm.records.queries import get_record
from crm.store import writes
from tests.support.apptest import errors, open_page


def _count(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(m.AuditEntry)).one()[0]


def _city(actor, name="Prague") -> int:
    return writes.create(actor, "cities", {"name_en": name, "name_zh": "布拉格", "country_code": "CZ"})


def test_every_write_function_leaves_exactly_one_entry(engine, admin, staff):
    cid = _city(admin)
    vid = writes.create(staff, "visits", {"title_en": "Mayor of Prague", "start_on": date(2020, 3, 2),
                                          "origin_city_id": cid, "status": "planned"})
    steps = [
        lambda: writes.update(staff, "cities", cid, {"name_native": "Praha"}, 1),
        lambda: writes.change_status(staff, "visits", vid, "cancelled", 1, reason="storm"),
        lambda: writes.delete(staff, "cities", cid, 2),
        lambda: writes.restore(staff, "cities", cid, 3),
        lambda: settings.save(admin, settings.ORGANISATION_EN, "Secretariat"),
        lambda: add_user(admin, "temp", "staff", "brass compass winter 42"),
        lambda: set_role(admin, _uid(engine, "temp"), "leadership"),
    ]
    for step in steps:
        before = _count(engine)
        step()
        assert _count(engine) == before + 1, step
    last = audit.query(kind="cities", record_id=cid).rows
    assert [r["action"] for r in last] == ["restore", "delete", "update", "create"]
    entry = audit.get_entry(audit.query(kind="cities", action="update").rows[0]["id"])
    assert audit.diff(entry["before"], entry["after"]) == [{"field": "name_native", "before": "", "after": "Praha"}]


def _uid(engine, name: str) -> int:
    with Session(engine) as s:
        return s.exec(select(m.User.id).where(m.User.username == name)).one()[0]


def test_filters_by_user_kind_action_period_and_record(engine, admin, staff):
    a = _city(admin, "Prague")
    b = _city(staff, "Brno")
    writes.update(staff, "cities", b, {"name_native": "Brno"}, 1)
    assert {r["record_id"] for r in audit.query(user="clerk").rows} == {b}
    assert audit.query(kind="cities", action="create").total == 2
    assert audit.query(record_id=a, kind="cities").total == 1
    today = datetime.now(ZoneInfo("Asia/Taipei")).date().isoformat()  # periods are office (Taipei) days
    assert audit.query(period=parse_period(f"{today}..{today}"), kind="cities").total == 3
    assert audit.query(period=parse_period("2001"), kind="cities").total == 0
    page = audit.query(kind="cities", page_size=2)
    assert (page.total, page.pages, len(page.rows)) == (3, 2, 2)
    assert page.rows[0]["label"] == "Brno" and page.rows[0]["changes"] == 1
    choices = audit.filter_choices()
    assert {"admin", "clerk"} <= set(choices["users"]) and "cities" in choices["kinds"]


def test_undo_puts_back_a_changed_a_deleted_and_a_created_record(engine, admin, staff):
    cid = _city(staff)
    writes.update(staff, "cities", cid, {"name_en": "Praha", "notes": "<b>x</b>'; DROP TABLE city;--"}, 1)
    change = audit.query(kind="cities", action="update", record_id=cid).rows[0]["id"]
    audit.undo(admin, change, audit.get_entry(change)["record_version"])
    assert get_record("cities", cid)["name_en"] == "Prague" and get_record("cities", cid)["notes"] == ""
    writes.delete(staff, "cities", cid, get_record("cities", cid)["version"])
    deletion = audit.query(kind="cities", action="delete", record_id=cid).rows[0]["id"]
    audit.undo(admin, deletion, audit.get_entry(deletion)["record_version"])
    assert get_record("cities", cid)["deleted_at"] is None
    creation = audit.query(kind="cities", action="create", record_id=cid).rows[0]["id"]
    audit.undo(admin, creation, get_record("cities", cid)["version"])
    assert get_record("cities", cid)["deleted_at"] is not None
    # the undo is itself audited (and undoable)
    assert [r["action"] for r in audit.query(record_id=cid, kind="cities").rows][:3] == ["delete", "revert", "restore"]


def test_undo_of_a_visit_brings_back_its_child_rows(engine, admin):
    cid = _city(admin)
    did = writes.create(admin, "delegations", {"title_en": "Europe trip", "start_on": date(2020, 2, 1),
                                               "end_on": date(2020, 2, 9), "status": "held",
                                               "itinerary": [{"city_id": cid, "arrive_on": date(2020, 2, 2)}]})
    writes.update(admin, "delegations", did, {"itinerary": []}, 1)
    assert get_record("delegations", did)["itinerary"] == []
    entry = audit.query(kind="delegations", action="update").rows[0]["id"]
    audit.undo(admin, entry, 2)
    assert [s["city_id"] for s in get_record("delegations", did)["itinerary"]] == [cid]


def test_undo_is_refused_to_readers_and_for_log_in_entries(engine, admin, leader):
    cid = _city(admin)
    entry = audit.query(record_id=cid, kind="cities").rows[0]["id"]
    with pytest.raises(PermissionDenied):
        audit.undo(leader, entry, 1)
    login = audit.query(kind="users").rows[0]["id"]
    with pytest.raises(NotFound):
        audit.undo(admin, login, 1)


def test_undo_is_for_administrators_and_names_the_version_shown(engine, admin, staff):
    cid = _city(staff)
    writes.update(staff, "cities", cid, {"name_en": "Praha"}, 1)
    entry = audit.get_entry(audit.query(kind="cities", action="update", record_id=cid).rows[0]["id"])
    assert entry["record_version"] == 2
    with pytest.raises(PermissionDenied):  # staff may write records, but not undo from the audit log
        audit.undo(staff, entry["id"], 2)
    writes.update(staff, "cities", cid, {"notes": "meanwhile"}, 2)
    with pytest.raises(StaleRecord):  # the record changed after the entry was shown at version 2
        audit.undo(admin, entry["id"], 2)
    assert get_record("cities", cid)["name_en"] == "Praha" and get_record("cities", cid)["notes"] == "meanwhile"
    assert audit.undo(admin, entry["id"], 3) == 4 and get_record("cities", cid)["name_en"] == "Prague"


def test_conflict_rows_show_both_versions():
    rows = audit.conflict_rows({"name_en": "Praha", "notes": "a", "version": 3}, {"name_en": "Prag", "notes": "a"})
    assert rows == [{"field": "name_en", "theirs": "Praha", "mine": "Prag"}]


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_audit_page_shows_and_filters_from_the_url(demo_url, lang):
    at = open_page("audit", lang, query={"kind": "cities", "action": "create"})
    assert errors(at) == []
    frame = at.dataframe[0].value
    assert len(frame) == 50 and set(frame.iloc[:, 3]) == {"created" if lang == "en" else "新增"}
    assert at.selectbox(key="audit_kind").value == "cities"
    assert not at.button and len(at.dataframe) == 1  # no entry open until one is chosen
    entry = at.selectbox(key="audit_entry")
    assert entry.value is None
    entry.select(int(frame.iloc[0, 0])).run()
    assert errors(at) == []
    assert at.button(key="audit_undo") and len(at.dataframe) == 2  # its before/after table and the undo button


def test_audit_page_undo_button_restores_a_deleted_record(demo_url):
    from crm.accounts.users import ensure_local_user

    me = ensure_local_user()
    cid = writes.create(me, "cities", {"name_en": "Zzyzx", "country_code": "US"})
    writes.delete(me, "cities", cid, 1)
    at = open_page("audit", "en", query={"kind": "cities", "record": str(cid), "action": "delete"})
    assert errors(at) == []
    assert at.button(key="audit_undo").label == "Restore the deleted record"
    at.button(key="audit_undo").click().run()
    assert errors(at) == []
    assert not at.error, [e.value for e in at.error]
    assert get_record("cities", cid)["deleted_at"] is None


def test_audit_page_undo_acts_on_the_version_it_showed(demo_url):
    from crm.accounts.users import actor_by_name, add_user, ensure_local_user

    me = ensure_local_user()
    add_user(me, "clerk", "staff", "brass compass winter 42")
    cid = writes.create(me, "cities", {"name_en": "Zzyzx", "country_code": "US"})
    writes.update(me, "cities", cid, {"name_en": "Zzyzx Springs"}, 1)
    at = open_page("audit", "en", query={"kind": "cities", "record": str(cid), "action": "update"})
    assert errors(at) == [] and at.button(key="audit_undo")  # the entry is shown, the record at version 2
    writes.update(actor_by_name("clerk"), "cities", cid, {"notes": "a colleague's note"}, 2)  # meanwhile
    at.button(key="audit_undo").click().run()
    assert errors(at) == []
    assert any("clerk changed this record" in e.value for e in at.error), [e.value for e in at.error]
    record = get_record("cities", cid)
    assert (record["name_en"], record["notes"], record["version"]) == ("Zzyzx Springs", "a colleague's note", 3)


@pytest.mark.browser
def test_admin_pages_in_a_browser_in_both_languages(live_app, browser_page):
    from tests.support.browser import assert_only_local, screenshot, wait_for_app

    titles = {"audit": ("Audit log", "異動紀錄"), "users": ("Users", "帳號管理"), "settings": ("Settings", "系統設定")}
    page = browser_page
    for name, (en, zh) in titles.items():
        for lang, title in (("en", en), ("zh-TW", zh)):
            page.goto(f"{live_app}/{name}?lang={lang}")
            wait_for_app(page)
            assert page.locator("h1").first.inner_text() == title
            assert page.locator('[data-testid="stException"]').count() == 0
            screenshot(page, f"{name}-{lang}")
    assert_only_local(page.requests)
