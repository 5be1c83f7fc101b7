"""The one write path: audit per write, read-only refused, stale edit refused, soft delete restorable."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from crm import models as m
from crm.errors import NotFound, PermissionDenied, StaleRecord, ValidationFailed
from crm.records.queries import get_record, history, list_records, status_history
from crm.store import writes


def _city(actor, **extra) -> int:
    return writes.create(actor, "cities", {"name_en": "Prague", "name_zh": "布拉格", "country_code": "CZ", **extra})


def _audit_count(engine) -> int:
    with Session(engine) as s:
        return len(s.exec(select(m.AuditEntry)).all())


def test_every_write_leaves_an_audit_entry(engine, admin):
    before = _audit_count(engine)
    cid = _city(admin)
    version = writes.update(admin, "cities", cid, {"name_native": "Praha"}, 1)
    writes.delete(admin, "cities", cid, version)
    writes.restore(admin, "cities", cid, version + 1)
    entries = history("cities", cid)
    assert [e["action"] for e in entries] == ["restore", "delete", "update", "create"]
    assert _audit_count(engine) - before == 4
    update = entries[2]
    assert update["before"]["name_native"] == "" and update["after"]["name_native"] == "Praha"
    assert update["username"] == "admin"


def test_read_only_role_cannot_write(engine, admin, leader):
    cid = _city(admin)
    count = _audit_count(engine)
    with pytest.raises(PermissionDenied):
        writes.create(leader, "cities", {"name_en": "Riga", "country_code": "LV"})
    with pytest.raises(PermissionDenied):
        writes.update(leader, "cities", cid, {"name_en": "X"}, 1)
    with pytest.raises(PermissionDenied):
        writes.delete(leader, "cities", cid, 1)
    assert _audit_count(engine) == count
    assert get_record("cities", cid)["name_en"] == "Prague"


def test_stale_edit_is_refused_with_the_other_change(engine, admin, staff):
    cid = _city(admin)
    writes.update(staff, "cities", cid, {"name_native": "Praha"}, 1)
    with pytest.raises(StaleRecord) as caught:
        writes.update(admin, "cities", cid, {"name_native": "Prag"}, 1)
    assert caught.value.params["user"] == "clerk"
    assert caught.value.theirs["name_native"] == "Praha"
    assert "clerk" in caught.value.message("zh-TW")
    assert get_record("cities", cid)["name_native"] == "Praha"


def test_soft_delete_hides_and_restore_brings_back(engine, admin):
    cid = _city(admin)
    writes.delete(admin, "cities", cid, 1)
    assert list_records("cities").total == 0
    assert list_records("cities", deleted=True).total == 1
    with pytest.raises(NotFound):
        writes.update(admin, "cities", cid, {"name_en": "x"}, 2)
    writes.restore(admin, "cities", cid, 2)
    assert list_records("cities").total == 1


def test_revert_puts_back_an_earlier_state(engine, admin):
    cid = _city(admin)
    writes.update(admin, "cities", cid, {"name_en": "Praha city"}, 1)
    update_entry = history("cities", cid)[0]
    writes.revert(admin, update_entry["id"], 2)
    assert get_record("cities", cid)["name_en"] == "Prague"
    assert history("cities", cid)[0]["action"] == "revert"


def test_validation_explains_and_writes_nothing(engine, admin):
    count = _audit_count(engine)
    with pytest.raises(ValidationFailed) as caught:
        writes.create(admin, "delegations", {"title_en": "", "start_on": "2020-01-22", "end_on": "2020-01-12",
                                             "headcount": -3})
    fields = caught.value.field_messages("zh-TW")
    assert set(fields) >= {"title_en", "end_on", "headcount"}
    assert "結束日期" in fields["end_on"]
    assert _audit_count(engine) == count
    assert list_records("delegations").total == 0


def test_bad_reference_and_unknown_field_are_refused(engine, admin):
    with pytest.raises(ValidationFailed) as caught:
        writes.create(admin, "visits", {"title_en": "x", "origin_city_id": 999, "bogus": 1})
    assert set(caught.value.errors) == {"origin_city_id", "bogus"}


def test_children_are_written_and_audited_with_the_parent(engine, admin):
    prague = _city(admin)
    riga = writes.create(admin, "cities", {"name_en": "Riga", "country_code": "LV"})
    did = writes.create(admin, "delegations", {
        "title_en": "Europe", "start_on": date(2020, 1, 12), "end_on": date(2020, 1, 22), "headcount": 53,
        "itinerary": [{"city_id": prague}, {"city_id": riga}]})
    record = get_record("delegations", did)
    assert [s["city_id"] for s in record["itinerary"]] == [prague, riga]
    assert record["planned_start"] == "2020-01-12"
    writes.update(admin, "delegations", did, {"itinerary": [{"city_id": riga}]}, 1)
    assert [s["city_id"] for s in get_record("delegations", did)["itinerary"]] == [riga]
    assert history("delegations", did)[0]["before"]["itinerary"][0]["city_id"] == prague
    assert list_records("delegations", q="布拉格").total == 0  # Prague left the itinerary
    assert list_records("delegations", q="riga").total == 1


def test_status_changes_are_kept_as_history(engine, admin):
    vid = writes.create(admin, "visits", {"title_en": "Group", "start_on": date(2020, 3, 1), "headcount": 5})
    with pytest.raises(ValidationFailed):
        writes.change_status(admin, "visits", vid, "postponed", 1)  # a reason is required
    version = writes.change_status(admin, "visits", vid, "postponed", 1, reason="COVID-19",
                                   new_start=date(2021, 3, 1), new_end=date(2021, 3, 2))
    writes.change_status(admin, "visits", vid, "confirmed", version)
    steps = status_history("visits", vid)
    assert [(s["from_status"], s["to_status"]) for s in steps] == [("", "planned"), ("planned", "postponed"),
                                                                   ("postponed", "confirmed")]
    assert steps[1]["reason"] == "COVID-19"
    record = get_record("visits", vid)
    assert record["start_on"] == "2021-03-01" and record["planned_start"] == "2020-03-01"


def test_search_ignores_case_accents_and_language(engine, admin):
    writes.create(admin, "cities", {"name_en": "São Paulo", "name_zh": "聖保羅", "country_code": "BR"})
    for query in ("sao paulo", "SÃO", "聖保羅", "paulo sao"):
        assert list_records("cities", q=query).total == 1, query
    assert list_records("cities", q="lima").total == 0
    assert list_records("cities", q="100%").total == 0


def test_unknown_record_is_not_found(engine, admin):
    with pytest.raises(NotFound):
        writes.update(admin, "visits", 12345, {"title_en": "x"}, 1)


def _every_write(cid: int, vid: int, entry: int, batch: str, pair: tuple[int, int]):
    """One call of every write function (records, status, restore, revert, settings, bulk, merge, undo, import)."""
    from crm.imports import flow as importer
    from crm.records import audit, merge
    from crm.store import batch as bulk

    csv = b"name_en,country_code\nKaunas,LT\n"
    return {
        "create": lambda a: writes.create(a, "cities", {"name_en": "Riga", "country_code": "LV"}),
        "update": lambda a: writes.update(a, "cities", cid, {"name_en": "X"}, 1),
        "change_status": lambda a: writes.change_status(a, "visits", vid, "cancelled", 1, reason="r"),
        "delete": lambda a: writes.delete(a, "cities", cid, 1),
        "restore": lambda a: writes.restore(a, "cities", cid, 1),
        "revert": lambda a: writes.revert(a, entry, 1),
        "set_setting": lambda a: writes.set_setting(a, "home_city_id", str(cid)),
        "create_many": lambda a: bulk.create_many(a, "cities", [{"name_en": "Tartu", "country_code": "EE"}]),
        "undo_batch": lambda a: bulk.undo_batch(a, batch),
        "merge": lambda a: merge.merge(a, "cities", pair[0], pair[1], versions=(1, 1)),
        "audit_undo": lambda a: audit.undo(a, entry, 1),
        "import": lambda a: importer.commit(a, importer.plan(importer.read(csv, "c.csv", "cities"), "cities")),
    }


@pytest.mark.parametrize("forged", ["a reader's name with the admin role", "a user who does not exist",
                                    "another account's id", "the system actor's name", "a disabled account"])
def test_a_made_up_actor_cannot_write_by_any_function(engine, admin, staff, leader, forged):
    """The role and state come from the account on file, never from the `Actor` a caller builds."""
    from crm.accounts.users import set_active
    from crm.store import batch as bulk

    cid = _city(admin)
    vid = writes.create(admin, "visits", {"title_en": "Visit", "start_on": date(2020, 3, 1), "status": "planned"})
    pair = (_city(admin, name_native="Praha"), _city(admin, name_native="Prag"))
    entry = history("cities", cid)[0]["id"]
    batch = bulk.new_batch_id()
    bulk.save_batch(admin, batch, "cities", "x.csv", {}, [])
    actor = {"a reader's name with the admin role": writes.Actor("mayor", "admin"),
             "a user who does not exist": writes.Actor("nobody", "admin"),
             "another account's id": writes.Actor("clerk", "admin", admin.id),
             "the system actor's name": writes.Actor("system", "admin"),
             "a disabled account": staff}[forged]
    if forged == "a disabled account":
        set_active(admin, staff.id, False)
    count = _audit_count(engine)
    for name, write in _every_write(cid, vid, entry, batch, pair).items():
        with pytest.raises(PermissionDenied) as caught:
            write(actor)
        assert caught.value.message("zh-TW") and caught.value.message("en"), name
    assert _audit_count(engine) == count
    assert get_record("cities", cid)["version"] == 1 and get_record("cities", pair[1])["deleted_at"] is None


def test_the_role_is_read_when_it_changes_and_the_system_actor_still_writes(engine, admin, staff):
    from crm.accounts.users import add_user, set_role

    cid = _city(staff)
    set_role(admin, staff.id, "leadership")  # staff's Actor object still says "staff"
    with pytest.raises(PermissionDenied):
        writes.update(staff, "cities", cid, {"name_native": "Praha"}, 1)
    set_role(admin, staff.id, "admin")  # and now an administrator, though the object says "staff"
    writes.set_setting(staff, "home_city_id", str(cid))
    # the CLI's and the migrations' actor is the object itself, and has no account
    rid = writes.create(writes.SYSTEM_ACTOR, "cities", {"name_en": "Brno", "country_code": "CZ"})
    add_user(writes.SYSTEM_ACTOR, "temp", "staff", "brass compass winter 42")
    assert history("cities", rid)[0]["username"] == "system"
    with pytest.raises(PermissionDenied):
        writes.create(writes.Actor("system", "admin"), "cities", {"name_en": "Ostrava", "country_code": "CZ"})


def test_a_write_names_the_version_it_read(engine, admin, staff):
    cid = _city(admin)
    writes.update(staff, "cities", cid, {"name_en": "Praha city"}, 1)
    entry = history("cities", cid)[0]["id"]
    writes.update(staff, "cities", cid, {"notes": "later"}, 2)
    with pytest.raises(StaleRecord):  # the history shown was version 2; the record moved on
        writes.revert(admin, entry, 2)
    writes.delete(staff, "cities", cid, 3)
    with pytest.raises(StaleRecord):
        writes.restore(admin, "cities", cid, 3)
    assert get_record("cities", cid)["deleted_at"] is not None and get_record("cities", cid)["notes"] == "later"
    writes.restore(admin, "cities", cid, 4)
    assert writes.revert(admin, entry, 5) == 6
    assert (get_record("cities", cid)["name_en"], get_record("cities", cid)["notes"]) == ("Prague", "")
    with pytest.raises(TypeError):  # a write without the version it read is a programming error
        writes.update(admin, "cities", cid, {"notes": "blind"}, None)  # type: ignore[arg-type]
    assert get_record("cities", cid)["notes"] == "" and get_record("cities", cid)["version"] == 6
