"""Global search: any name in any script, accents and case folded, grouped by kind, best matches first."""

from sqlalchemy import text

from crm.records.global_search import search_all
from crm.store import writes


def _ids(found, kind):
    return [h.record_id for h in found.get(kind, [])]


def test_any_script_accents_and_case_find_the_city_first_and_what_links_to_it(engine, admin):
    prague = writes.create(admin, "cities", {"name_en": "Prague", "name_zh": "布拉格", "name_native": "Praha",
                                             "country_code": "CZ"})
    writes.create(admin, "cities", {"name_en": "Prague Heights", "country_code": "US"})
    sao = writes.create(admin, "cities", {"name_en": "São Paulo", "name_zh": "聖保羅", "country_code": "BR"})
    visit = writes.create(admin, "visits", {"title_en": "Mayor of Prague visits", "origin_city_id": prague})
    gone = writes.create(admin, "visits", {"title_en": "Prague delegation (cancelled entry)"})
    writes.delete(admin, "visits", gone, 1)
    for query in ("布拉格", "prague", "PRAHA", "  Prague "):
        found = search_all(query, "en")
        assert _ids(found, "cities")[0] == prague, query
        assert visit in _ids(found, "visits"), query
        assert gone not in _ids(found, "visits")
    found = search_all("prague", "zh-TW")
    assert [h.rank for h in found["cities"]] == [0, 1]  # the exact name, then the one that starts with it
    assert found["cities"][0].label == "布拉格 (CZ)"
    assert list(found) == ["cities", "visits"]  # grouped by kind, in registry order
    assert _ids(search_all("sao paulo", "en"), "cities") == [sao]
    assert _ids(search_all("SÃO", "en"), "cities") == [sao]
    assert search_all("", "en") == {} and search_all("   ", "en") == {}
    assert search_all("100%_\\", "en") == {}  # LIKE's wildcards are searched as typed


def test_rank_exact_before_prefix_before_word_before_inside_and_limit_per_kind(engine, admin):
    inside = writes.create(admin, "organisations", {"name_en": "Metrorigalia"})
    word = writes.create(admin, "organisations", {"name_en": "Port of Riga"})
    prefix = writes.create(admin, "organisations", {"name_en": "Riga Technical University"})
    exact = writes.create(admin, "organisations", {"name_en": "Riga", "name_zh": "里加"})
    found = search_all("riga", "en")
    assert _ids(found, "organisations") == [exact, prefix, word, inside]
    assert [h.rank for h in found["organisations"]] == [0, 1, 2, 3]
    assert _ids(search_all("riga", "en", per_kind=2), "organisations") == [exact, prefix]
    assert _ids(search_all("里加", "en"), "organisations") == [exact]
    assert _ids(search_all("riga univ", "en"), "organisations") == [prefix]  # every word, in any order


def test_postgresql_has_a_trigram_index_on_every_search_key(engine):
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as conn:
        names = set(conn.execute(text("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%_search_trgm'"))
                    .scalars())
    assert {"ix_city_search_trgm", "ix_visit_search_trgm", "ix_outreachletter_search_trgm"} <= names
