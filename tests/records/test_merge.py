"""Merging duplicate cities, people and organisations: links move, the loser goes, audited, undoable."""

import pytest
from sqlalchemy import select
from sqlmodel import Session

from crm import models as m
from crm.errors import PermissionDenied, StaleRecord, ValidationFailed
from crm.records import merge
from crm.records.queries import get_record
from crm.store import writes
from crm.store.batch import references_to
from crm.store.engine import get_engine


@pytest.fixture
def two_pragues(db_url, admin):
    """Prague on file twice, each with links, including child rows of other records."""
    keep = writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})
    dup = writes.create(admin, "cities", {"name_en": "Praha", "name_zh": "布拉格", "country_code": "CZ",
                                          "latitude": 50.08, "longitude": 14.42})
    riga = writes.create(admin, "cities", {"name_en": "Riga", "country_code": "LV"})
    org = writes.create(admin, "organisations", {"name_en": "Prague City Hall", "city_id": dup})
    mayor = writes.create(admin, "people", {"name_en": "Zdeněk Hřib", "city_id": dup, "organisation_id": org})
    pact = writes.create(admin, "partnerships", {"city_id": dup, "kind": "sister", "signings": [
        {"signed_on": "2020-01-13", "place_city_id": dup, "party": "both"}]})
    trip = writes.create(admin, "delegations", {"title_en": "Europe 2020", "start_on": "2020-01-12", "itinerary": [
        {"city_id": dup, "arrive_on": "2020-01-12"}, {"city_id": riga, "arrive_on": "2020-01-15"}]})
    mou = writes.create(admin, "agreements", {"title_en": "Zoo MOU", "counterpart_city_id": dup,
                                              "signed_place_city_id": dup})
    letter = writes.create(admin, "letters", {"title_en": "COVID-19 letter", "recipients": [
        {"city_id": dup}, {"city_id": keep}, {"person_id": mayor}]})
    return dict(keep=keep, dup=dup, riga=riga, org=org, mayor=mayor, pact=pact, trip=trip, mou=mou, letter=letter)


def test_every_foreign_key_to_a_city_is_found():
    refs = set(references_to("cities"))
    assert {("delegationstop", "city_id"), ("signing", "place_city_id"), ("letterrecipient", "city_id"),
            ("partnership", "city_id"), ("agreement", "signed_place_city_id"), ("person", "city_id"),
            ("organisation", "city_id"), ("visit", "origin_city_id")} <= refs
    assert ("visitperson", "person_id") in references_to("people")


def test_merging_moves_every_link_and_removes_the_duplicate(two_pragues, admin):
    ids = two_pragues
    rows = merge.compare("cities", ids["keep"], ids["dup"])
    assert {r["field"]: (r["keep"], r["remove"]) for r in rows}["name_en"] == ("Prague", "Praha")
    choices = merge.default_choices(rows)
    assert choices["name_zh"] == "remove" and choices["name_en"] == "keep" and choices["latitude"] == "remove"
    assert merge.link_count("cities", ids["dup"]) == 8
    result = merge.merge(admin, "cities", ids["keep"], ids["dup"], {**choices, "name_native": "keep"}, versions=(1, 1))
    assert result.moved == 6  # organisation, person, partnership (and its signing), delegation, agreement, letter
    kept = get_record("cities", ids["keep"])
    assert (kept["name_en"], kept["name_zh"], kept["latitude"]) == ("Prague", "布拉格", 50.08)
    assert get_record("cities", ids["dup"])["deleted_at"] is not None
    assert merge.link_count("cities", ids["dup"]) == 0
    assert get_record("partnerships", ids["pact"])["city_id"] == ids["keep"]
    assert get_record("partnerships", ids["pact"])["signings"][0]["place_city_id"] == ids["keep"]
    assert [s["city_id"] for s in get_record("delegations", ids["trip"])["itinerary"]] == [ids["keep"], ids["riga"]]
    mou = get_record("agreements", ids["mou"])
    assert mou["counterpart_city_id"] == mou["signed_place_city_id"] == ids["keep"]
    recipients = get_record("letters", ids["letter"])["recipients"]
    assert [r["city_id"] for r in recipients] == [ids["keep"], None]  # the repeated recipient is not doubled
    assert get_record("people", ids["mayor"])["city_id"] == ids["keep"]
    with Session(get_engine()) as s:
        entries = s.execute(select(m.AuditEntry.action, m.AuditEntry.kind, m.AuditEntry.record_id)
                            .where(m.AuditEntry.batch_id == result.batch_id)).all()
    assert {(a, k) for a, k, _ in entries} == {("merge", "cities"), ("merge", "organisations"), ("merge", "people"),
                                                ("merge", "partnerships"), ("merge", "delegations"),
                                                ("merge", "agreements"), ("merge", "letters"), ("delete", "cities")}


def test_a_merge_is_undone_as_a_whole(two_pragues, admin):
    ids = two_pragues
    before = {k: get_record(kind, ids[k]) for k, kind in (("trip", "delegations"), ("pact", "partnerships"),
                                                           ("letter", "letters"), ("keep", "cities"))}
    result = merge.merge(admin, "cities", ids["keep"], ids["dup"], versions=(1, 1))
    assert merge.recent_merges()[0]["id"] == result.batch_id
    merge.undo_merge(admin, result.batch_id)
    assert get_record("cities", ids["dup"])["deleted_at"] is None
    assert merge.link_count("cities", ids["dup"]) == 8
    assert get_record("delegations", ids["trip"])["itinerary"] == before["trip"]["itinerary"]
    assert get_record("partnerships", ids["pact"])["signings"] == before["pact"]["signings"]
    assert get_record("letters", ids["letter"])["recipients"] == before["letter"]["recipients"]
    assert get_record("cities", ids["keep"])["name_zh"] == ""
    assert merge.recent_merges()[0]["undone_at"] is not None


