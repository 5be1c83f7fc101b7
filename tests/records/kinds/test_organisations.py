"""Organisations: the walk, the organisation page (people, visits, conferences), duplicates."""

from crm.records.matching import city_by_name
from crm.records.queries import list_records
from tests.support.apptest import errors, open_page
from tests.support.records_walk import create_via_form, links, walk


def test_an_organisation_through_create_edit_delete_restore(demo_url):
    prague = city_by_name("Prague", "CZ")
    walk("organisations", {"name_en": "Prague Zoo", "name_zh": "布拉格動物園", "kind": "other", "city_id": prague,
                           "country_code": "CZ"},
         search="Prague Zoo", edit={"acronym": "PZOO"}, city_id=prague)


def test_the_organisation_page_shows_its_conferences_and_visits(demo_url):
    citynet = list_records("organisations", q="citynet").rows[0]
    at = open_page("organisations", "en", query={"id": str(citynet["id"])})
    assert errors(at) == []
    assert any("CITYNET" in label for label in links(at))
    snu = list_records("organisations", q="seoul national").rows[0]
    at = open_page("organisations", "zh-TW", query={"id": str(snu["id"])})
    assert any("首爾大學" in label for label in links(at)), links(at)


def test_a_duplicate_organisation_is_offered_instead(demo_url):
    before = list_records("organisations").total
    at = create_via_form("organisations", {"name_en": "citynet"})
    assert any("may already be on file" in w.value for w in at.warning)
    assert list_records("organisations").total == before


def test_a_stale_edit_is_explained_with_the_other_persons_values(demo_url, staff):
    from crm.store import writes

    citynet = list_records("organisations", q="citynet").rows[0]
    at = open_page("organisations", "en", query={"id": str(citynet["id"])})
    prefix = f"f-organisations-{citynet['id']}-v{citynet['version']}"
    at.text_input(key=f"{prefix}-website").set_value("https://mine.example")
    writes.update(staff, "organisations", citynet["id"], {"website": "https://theirs.example"}, citynet["version"])
    at.button(key=f"{prefix}-save").click().run()
    assert any("clerk changed this record" in e.value for e in at.error), [e.value for e in at.error]
    frame = next(df.value for df in at.dataframe if "Their version" in df.value.columns)
    row = frame[frame["Field"] == "Website"].iloc[0]
    assert (row["Yours"], row["Their version"]) == ("https://mine.example", "https://theirs.example")
    assert list_records("organisations", q="citynet").rows[0]["website"] == "https://theirs.example"
    at.button(key=f"{prefix}-overwrite").click().run()
    assert list_records("organisations", q="citynet").rows[0]["website"] == "https://mine.example"
