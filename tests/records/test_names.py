"""The naming service: one rule for how a record is called, for one row and in bulk by (kind, id)."""

from crm.records import names
from crm.records.queries import options
from crm.store import writes


def test_the_rule_for_one_row():
    prague = {"id": 3, "name_en": "Prague", "name_zh": "布拉格", "name_native": "Praha", "country_code": "CZ"}
    assert names.display_name("cities", prague, "zh-TW") == "布拉格"
    assert names.display_name("people", {"id": 4, "name_native": "Hřib"}, "en") == "Hřib"  # the native script last
    assert names.display_name("visits", {"id": 5, "title_zh": "首爾大學來訪"}, "en") == "首爾大學來訪"
    assert names.display_name("delegations", {"id": 6, "leader_name": "Ko"}, "en") == "Ko"  # no title: its leader
    assert names.display_name("meetings", {"id": 7}, "en") == "#7" and names.name_of("meetings", {"id": 7}, "en") == ""
    pact = {"id": 8, "city_id": 3, "kind": "sister"}
    assert names.record_name("partnerships", pact, "en", prague) == "Prague"  # a partnership by its city
    assert names.record_name("partnerships", pact, "en") == "#8"  # its city not at hand
    assert names.document_name("partnerships", pact, "en", prague) == "Prague (sister city)"
    assert names.document_name("partnerships", pact, "zh-TW", prague) == "布拉格 (姊妹市)"
    assert names.document_name("partnerships", {}, "en") == "" and names.document_name("cities", {}, "en") == ""
    assert names.option_label("cities", prague, "en") == "Prague (CZ)"
    assert names.name_columns("partnerships") == ("id", "title_en", "title_zh", "city_id", "kind")


def test_in_bulk_by_kind_and_id(sqlite_url, admin):
    riga = writes.create(admin, "cities", {"name_en": "Riga", "name_zh": "里加", "country_code": "LV"})
    pact = writes.create(admin, "partnerships", {"city_id": riga, "kind": "sister", "status": "active"})
    ko = writes.create(admin, "people", {"name_en": "Ko Wen-je", "title_en": "Mayor"})
    found = names.Names("en")
    found.load({"partnerships": [pact, None], "people": {ko, 999}})
    assert found.name("partnerships", pact) == "Riga (sister city)"
    assert (found.name("people", ko), found.name("people", 999), found.name("cities", None)) == ("Ko Wen-je", "", "")
    assert found.name("cities", riga) == "Riga"  # looked up when asked
    rows = names.Rows(columns={"people": ("title_en",)})
    rows.load({"people": [ko]})
    assert rows.row("people", ko)["title_en"] == "Mayor" and rows.row("people", 999) == {} == rows.row("people", None)
    assert options("partnerships", "zh-TW", ids=[pact]) == {pact: "里加"}  # pickers: by its city
    assert options("cities", "en", ids=[riga]) == {riga: "Riga (LV)"}
