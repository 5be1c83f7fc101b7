"""Likely duplicates for the merge page: same names in either language, near matches in one country, same
coordinates; ranked, named, and never two namesakes of different countries."""

from crm.records.duplicates import find_pairs, similarity, suggestions
from crm.store import writes


def _row(i, en="", zh="", native="", country="", lat=None, lon=None):
    return {"id": i, "name_en": en, "name_zh": zh, "name_native": native, "country_code": country,
            "latitude": lat, "longitude": lon}


def test_signs_scores_and_order():
    rows = [_row(1, "Prague", "布拉格", country="CZ", lat=50.0875, lon=14.4214),
            _row(2, "PRAGUE", "布拉格", country="CZ"),  # both names the same: 100
            _row(3, "Praha", country="CZ", lat=50.08751, lon=14.42139),  # same place as 1
            _row(4, "Paris", country="FR"), _row(5, "Paris", country="US"),  # namesakes, not duplicates
            _row(6, "Vilnius", country="LT"), _row(7, "Vilnious", country="LT"),  # a typo: near match
            _row(8, "Vilnius", country="LV"),  # same name, other country
            _row(9, "", "布拉格", native="Praha", country="CZ")]
    found = {(s.keep, s.remove): s for s in find_pairs("cities", rows)}
    assert found[(1, 2)].score == 100
    assert (4, 5) not in found and (6, 8) not in found
    assert found[(1, 3)].reasons[0] == ("dup.same_place", {})
    assert found[(6, 7)].reasons == [("dup.similar", {"percent": int(similarity("vilnius", "vilnious") * 100)})]
    assert found[(1, 9)].reasons[0] == ("dup.same_name", {"name": "布拉格"})
    assert found[(3, 9)].reasons[0] == ("dup.same_name", {"name": "Praha"})  # the native script counts too
    ordered = find_pairs("cities", rows)
    assert [s.score for s in ordered] == sorted((s.score for s in ordered), reverse=True)
    assert (ordered[0].keep, ordered[0].remove) == (1, 2)
    assert found[(6, 7)].score < found[(1, 3)].score < found[(1, 9)].score


def test_people_without_a_country_still_pair_and_accents_fold():
    rows = [_row(1, "José Martí"), _row(2, "Jose Marti", country="CU"), _row(3, "Jose Marti", country="ES")]
    found = {(s.keep, s.remove) for s in find_pairs("people", rows)}
    assert found == {(1, 2), (1, 3)}  # 2 and 3 are of different countries


def test_suggestions_on_file_leave_deleted_records_out_and_name_both(engine, admin):
    a = writes.create(admin, "organisations", {"name_en": "Riga City Council", "name_zh": "里加市議會"})
    b = writes.create(admin, "organisations", {"name_en": "riga city council"})
    c = writes.create(admin, "organisations", {"name_zh": "里加市議會"})
    writes.delete(admin, "organisations", c, 1)
    found = suggestions("organisations", "zh-TW")
    assert [(s.keep, s.remove) for s in found] == [(a, b)]
    assert found[0].labels == ("里加市議會", "riga city council")
