"""Partner cities: council approval then signings; a remote signing's two dates; the city dossier."""

from datetime import date

from crm import writes
from crm.matching import city_by_name
from crm.partnerships import remote_signing
from crm.records import get_record
from tests.apptest import errors, open_page
from tests.records_walk import links, walk


def test_a_partnership_through_create_edit_status_delete_restore(demo_url, admin):
    brno = writes.create(admin, "cities", {"name_en": "Brno", "name_zh": "布爾諾", "country_code": "CZ"})
    walk("partnerships", {"city_id": brno, "kind": "friendship", "status": "proposed",
                          "council_approved_on": date(2020, 2, 1)},
         search="Brno", edit={"title_en": "Taipei-Brno friendship"}, city_id=brno,
         status=("approved", {}))


def test_a_remote_signing_keeps_both_dates_and_places_and_the_city_shows_them(demo_url, admin):
    kasama = city_by_name("Kasama", "JP")
    taipei = city_by_name("Taipei", "TW")
    rows = remote_signing(date(2020, 2, 10), date(2020, 2, 25), taipei, kasama, "Ko Wen-je", "Mayor of Kasama")
    pid = writes.create(admin, "partnerships", {"city_id": kasama, "kind": "partner", "status": "active",
                                                "council_approved_on": date(2020, 1, 2),
                                                "established_on": date(2020, 2, 25), "signings": rows})
    saved = get_record("partnerships", pid)["signings"]
    assert [(s["party"], s["signed_on"]) for s in saved] == [("home", "2020-02-10"), ("partner", "2020-02-25")]
    at = open_page("cities", "en", query={"id": str(kasama)})
    assert errors(at) == []
    lines = [c.value for c in at.caption]
    assert any("2020-02-10" in line and "Taipei" in line and "remotely" in line for line in lines), lines
    assert any("2020-02-25" in line for line in lines)
    at = open_page("partnerships", "en", query={"id": str(pid)})
    assert "Kasama (JP)" in links(at)