def test_a_merge_of_records_changed_since_they_were_compared_is_refused(two_pragues, admin, staff):
    ids = two_pragues
    compared = merge.comparison("cities", ids["keep"], ids["dup"])
    assert (compared.keep_version, compared.remove_version) == (1, 1)
    writes.update(staff, "cities", ids["dup"], {"name_zh": "布拉格市"}, 1)  # saved after the comparison was shown
    with pytest.raises(StaleRecord) as caught:
        merge.merge(admin, "cities", ids["keep"], ids["dup"], merge.default_choices(compared.rows), versions=(1, 1))
    assert caught.value.theirs["name_zh"] == "布拉格市"
    assert get_record("cities", ids["dup"])["deleted_at"] is None and get_record("cities", ids["keep"])["version"] == 1
    assert merge.link_count("cities", ids["dup"]) == 8 and merge.recent_merges() == []


def test_merging_people_keeps_one_of_each_link(db_url, admin):
    a = writes.create(admin, "people", {"name_en": "Yang Il-mo"})
    b = writes.create(admin, "people", {"name_zh": "楊一模", "title_zh": "教授"})
    visit = writes.create(admin, "visits", {"title_en": "SNU visit", "start_on": "2020-01-20", "leader_person_id": b,
                                            "people": [{"person_id": a}, {"person_id": b}]})
    merge.merge(admin, "people", a, b, versions=(1, 1))
    record = get_record("visits", visit)
    assert record["leader_person_id"] == a and [p["person_id"] for p in record["people"]] == [a]
    assert get_record("people", a)["name_zh"] == "楊一模" and get_record("people", a)["title_zh"] == "教授"


def test_refusals_change_nothing(db_url, admin, leader):
    a = writes.create(admin, "organisations", {"name_en": "CITYNET"})
    b = writes.create(admin, "organisations", {"name_en": "Citynet"})
    with pytest.raises(ValidationFailed):
        merge.merge(admin, "organisations", a, a, versions=(1, 1))
    with pytest.raises(ValidationFailed):
        merge.merge(admin, "visits", a, b, versions=(1, 1))
    with pytest.raises(PermissionDenied):
        merge.merge(leader, "organisations", a, b, versions=(1, 1))
    assert get_record("organisations", b)["deleted_at"] is None and get_record("organisations", a)["version"] == 1


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_the_merge_page_merges_side_by_side_and_undoes(sqlite_url, admin, lang):
    from tests.support.apptest import errors, open_page

    a = writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})
    b = writes.create(admin, "cities", {"name_en": "Praha", "name_zh": "布拉格", "country_code": "CZ"})
    writes.create(admin, "partnerships", {"city_id": b, "kind": "sister"})
    at = open_page("merge", lang, session={"merge_kind": "cities", "merge_cities_a": a, "merge_cities_b": b})
    assert errors(at) == [] and not at.error
    radios = {r.key: r.value for r in at.radio}
    assert radios["merge_cities_field_name_en"] == "keep" and radios["merge_cities_field_name_zh"] == "remove"
    at.button(key="merge_do").click().run()
    assert errors(at) == [] and at.success and get_record("cities", b)["deleted_at"] is not None
    assert get_record("cities", a)["name_zh"] == "布拉格"
    at.button(key="merge_undo").click().run()
    assert errors(at) == [] and get_record("cities", b)["deleted_at"] is None


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_merge_in_a_real_browser(demo_template, tmp_path, browser_page, lang):
    """Pick two cities on the real page, see them side by side, merge (screenshots kept)."""
    import os
    import shutil

    from tests.support.browser import assert_only_local, screenshot, start_app, wait_for_app

    db = tmp_path / "liaison.db"
    shutil.copy(demo_template, db)
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    try:
        from crm.accounts.users import ensure_local_user

        writes.create(ensure_local_user(), "cities", {"name_en": "Praha", "name_zh": "布拉格市", "country_code": "CZ"})
    finally:
        get_engine(f"sqlite:///{db}").dispose()
        os.environ.pop("DATABASE_URL") if old is None else os.environ.update(DATABASE_URL=old)
    page = browser_page
    with start_app(db) as base:
        page.goto(f"{base}/merge?lang={lang}")
        wait_for_app(page)
        boxes = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]')
        for index, name in ((0, "Prague (CZ)" if lang == "en" else "布拉格 (CZ)"), (1, "Praha (CZ)" if lang == "en"
                                                                                   else "布拉格市 (CZ)")):
            boxes.nth(index).click()
            page.keyboard.type(name.split(" ")[0])
            page.get_by_role("option", name=name, exact=True).click()
            wait_for_app(page)
        page.wait_for_selector('[data-testid="stRadio"] >> nth=1')
        screenshot(page, f"merge-side-by-side-{lang}")
        page.locator(".st-key-merge_do button").click()  # the merge of the pair shown (not the worklist's "Merge these")
        page.wait_for_selector('[data-testid="stAlertContentSuccess"]')
        wait_for_app(page)
        screenshot(page, f"merge-done-{lang}")
    assert_only_local(page.requests)
