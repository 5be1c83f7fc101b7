"""People: the walk, the person page (every encounter), duplicates in either language."""

from crm.records.matching import city_by_name
from crm.records.queries import list_records
from tests.support.apptest import errors, open_page
from tests.support.records_walk import create_via_form, links, walk


def test_a_person_through_create_edit_delete_restore(demo_url):
    prague = city_by_name("Prague", "CZ")
    walk("people", {"name_en": "Jana Novakova", "name_zh": "諾瓦科娃", "title_en": "Deputy Mayor of Prague",
                    "city_id": prague, "country_code": "CZ"},
         search="Novakova", edit={"title_en": "First Deputy Mayor of Prague"}, city_id=prague)


def test_the_person_page_lists_every_encounter(demo_url):
    hrib = list_records("people", q="hrib").rows[0]
    at = open_page("people", "en", query={"id": str(hrib["id"])})
    assert errors(at) == []
    assert any("Mayor's visit to Europe 2020" in label and "met" in label for label in links(at))


def test_a_duplicate_person_is_offered_instead(demo_url):
    before = list_records("people").total
    at = create_via_form("people", {"name_zh": "賀吉普"}, lang="zh-TW")
    assert any("已有此聯絡人" in w.value for w in at.warning)
    assert list_records("people").total == before
    at = create_via_form("people", {"name_en": "Zdenek Hrib", "country_code": "CZ"})
    assert any("Zden" in label for label in links(at)), links(at)


def test_a_name_is_shown_as_typed_never_as_markdown(demo_url, admin):
    from crm.store import writes

    prague = city_by_name("Prague", "CZ")
    hostile = "![x](http://evil.example/a.png) **Bold**"
    writes.create(admin, "people", {"name_en": hostile, "city_id": prague})
    at = open_page("cities", "en", query={"id": str(prague)})
    raw = [link.proto.label for link in at.get("page_link")]
    assert any(label.startswith("&#33;&#91;x&#93;&#40;http&#58;") for label in raw), raw  # references, not Markdown
    assert hostile in links(at)
