"""Partner cities: council approval then signings; a remote signing's two dates; the city dossier."""

from datetime import date

from crm.records.kinds.partnerships import remote_signing
from crm.records.matching import city_by_name
from crm.records.queries import get_record
from crm.store import writes
from tests.support.apptest import errors, open_page
from tests.support.records_walk import links, walk


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


def test_a_signing_names_both_signatories_and_each_dossier_shows_it(demo_url, admin):
    from crm.documents.report.data import report_text
    from crm.records.dossier import person_dossier
    from crm.records.queries import list_records

    brno = writes.create(admin, "cities", {"name_en": "Brno", "name_zh": "布爾諾", "country_code": "CZ"})
    mayor = writes.create(admin, "people", {"name_en": "Markéta Vaňková", "name_zh": "萬可娃",
                                            "title_en": "Mayor of Brno", "title_zh": "布爾諾市長"})
    ko = list_records("people", q="Ko Wen-je").rows[0]["id"]
    pid = writes.create(admin, "partnerships", {
        "city_id": brno, "kind": "partner", "status": "active", "established_on": date(2020, 3, 2), "signings": [
            {"signed_on": date(2020, 3, 1), "party": "home", "mode": "remote", "signatory_person_id": ko},
            {"signed_on": date(2020, 3, 2), "party": "partner", "mode": "remote", "place_city_id": brno,
             "partner_signatory_person_id": mayor}]})
    saved = get_record("partnerships", pid)["signings"]
    assert [(s["signatory_person_id"], s["partner_signatory_person_id"]) for s in saved] == [(ko, None), (None, mayor)]
    assert any(i.id == pid for i in person_dossier(mayor, "en").sections["partnerships"])
    assert any(i.id == pid for i in person_dossier(ko, "en").sections["partnerships"])
    text = report_text("2020H1", "zh-TW")
    assert "布爾諾市長萬可娃" in text and "臺北市長柯文哲" in text
    from crm.documents.exports import list_export

    csv_text = list_export("partnerships", "csv", "en", q="Brno").decode("utf-8-sig")
    assert "Ko Wen-je" in csv_text and "Markéta Vaňková" in csv_text


def test_an_unknown_partner_signatory_is_refused_and_nothing_is_written(demo_url, admin):
    import pytest

    from crm.errors import ValidationFailed

    brno = writes.create(admin, "cities", {"name_en": "Brno", "country_code": "CZ"})
    with pytest.raises(ValidationFailed) as failed:
        writes.create(admin, "partnerships", {"city_id": brno, "signings": [
            {"signed_on": date(2020, 3, 1), "partner_signatory_person_id": 999_999}]})
    assert "signings[0].partner_signatory_person_id" in failed.value.errors
