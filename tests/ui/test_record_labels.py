"""Tags and owner on a record's page: shown to everyone, changed by a writer in one audited transaction against
the version shown (a change saved meanwhile by someone else is refused), and not offered to leadership."""

from datetime import date

from sqlmodel import Session, select

from crm import models as m
from crm.records.queries import get_record
from crm.store import labels, writes
from crm.store.engine import get_engine
from tests.support.apptest import errors, open_page


def _audit(db_url, vid) -> list[tuple[str, int]]:
    with Session(get_engine(db_url)) as s:
        rows = s.exec(select(m.AuditEntry).where(m.AuditEntry.kind == "visits", m.AuditEntry.record_id == vid)
                      .order_by(m.AuditEntry.id)).all()
        return [(r.action, r.version) for r in rows]


def test_tags_and_owner_set_on_the_record_page_audited_and_shown(db_url, admin, staff):
    vid = writes.create(admin, "visits", {"title_en": "Labelled visit", "start_on": date(2020, 5, 1)})
    europe = labels.save_tag(admin, "Europe", "歐洲", "blue")
    press = labels.save_tag(admin, "Press", "媒體", "red")
    at = open_page("visits", "zh-TW", query={"id": str(vid)})
    assert not errors(at)
    key = f"lb-visits-{vid}"
    at.multiselect(key=f"{key}-tags").set_value([europe, press])
    at.selectbox(key=f"{key}-owner").set_value(staff.id)
    at.button(key=f"{key}-save").click().run()
    assert not errors(at) and not at.error
    assert labels.tags_of("visits", [vid]) == {vid: sorted([europe, press])}
    assert labels.owners_of("visits", [vid]) == {vid: staff.id}
    assert get_record("visits", vid)["version"] == 3 and _audit(db_url, vid) == [("create", 1), ("tags", 2),
                                                                                  ("owner", 3)]
    shown = " ".join(md.value for md in at.markdown)
    assert "歐洲" in shown and "媒體" in shown and "負責人" in shown
    at.multiselect(key=f"{key}-tags").set_value([europe])  # at once again, from the version just saved
    at.button(key=f"{key}-save").click().run()
    assert not at.error and labels.tags_of("visits", [vid]) == {vid: [europe]}
    assert _audit(db_url, vid)[-1] == ("tags", 4)  # the owner did not change: not written again


def test_labels_of_a_version_someone_else_changed_are_refused_and_leadership_gets_no_panel(db_url, admin, leader):
    vid = writes.create(admin, "visits", {"title_en": "Contested visit", "start_on": date(2020, 5, 1)})
    europe = labels.save_tag(admin, "Europe", "歐洲", "blue")
    at = open_page("visits", "en", query={"id": str(vid)})
    writes.update(admin, "visits", vid, {"headcount": 9}, 1)  # another user saves first
    at.multiselect(key=f"lb-visits-{vid}-tags").set_value([europe])
    at.button(key=f"lb-visits-{vid}-save").click().run()
    assert at.error and labels.tags_of("visits", [vid]) == {}
    assert get_record("visits", vid)["version"] == 2
    read_only = open_page("visits", "en", query={"id": str(vid)}, user="mayor")
    assert not errors(read_only)
    assert not [w for w in read_only.multiselect if w.key and w.key.startswith("lb-")]
