"""Forums: the walk; sub-forums are shown on the record."""

from datetime import date

from crm.records.matching import city_by_name
from crm.store import writes
from tests.support.apptest import errors, open_page
from tests.support.records_walk import walk


def test_a_forum_through_create_edit_status_delete_restore(demo_url, admin):
    shanghai = city_by_name("Shanghai", "CN") or writes.create(admin, "cities", {
        "name_en": "Shanghai", "name_zh": "上海", "country_code": "CN"})
    walk("forums", {"title_en": "2021 Taipei-Shanghai City Forum", "title_zh": "2021 臺北上海城市論壇",
                    "start_on": date(2021, 7, 22), "counterpart_city_id": shanghai, "mode": "video"},
         search="2021 Taipei-Shanghai", edit={"theme": "Recovery"}, city_id=shanghai,
         status=("postponed", {"reason": "COVID-19", "when": "2021-12-01"}))


def test_sub_forums_are_listed_on_the_forum(demo_url, admin):
    fid = writes.create(admin, "forums", {"title_en": "Test forum", "start_on": date(2020, 7, 22), "subforums": [
        {"title_zh": "衛生醫療", "title_en": "Health"}, {"title_zh": "智慧交通", "title_en": "Smart transport"}]})
    at = open_page("forums", "zh-TW", query={"id": str(fid)})
    assert errors(at) == []
    frame = at.dataframe[0].value
    assert list(frame["中文名稱"]) == ["衛生醫療", "智慧交通"]
