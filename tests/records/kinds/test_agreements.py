"""Agreements (MOUs): the walk, expiry shown on the city dossier, links to the delegation."""

from datetime import date

from crm.records.kinds.agreements import expiry_state
from crm.records.matching import city_by_name
from crm.records.queries import list_records
from tests.support.apptest import errors, open_page
from tests.support.records_walk import links, walk


def test_an_agreement_through_create_edit_status_delete_restore(demo_url):
    prague = city_by_name("Prague", "CZ")
    walk("agreements", {"title_en": "Culture exchange MOU", "title_zh": "文化交流合作備忘錄", "topic": "culture",
                        "counterpart_city_id": prague, "signed_on": date(2020, 1, 13),
                        "valid_until": date(2023, 1, 12), "status": "signed"},
         search="Culture exchange", edit={"title_en": "Culture exchange MOU 2020"}, city_id=prague,
         status=("expired", {}))


def test_expiry_states():
    today = date(2026, 1, 1)
    assert expiry_state(None, today) == "none"
    assert expiry_state("2025-12-31", today) == "expired"
    assert expiry_state(date(2026, 3, 1), today) == "soon"
    assert expiry_state(date(2030, 1, 1), today) == "valid"


def test_an_mou_links_to_the_delegation_that_witnessed_it(demo_url):
    mou = list_records("agreements", q="zoo").rows[0]
    at = open_page("agreements", "zh-TW", query={"id": str(mou["id"])})
    assert errors(at) == []
    assert "柯市長率團訪問歐洲 4 國 4 城市" in links(at)
    assert "布拉格 (CZ)" in links(at)
