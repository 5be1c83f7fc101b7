"""Outreach letters: the walk; recipients link to the cities, which show the letter."""

from datetime import date

from crm.records.matching import city_by_name
from crm.store import writes
from tests.support.apptest import errors, open_page
from tests.support.records_walk import links, walk


def test_a_letter_through_create_edit_status_delete_restore(demo_url):
    walk("letters", {"title_en": "Mayor's new year letter 2021", "title_zh": "市長 2021 新年賀函",
                     "start_on": date(2021, 1, 1), "cities_reached": 54, "missions_reached": 60},
         search="new year letter", edit={"sender": "Mayor Ko Wen-je"}, status=("held", {}))


def test_a_letter_reaches_cities_that_show_it(demo_url, admin):
    riga = city_by_name("Riga", "LV")
    lid = writes.create(admin, "letters", {"title_en": "Season's greetings", "start_on": date(2020, 12, 20),
                                           "recipients": [{"city_id": riga}]})
    at = open_page("letters", "en", query={"id": str(lid)})
    assert errors(at) == [] and "Riga (LV)" in links(at)
    at = open_page("cities", "en", query={"id": str(riga)})
    assert any("Season's greetings" in label for label in links(at))
