"""Counting rules against hand-counted fixtures: edge dates, postponed and cancelled items."""

from datetime import date

from crm.periods import parse_period
from crm.records.matching import find_matches
from crm.store import writes
from crm.views.counts import period_counts


def test_counts_follow_the_rules(engine, admin):
    city = writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})
    riga = writes.create(admin, "cities", {"name_en": "Riga", "country_code": "LV"})
    for day, people, status in ((date(2020, 6, 30), 5, "held"), (date(2020, 7, 1), 7, "held"),
                                (date(2020, 1, 1), 3, "held"), (date(2020, 3, 1), 9, "cancelled"),
                                (date(2020, 4, 1), 4, "planned")):
        writes.create(admin, "visits", {"title_en": f"g{day}", "start_on": day, "headcount": people, "status": status})
    writes.create(admin, "delegations", {"title_en": "trip", "start_on": date(2020, 1, 12), "end_on": date(2020, 1, 22),
                                         "status": "held", "headcount": 53, "dignitaries_count": 30,
                                         "itinerary": [{"city_id": city}, {"city_id": riga}, {"city_id": city}]})
    writes.create(admin, "partnerships", {"city_id": city, "status": "active", "established_on": date(2020, 1, 13),
                                          "council_approved_on": date(2019, 12, 24)})
    h1, h2 = parse_period("2020H1"), parse_period("2020H2")
    first = period_counts(h1)
    assert (first.visits_groups, first.visits_people) == (2, 8)
    assert (first.delegations, first.delegation_people, first.delegation_cities, first.delegation_countries) == (
        1, 53, 2, 2)
    assert first.dignitaries_met == 30 and first.new_partnerships == 1 and first.council_approvals == 0
    assert first.cancelled == 1
    second = period_counts(h2)
    assert (second.visits_groups, second.visits_people) == (1, 7)
    assert period_counts(parse_period("2019H2")).council_approvals == 1


def test_duplicate_city_and_person_are_found(engine, admin):
    prague = writes.create(admin, "cities", {"name_en": "Prague", "name_zh": "布拉格", "country_code": "CZ"})
    assert [mt.record_id for mt in find_matches("cities", {"name_zh": "布拉格", "country_code": "CZ"})] == [prague]
    near = find_matches("cities", {"name_en": "Praque", "country_code": "CZ"})
    assert near and near[0].reason == "match.near_name"
    assert find_matches("cities", {"name_en": "Prague", "country_code": "US"}) == []
    person = writes.create(admin, "people", {"name_en": "Zdeněk Hřib", "country_code": "CZ"})
    assert find_matches("people", {"name_en": "zdenek hrib"})[0].record_id == person
