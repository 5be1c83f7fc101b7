"""Quick edit on a record's page: status, dates and headcount saved in place through the write path, audited, and
refused (nothing saved) when someone else saved the record since the page showed it."""

from datetime import date

from sqlmodel import Session, select

from crm import models as m
from crm.records.queries import get_record
from crm.store import writes
from crm.store.engine import get_engine
from tests.support.apptest import errors, open_page


def _visit(admin) -> int:
    return writes.create(admin, "visits", {"title_en": "Quick edit visit", "status": "planned",
                                           "start_on": date(2020, 5, 1), "headcount": 5})


def _audit(db_url, vid) -> list[tuple[str, int]]:
    with Session(get_engine(db_url)) as s:
        rows = s.exec(select(m.AuditEntry).where(m.AuditEntry.kind == "visits", m.AuditEntry.record_id == vid)
                      .order_by(m.AuditEntry.id)).all()
        return [(r.action, r.version) for r in rows]


def test_status_date_and_headcount_saved_in_place_audited_and_a_reason_asked_for(db_url, admin):
    vid = _visit(admin)
    at = open_page("visits", "zh-TW", query={"id": str(vid)})
    assert not errors(at)
    key = f"qe-visits-{vid}"
    at.selectbox(key=f"{key}-status").set_value("postponed")
    at.number_input(key=f"{key}-headcount").set_value(7)
    at.button(key=f"{key}-save").click().run()
    assert "「狀態原因」為必填。" in [e.value for e in at.error]  # names its field, in the user's language
    assert get_record("visits", vid)["version"] == 1  # nothing saved
    at.text_input(key=f"{key}-reason").set_value("Typhoon")
    at.date_input(key=f"{key}-start_on").set_value(date(2020, 6, 2))
    at.button(key=f"{key}-save").click().run()
    assert not errors(at) and not at.error
    record = get_record("visits", vid)
    assert (record["status"], record["status_reason"], record["headcount"]) == ("postponed", "Typhoon", 7)
    assert str(record["start_on"])[:10] == "2020-06-02" and record["version"] == 3
    assert _audit(db_url, vid) == [("create", 1), ("status", 2), ("update", 3)]
    with Session(get_engine(db_url)) as s:
        moves = s.exec(select(m.StatusChange).where(m.StatusChange.record_id == vid, m.StatusChange.kind == "visits")
                       .order_by(m.StatusChange.id)).all()
        assert [(c.from_status, c.to_status, c.reason) for c in moves] == [("", "planned", ""),
                                                                          ("planned", "postponed", "Typhoon")]
    assert "已儲存。" in [s.value for s in at.success]
    assert at.number_input(key=f"{key}-headcount").value == 7 and at.text_input(key=f"{key}-reason").value == ""
    at.number_input(key=f"{key}-headcount").set_value(8)  # at once another quick edit, of the version just saved
    at.button(key=f"{key}-save").click().run()
    assert not at.error and (get_record("visits", vid)["headcount"], get_record("visits", vid)["version"]) == (8, 4)


def test_a_quick_edit_of_a_version_someone_else_changed_is_refused_and_saves_nothing(db_url, admin):
    vid = _visit(admin)
    at = open_page("visits", "en", query={"id": str(vid)})
    writes.update(admin, "visits", vid, {"headcount": 9}, 1)  # another user saves first
    key = f"qe-visits-{vid}"
    at.number_input(key=f"{key}-headcount").set_value(6)
    at.button(key=f"{key}-save").click().run()
    assert not errors(at)
    assert any("after you opened it" in e.value for e in at.error), [e.value for e in at.error]
    record = get_record("visits", vid)
    assert (record["headcount"], record["version"]) == (9, 2)
    assert _audit(db_url, vid) == [("create", 1), ("update", 2)]


def test_leadership_sees_no_quick_edit(db_url, admin, leader):
    vid = _visit(admin)
    at = open_page("visits", "en", query={"id": str(vid)}, user="mayor")
    assert not errors(at)
    assert not [b for b in at.button if str(b.key).startswith("qe-")]
