"""Places: gazetteer coordinates by any name, manual override kept and shown as such, fallback."""

from crm.geo import places


def test_a_city_gets_gazetteer_coordinates_from_any_of_its_names():
    data, errors = places.complete({"name_zh": "利馬", "name_en": "", "country_code": "PE"})
    assert errors == {} and data["coord_source"] == "gazetteer" and round(data["latitude"]) == -12
    data, errors = places.complete({"name_en": "Praha", "country_code": "CZ"})
    assert errors == {} and round(data["longitude"]) == 14


def test_manual_coordinates_win_and_are_marked_manual():
    data, errors = places.complete({"name_en": "Lima", "country_code": "PE", **places.manual(-12.5, -77.5)})
    assert errors == {} and (data["latitude"], data["coord_source"], data["geonames_id"]) == (-12.5, "manual", None)
    assert places.coordinates({"name_en": "Lima", "country_code": "PE", "latitude": -12.5, "longitude": -77.5,
                               "coord_source": "manual"}) == (-12.5, -77.5, "manual")


def test_a_city_not_in_the_gazetteer_asks_for_coordinates():
    data, errors = places.complete({"name_en": "Atlantis", "country_code": "GR"})
    assert errors == {"latitude": ("places.ask_coordinates", {})} and "latitude" not in data
    assert places.coordinates({"name_en": "Atlantis", "country_code": "GR"}) is None


def test_suggestions_offer_chinese_names_traditional_first():
    found = places.suggestions("Taipei", "TW")
    assert found and found[0].cjk_names[0].startswith("臺")
    assert places.suggestions("布拉格", "CZ")[0].name_en == "Prague"
    assert places.suggestions("", "CZ") == []
    chosen = places.from_place(found[0].place)
    assert chosen["coord_source"] == "gazetteer" and chosen["geonames_id"] == found[0].place.geonames_id
