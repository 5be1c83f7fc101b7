"""Delegations: the walk, links both ways (itinerary cities, people met, MOUs signed), child rows."""

from datetime import date

from crm.records.formspec import payload_to_rows, rows_to_payload
from crm.records.kinds.delegations import SPEC
from crm.records.matching import city_by_name
from crm.records.queries import list_records
from tests.support.apptest import errors, open_page
from tests.support.records_walk import links, walk


def test_a_delegation_through_create_edit_status_delete_restore(demo_url):
    walk("delegations", {"title_en": "Deputy mayor's trip to Japan", "title_zh": "副市長訪問日本",
                         "planned_start": date(2020, 11, 2), "planned_end": date(2020, 11, 6), "headcount": 12,
                         "headcount_approx": True, "status": "planned"},
         search="trip to Japan", edit={"leader_name": "Deputy Mayor Tsai"},
         status=("cancelled", {"reason": "COVID-19 travel restrictions"}))


def test_a_delegation_shows_its_cities_people_and_mous_and_they_show_it(demo_url):
    trip = list_records("delegations", q="europe").rows[0]
    at = open_page("delegations", "en", query={"id": str(trip["id"])})
    assert errors(at) == []
    shown = links(at)
    for expected in ("Prague (CZ)", "Riga (LV)", "Tallinn (EE)", "Helsinki (FI)", "Zdeněk Hřib"):
        assert any(expected in label for label in shown), (expected, shown)
    assert sum("MOU" in label for label in shown) == 3
    itinerary = at.dataframe[0].value
    assert list(itinerary["City"]) == ["Prague (CZ)", "Riga (LV)", "Tallinn (EE)", "Helsinki (FI)"]
    for city in ("Riga", "Helsinki"):
        page = open_page("cities", "en", query={"id": str(city_by_name(city, None))})
        assert any("Mayor's visit to Europe 2020" in label for label in links(page))


def test_itinerary_rows_from_the_editor_become_ordered_child_rows():
    editor = SPEC.child("itinerary")
    rows = [{"city_id": "Prague (CZ) · #3", "arrive_on": "2020-01-13", "depart_on": float("nan"), "purpose": "Pact"},
            {"city_id": None, "arrive_on": None, "depart_on": None, "purpose": None},
            {"city_id": "Riga (LV) · #7", "arrive_on": date(2020, 1, 15), "depart_on": None, "purpose": ""}]
    payload = rows_to_payload(editor, rows)
    assert payload == [{"city_id": 3, "arrive_on": date(2020, 1, 13), "purpose": "Pact"},
                       {"city_id": 7, "arrive_on": date(2020, 1, 15), "purpose": ""}]
    back = payload_to_rows(editor, [{"city_id": 3, "arrive_on": "2020-01-13"}], {"cities": {3: "Prague (CZ)"}})
    assert back[0]["city_id"] == "Prague (CZ) · #3" and back[0]["arrive_on"] == date(2020, 1, 13)


def test_a_city_added_beside_the_itinerary_becomes_a_choice_in_it(demo_url):
    at = open_page("delegations", "en", query={"new": "1"})
    at.button(key="f-delegations-new-0-itinerary-add").click().run()  # open the row form
    target = "f-delegations-new-0-itinerary-row1-city_id"
    at.text_input(key=f"{target}-add-name_en").set_value("Brno")
    at.selectbox(key=f"{target}-add-country_code").set_value("CZ")
    at.button(key=f"{target}-add-go").click().run()
    assert errors(at) == []
    brno = city_by_name("Brno", "CZ")
    assert at.selectbox(key=target).value == brno, "the new city is chosen in the itinerary row"
    at.button(key="f-delegations-new-0-itinerary-row1-keep").click().run()
    assert at.session_state["f-delegations-new-0-itinerary-rows"][0]["city_id"] == brno


def test_a_delegations_make_up_fits_in_an_exact_headcount(demo_url, admin):
    import pytest

    from crm.errors import ValidationFailed
    from crm.records.queries import get_record
    from crm.store import writes

    with pytest.raises(ValidationFailed) as failed:
        writes.create(admin, "delegations", {"title_en": "Trade mission", "headcount": 10, "officials_count": 6,
                                             "business_count": 4, "press_count": 2})
    assert failed.value.errors == {"press_count": ("err.parts_over_total", {"n": 10})}
    did = writes.create(admin, "delegations", {"title_en": "Trade mission", "headcount": 10, "headcount_approx": True,
                                               "officials_count": 6, "business_count": 4, "press_count": 2,
                                               "dignitaries_count": 12, "dignitaries_approx": True})
    saved = get_record("delegations", did)
    assert (saved["officials_count"], saved["business_count"], saved["press_count"]) == (6, 4, 2)
    assert saved["dignitaries_approx"] is True
    with pytest.raises(ValidationFailed) as failed:  # the total made exact later is checked against the groups
        writes.update(admin, "delegations", did, {"headcount_approx": False}, saved["version"])
    assert "press_count" in failed.value.errors


def test_an_exact_dignitary_count_is_reported_without_about(demo_url, admin):
    from crm.documents.report.data import report_text
    from crm.store import writes

    writes.create(admin, "delegations", {"title_en": "Tokyo", "title_zh": "東京行", "status": "held",
                                         "start_on": date(2020, 2, 3), "end_on": date(2020, 2, 5),
                                         "dignitaries_count": 7})
    assert "到訪期間會晤各地政要 7 人。" in report_text("2020H1", "zh-TW")
    assert "met 7 dignitaries" in report_text("2020H1", "en")


def test_an_itinerary_stop_without_its_city_is_required_not_a_bad_integer(demo_url, admin):
    import pytest

    from crm.errors import ValidationFailed
    from crm.store import writes

    with pytest.raises(ValidationFailed) as failed:
        writes.create(admin, "delegations", {"title_en": "Trip", "itinerary": [{"arrive_on": date(2020, 1, 2)}]})
    assert failed.value.errors == {"itinerary[0].city_id": ("err.required", {})}
