"""Cities: the walk, the gazetteer (suggestions, fallback to coordinates typed in), duplicates."""

from crm.records.queries import get_record, list_records
from tests.support.records_walk import create_via_form, links, messages, record_id, shown, walk


def test_a_city_through_create_edit_delete_restore(demo_url):
    rid = walk("cities", {"name_en": "Brno", "name_zh": "布爾諾", "country_code": "CZ"}, search="Brno",
               edit={"name_native": "Brno (Morava)"})
    city = get_record("cities", rid)
    assert city["coord_source"] == "gazetteer" and city["geonames_id"] and round(city["latitude"]) == 49


def test_search_a_city_in_chinese(demo_url):
    at = create_via_form("cities", {"name_en": "Brno", "name_zh": "布爾諾", "country_code": "CZ"}, lang="zh-TW")
    assert shown(at) == []
    assert list_records("cities", q="布爾諾").total == 1


def test_a_city_the_gazetteer_does_not_know_asks_for_coordinates(demo_url):
    before = list_records("cities").total
    at = create_via_form("cities", {"name_en": "Atlantis", "name_zh": "亞特蘭提斯", "country_code": "GR"})
    assert "Latitude: This city is not in the gazetteer: enter its latitude and longitude." in messages(at)
    assert list_records("cities").total == before
    assert any("Not found in the gazetteer" in i.value for i in at.info)
    prefix = "f-cities-new-0"
    at.number_input(key=f"{prefix}-lat").set_value(36.4)
    at.number_input(key=f"{prefix}-lon").set_value(25.4)
    at.button(key=f"{prefix}-save").click().run()
    assert shown(at) == []
    city = get_record("cities", record_id(at))
    assert city["coord_source"] == "manual" and city["latitude"] == 36.4
    assert any("set by hand" in c.value for c in at.caption)


def test_manual_override_wins_over_the_gazetteer(demo_url):
    at = create_via_form("cities", {"name_en": "Lima", "country_code": "PE", "place": "manual"})
    at.number_input(key="f-cities-new-0-lat").set_value(-12.5)
    at.number_input(key="f-cities-new-0-lon").set_value(-77.5)
    at.button(key="f-cities-new-0-save").click().run()
    at.button(key="f-cities-new-0-anyway").click().run()  # Lima is on file: add anyway
    city = get_record("cities", record_id(at))
    assert (city["latitude"], city["coord_source"]) == (-12.5, "manual")


def test_a_duplicate_city_is_offered_instead(demo_url):
    before = list_records("cities").total
    at = create_via_form("cities", {"name_en": "prague", "country_code": "CZ"})
    assert any("may already be on file" in w.value for w in at.warning)
    assert any("Prague" in label for label in links(at))
    assert list_records("cities").total == before
    at = create_via_form("cities", {"name_zh": "布拉格", "country_code": "CZ"}, lang="zh-TW")
    assert any("已有此城市" in w.value for w in at.warning)
    at.button(key="f-cities-new-0-anyway").click().run()
    assert list_records("cities").total == before + 1


def test_gazetteer_suggestions_name_the_place_in_chinese(demo_url):
    at = create_via_form("cities", {"name_en": "Tallinn", "country_code": "EE"})
    choice = at.selectbox(key="f-cities-new-0-place")
    assert any("Tallinn" in o and "塔林" in o for o in choice.options), choice.options
