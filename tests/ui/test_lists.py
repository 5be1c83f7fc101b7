"""Lists of every kind: bulk actions on the selected rows (each one audited batch, undone as a whole), saved views,
columns and page size per user, tag and owner filters, the pager. On SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from crm import models as m
from crm.errors import StaleRecord
from crm.records.queries import get_record, list_records
from crm.store import labels, writes
from tests.support.apptest import errors, open_page


def _visits(actor, n: int, **extra) -> list[int]:
    return [writes.create(actor, "visits", {"title_en": f"Visit {i}", "title_zh": f"來訪 {i}", "status": "planned",
                                            "start_on": date(2020, 3, i + 1), **extra}) for i in range(n)]


def _audit(engine, batch_id: str) -> list[m.AuditEntry]:
    with Session(engine) as s:
        return list(s.exec(select(m.AuditEntry).where(col(m.AuditEntry.batch_id) == batch_id)).scalars())


def _select_all(at):
    at.button(key="visits_select_page").click().run()
    assert errors(at) == []
    return at


def _last_batch(at) -> str:
    return at.session_state["liaison_last_bulk"]["visits"][0]


def test_bulk_status_with_reason_then_undo(engine, admin):
    ids = _visits(admin, 3)
    at = _select_all(open_page("visits", "en"))
    assert any(md.value == "**3 selected**" for md in at.markdown)
    at.selectbox(key="visits_bulk_status").set_value("postponed").run()
    at.button(key="visits_bulk_status_go").click().run()  # no reason: refused, nothing written
    assert any("Reason" in e.value or "reason" in e.value for e in at.error), [e.value for e in at.error]
    assert {get_record("visits", i)["status"] for i in ids} == {"planned"}
    at.text_input(key="visits_bulk_reason").input("COVID-19").run()
    at.button(key="visits_bulk_status_go").click().run()
    assert errors(at) == []
    assert {get_record("visits", i)["status"] for i in ids} == {"postponed"}
    batch = _last_batch(at)
    entries = _audit(engine, batch)
    assert sorted(e.record_id for e in entries if e.action == "status") == sorted(ids)
    assert any(e.action == "bulk" and e.record_id is None for e in entries)
    assert any("3 records" in s.value for s in at.success)
    at.button(key="visits_bulk_undo").click().run()
    assert errors(at) == []
    assert {get_record("visits", i)["status"] for i in ids} == {"planned"}
    undo = _audit(engine, f"undo-{batch}")
    assert sorted(e.record_id for e in undo if e.action == "undo" and e.record_id) == sorted(ids)
    with Session(engine) as s:
        assert s.get(m.ImportBatch, batch).undone_at is not None


def test_bulk_tags_owner_and_delete_each_one_undoable_unit(engine, admin, staff):
    ids = _visits(admin, 3)
    covid = labels.save_tag(admin, "COVID-19", "新冠肺炎", "red")
    at = _select_all(open_page("visits", "zh-TW", user="clerk"))
    at.selectbox(key="visits_bulk_action").set_value("tags").run()
    at.multiselect(key="visits_bulk_add").set_value([covid]).run()
    at.button(key="visits_bulk_tags_go").click().run()
    assert errors(at) == []
    assert labels.tags_of("visits", ids) == {i: [covid] for i in ids}
    assert list_records("visits", tag_id=covid).total == 3
    assert any(df.value["_tags"].tolist() == ["新冠肺炎"] * 3 for df in at.dataframe)
    at.button(key="visits_bulk_undo").click().run()
    assert labels.tags_of("visits", ids) == {}
    at = _select_all(open_page("visits", "en", user="clerk"))
    at.selectbox(key="visits_bulk_action").set_value("owner").run()
    at.selectbox(key="visits_bulk_owner").set_value(staff.id).run()
    at.button(key="visits_bulk_owner_go").click().run()
    assert labels.owners_of("visits", ids) == {i: staff.id for i in ids}
    assert list_records("visits", owner_id=staff.id).total == 3
    at = open_page("visits", "en", user="clerk", query={"owner": str(staff.id)})  # "my records"
    assert at.toggle(key="visits_mine").value is True and any(c.value == "3 records" for c in at.caption)
    _select_all(at)
    at.selectbox(key="visits_bulk_action").set_value("delete").run()
    assert at.button(key="visits_bulk_delete_go").disabled  # confirmed first
    at.checkbox(key="visits_bulk_sure").check().run()
    at.button(key="visits_bulk_delete_go").click().run()
    assert errors(at) == []
    assert list_records("visits").total == 0 and all(get_record("visits", i)["deleted_at"] for i in ids)
    batch = _last_batch(at)
    assert sorted(e.record_id for e in _audit(engine, batch) if e.action == "delete") == sorted(ids)
    at.button(key="visits_bulk_undo").click().run()
    assert list_records("visits").total == 3 and labels.owners_of("visits", ids) == {i: staff.id for i in ids}


def test_a_stale_selection_changes_nothing(engine, admin):
    ids = _visits(admin, 2)
    from crm.store import bulk

    writes.update(admin, "visits", ids[1], {"headcount": 4}, 1)
    with pytest.raises(StaleRecord):  # the second record moved on
        bulk.change_status(admin, "visits", [(ids[0], 1), (ids[1], 1)], "held")
    assert get_record("visits", ids[0])["status"] == "planned"
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(m.ImportBatch)).one()[0] == 0


def test_selection_export_holds_only_the_selected_rows(engine, admin):
    from crm.documents import exports

    ids = _visits(admin, 3)
    for fmt in exports.LIST_FORMATS:
        data = exports.list_export("visits", fmt, "en", ids=(ids[0], ids[2]))
        if fmt == "csv":
            text = data.decode("utf-8-sig")
            assert "Visit 0" in text and "Visit 2" in text and "Visit 1" not in text
        else:
            assert data[:2] == b"PK"


def test_leadership_sees_no_bulk_actions(engine, admin, leader):
    _visits(admin, 2)
    at = open_page("visits", "en", user="mayor")
    assert errors(at) == []
    assert not [b for b in at.button if b.key == "visits_select_page"]
    assert not [s for s in at.selectbox if s.key == "visits_bulk_action"]


def test_a_saved_view_shared_with_the_office_opens_in_another_session(engine, admin, staff):
    _visits(admin, 2)
    writes.create(admin, "visits", {"title_en": "Later visit", "status": "planned", "start_on": date(2020, 9, 1)})
    at = open_page("visits", "en", query={"period": "2020H1", "sort": "start_on", "asc": "1"})
    assert any(c.value == "2 records" for c in at.caption)
    at.text_input(key="visits_view_name").input("2020 H1 visits")  # in a form: sent with its submit
    at.checkbox(key="visits_view_shared").check()
    at.button(key="FormSubmitter:visits_save_view-Save view").click().run()
    assert errors(at) == []
    with Session(engine) as s:
        view = s.exec(select(m.SavedView)).scalars().one()
        assert view.params == {"period": "2020H1", "sort": "start_on", "asc": "1"} and view.shared
        assert s.exec(select(m.AuditEntry).where(col(m.AuditEntry.kind) == "views")).scalars().first() is not None
    other = open_page("visits", "en", user="clerk")  # another session, another user: all three
    assert any(c.value == "3 records" for c in other.caption)
    other.button(key=f"visits_open_view_{view.id}").click().run()
    assert errors(other) == []
    assert any(c.value == "2 records" for c in other.caption)
    assert other.query_params["period"] in ("2020H1", ["2020H1"])
    assert not [b for b in other.button if b.key == f"visits_drop_view_{view.id}"]  # not the clerk's to delete


def test_columns_and_page_size_are_kept_per_user_and_the_pager_moves(engine, admin):
    _visits(admin, 28)
    at = open_page("visits", "en")
    table = at.dataframe[0].value
    assert len(table) == 28 and "updated_at" in table.columns  # 50 a page by default
    at.selectbox(key="visits_size").set_value(25).run()
    assert len(at.dataframe[0].value) == 25
    assert any(md.value == "1–25 of 28" for md in at.markdown)
    at.button(key="visits_last").click().run()
    assert len(at.dataframe[0].value) == 3 and any(md.value == "26–28 of 28" for md in at.markdown)
    assert at.button(key="visits_next").disabled and not at.button(key="visits_first").disabled
    at.multiselect(key="visits_columns").set_value(["status", "start_on"]).run()
    at.button(key="visits_columns_save").click().run()
    again = open_page("visits", "en")  # a new session of the same user
    assert list(again.dataframe[0].value.columns) == ["_name", "status", "start_on"]
    assert len(again.dataframe[0].value) == 25
    assert open_page("visits", "en", query={"sort": "headcount"}).dataframe[0].value is not None


def test_an_undo_is_refused_when_a_record_changed_since(engine, admin):
    from crm.errors import ValidationFailed
    from crm.store import bulk

    ids = _visits(admin, 2)
    batch = bulk.change_status(admin, "visits", [(i, 1) for i in ids], "confirmed")
    writes.update(admin, "visits", ids[0], {"headcount": 3}, 2)
    with pytest.raises(ValidationFailed) as refused:
        bulk.undo(admin, batch)
    assert refused.value.errors["batch"][0] == "bulk.undo_changed"
    assert {get_record("visits", i)["status"] for i in ids} == {"confirmed"}  # nothing undone


def test_tags_are_managed_on_the_settings_page_and_filter_the_timeline(engine, admin):
    from crm.views.timeline import timeline_items

    at = open_page("settings", "en")
    boxes = {box.label: box for box in at.text_input}
    boxes["Label (English)"].input("Smart city")
    boxes["Label (Chinese)"].input("智慧城市")
    at.button(key="FormSubmitter:tag_form_0-Save tag").click().run()
    assert errors(at) == []
    (tag,) = labels.all_tags()
    assert (tag["label_en"], tag["label_zh"], tag["colour"]) == ("Smart city", "智慧城市", "blue")
    ids = _visits(admin, 2)
    labels.set_tags(admin, "visits", ids[0], [tag["id"]], 1)
    items, total = timeline_items(tag_id=tag["id"])
    assert total == 1 and items[0].record_id == ids[0]
    at = open_page("settings", "en")
    at.selectbox(key="tags_chosen").set_value(tag["id"]).run()
    at.button(key=f"tag_delete_{tag['id']}").click().run()
    assert labels.all_tags() == [] and labels.tags_of("visits", ids) == {}
