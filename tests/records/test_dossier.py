"""Dossiers: everything with a city, a person, an organisation; reverse links; on both engines."""

from datetime import date

from crm.records.dossier import city_dossier, dossier, organisation_dossier, person_dossier, related
from crm.records.matching import city_by_name
from crm.records.queries import list_records
from crm.store import writes
from tests.support.apptest import errors, open_page


def test_the_prague_dossier_holds_the_pact_its_signing_the_mous_the_trip_and_the_letter(demo_url):
    found = city_dossier(city_by_name("Prague", "CZ"), "en")
    sections = found.sections
    assert [i.label for i in sections["partnerships"]] == ["Prague"]
    signing = sections["partnerships"][0].extra["signings"]
    assert signing and str(signing[0]["signed_on"]) == "2020-01-13"
    assert sorted(i.label for i in sections["agreements"]) == ["Smart city MOU", "Tourism cooperation MOU",
                                                             "Zoo exchange MOU"]
    assert [i.label for i in sections["delegations"]] == ["Mayor's visit to Europe 2020"]
    assert len(sections["letters"]) == 1
    assert any("H" in i.label for i in sections["people"])  # Zdeněk Hřib, on file in Prague
    timeline = found.timeline()
    assert timeline == sorted(timeline, key=lambda i: i.day) and len(timeline) >= 5


def test_person_and_organisation_dossiers(demo_url):
    ko = list_records("people", q="ko wen-je").rows[0]
    found = person_dossier(ko["id"], "en")
    assert [(i.label, i.role) for i in found.sections["delegations"]] == [("Mayor's visit to Europe 2020", "leader")]
    citynet = list_records("organisations", q="citynet").rows[0]
    org = organisation_dossier(citynet["id"], "en")
    assert [i.label for i in org.sections["conferences"]] == ["CITYNET meeting"]
    assert dossier("visits", 1, "en") is None and dossier("cities", 999999, "en") is None


def test_reverse_links_of_a_delegation(demo_url):
    trip = list_records("delegations", q="europe").rows[0]
    back = related("delegations", trip["id"], "zh-TW")
    assert len(back["agreements"]) == 3 and all("備忘錄" in i.label for i in back["agreements"])


def test_dossiers_on_both_engines_follow_deletes(db_url, admin):
    city = writes.create(admin, "cities", {"name_en": "Brno", "name_zh": "布爾諾", "country_code": "CZ",
                                           "latitude": 49.2, "longitude": 16.6, "coord_source": "manual"})
    person = writes.create(admin, "people", {"name_en": "Markéta Vaňková", "city_id": city})
    visit = writes.create(admin, "visits", {"title_en": "Brno mayor's visit", "origin_city_id": city,
                                            "start_on": date(2020, 2, 2), "people": [{"person_id": person}]})
    assert [i.id for i in city_dossier(city, "en").sections["visits"]] == [visit]
    assert [(i.id, i.role) for i in person_dossier(person, "en").sections["visits"]] == [(visit, "member")]
    writes.delete(admin, "visits", visit, 1)
    assert city_dossier(city, "en").sections["visits"] == []
    assert person_dossier(person, "en").sections["visits"] == []


def test_the_city_page_draws_the_dossier_and_its_timeline(demo_url):
    at = open_page("cities", "zh-TW", query={"id": str(city_by_name("Prague", "CZ"))})
    assert errors(at) == []
    assert at.get("plotly_chart"), "a timeline is drawn"
    assert any(h.value == "相關紀錄" for h in at.subheader)
