"""Synthetic bench data: `python -m crm demo --synthetic N` (deterministic for a seed).

N engagements (visits, conferences, delegations, agreements, meetings, forums, exchanges,
letters in realistic shares) over 30 years, across up to ~500 real cities from the gazetteer
(Chinese names where it has them), with up to ~10,000 people and organisations. Everything is
labelled: `is_demo` on every record, names starting "[SYN] ", and a Setting "synthetic".

Speed (100,000 in well under a minute) means bulk inserts that bypass `crm.store.writes`: acceptable
only for this bench data. The whole generation is still ONE audit entry (action "import", kind
"synthetic"), and every record gets the folded `search_text` the write path would give it, so
search works as usual.
"""

import json
import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from crm import models as m
from crm.bench.synthetic_names import (
    ANCHOR,
    FAMILY,
    GIVEN,
    INITIALS,
    ORG_PATTERNS,
    PREFIX,
    TITLES,
    real_cities,
    search_key,
)
from crm.models.base import table_of
from crm.text import fold

SETTING = "synthetic"
START_YEAR, END_YEAR = 1997, 2026
CHUNK = 5000
SHARES = (("visits", 0.50), ("conferences", 0.18), ("delegations", 0.10), ("agreements", 0.07),
          ("meetings", 0.05), ("forums", 0.04), ("exchanges", 0.03), ("letters", 0.03))
ID_TABLES = (m.City, m.Organisation, m.Person, m.Partnership, m.Agreement, m.Delegation, m.Visit, m.Conference,
             m.Forum, m.ExchangeProgramme, m.CommitteeMeeting, m.OutreachLetter)
# Insert order: parents before children.
ORDER = (m.City, m.Organisation, m.Person, m.Partnership, m.Signing, m.Delegation, m.DelegationStop,
         m.DelegationPerson, m.Visit, m.VisitPerson, m.Conference, m.ConferencePerson, m.Forum, m.SubForum,
         m.Agreement, m.ExchangeProgramme, m.Cohort, m.CommitteeMeeting, m.AgendaItem, m.OutreachLetter,
         m.LetterRecipient, m.StatusChange)


def sizes(n: int) -> dict[str, int]:
    """How many records of each kind `n` engagements mean (places and parties scale up to their caps)."""
    out = {kind: int(n * share) for kind, share in SHARES}
    out["visits"] += n - sum(out.values())
    out["cities"] = min(500, max(12, n // 20))
    out["organisations"] = min(3000, max(6, n * 3 // 100))
    out["people"] = min(7000, max(10, n * 7 // 100))
    out["partnerships"] = max(1, out["cities"] // 7)
    return out


def _defaults(model) -> dict:
    """Every column of `model` with its default (executemany needs the same keys on every row)."""
    out = {}
    for name, info in model.model_fields.items():
        if name in model.__table__.columns:
            out[name] = info.get_default(call_default_factory=True)
    return out


class Writer:
    """Buffers rows per table and inserts them in chunks, parents first."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rows: dict[type, list[dict]] = {model: [] for model in ORDER}
        self.defaults = {model: _defaults(model) for model in ORDER}
        self.counts: dict[str, int] = {}
        self.next_id = {model: (conn.scalar(select(func.max(col(model.id)))) or 0) + 1 for model in ID_TABLES}

    def new_id(self, model) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def add(self, model, **values) -> dict:
        row = {**self.defaults[model], **values}
        if model not in ID_TABLES:
            row.pop("id", None)
        self.rows[model].append(row)
        if len(self.rows[model]) >= CHUNK:
            self.flush()
        return row

    def flush(self) -> None:
        for model in ORDER:
            rows = self.rows[model]
            if rows:
                self._insert(model, rows)
                name = table_of(model).name
                self.counts[name] = self.counts.get(name, 0) + len(rows)
                self.rows[model] = []

    def _insert(self, model, rows: list[dict]) -> None:
        if self.conn.dialect.name != "postgresql":
            self.conn.execute(insert(model.__table__), rows)
            return
        # PostgreSQL: COPY in the same transaction (executemany there costs a round trip per row).
        names = list(rows[0])
        columns = ", ".join(f'"{name}"' for name in names)
        driver = self.conn.connection.driver_connection
        assert driver is not None  # a connection in use has its driver's
        cursor = driver.cursor()
        with cursor.copy(f'COPY "{model.__tablename__}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[name] for name in names])

    def fix_sequences(self) -> None:
        """PostgreSQL: move each id sequence past the ids given explicitly."""
        if self.conn.dialect.name != "postgresql":
            return
        for model in ID_TABLES:
            table = model.__tablename__
            self.conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                   f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"))


class Generator:
    """Generates the data set into one connection's transaction."""

    def __init__(self, conn: Connection, n: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.w = Writer(conn)
        self.n, self.size = n, sizes(n)
        self.stamp = datetime.now(UTC)
        self.countries = {code: (en, zh) for code, en, zh in conn.execute(
            select(col(m.Country.code), col(m.Country.name_en), col(m.Country.name_zh)))}
        self.existing = {gid: cid for gid, cid in conn.execute(
            select(col(m.City.geonames_id), col(m.City.id))
            .where(col(m.City.geonames_id).is_not(None), col(m.City.deleted_at).is_(None)))}
        self.cities: list[dict] = []  # id, name_en, name_zh, country_code, key (folded names)
        self.orgs: list[dict] = []
        self.people: list[dict] = []
        self.orgs_by_city: dict[int, list[dict]] = {}
        self.people_by_city: dict[int, list[dict]] = {}
        self.partnership_of: dict[int, int] = {}
        years = list(range(START_YEAR, END_YEAR + 1))
        self.years, self.year_weights = years, [1 + 0.12 * (y - START_YEAR) for y in years]

    # -- helpers ---------------------------------------------------------------------------------
    def record(self, when: date | None) -> dict:
        """Columns every record shares."""
        at = datetime.combine(when, datetime.min.time(), UTC) if when and when <= ANCHOR else self.stamp
        deleted = at + timedelta(days=30) if self.rng.random() < 0.005 else None
        return {"is_demo": True, "created_at": at, "updated_at": at, "deleted_at": deleted, "version": 1}

    def day(self) -> date:
        year = self.rng.choices(self.years, self.year_weights)[0]
        return date(year, 1, 1) + timedelta(days=self.rng.randrange(365))

    def status_change(self, kind: str, record_id: int, status: str, at: datetime, reason: str = "",
                      new_start: date | None = None, new_end: date | None = None) -> None:
        self.w.add(m.StatusChange, kind=kind, record_id=record_id, from_status="", to_status=status, reason=reason,
                   new_start=new_start, new_end=new_end, at=at, username="synthetic")

    def country_key(self, code: str | None) -> list[str]:
        if not code or code not in self.countries:
            return []
        en, zh = self.countries[code]
        return [en, zh, code]

    # -- places and parties ----------------------------------------------------------------------
    def places(self) -> None:
        for place in real_cities(self.size["cities"], set(self.countries)):
            names = [place.name_en, place.name_zh]
            city: dict[str, object] = {"name_en": place.name_en, "name_zh": place.name_zh or place.name_en,
                                       "country_code": place.country_code, "key": [fold(x) for x in names if x]}
            if place.geonames_id in self.existing:
                city["id"] = self.existing[place.geonames_id]
            else:
                city["id"] = self.w.new_id(m.City)
                self.w.add(m.City, id=city["id"], name_en=place.name_en, name_zh=place.name_zh,
                           country_code=place.country_code, admin_area=place.admin1, latitude=place.latitude,
                           longitude=place.longitude, coord_source="gazetteer", geonames_id=place.geonames_id,
                           population=place.population, **self.record(None),
                           search_text=search_key([*names, place.admin1, *self.country_key(place.country_code)]))
            self.cities.append(city)
        self.home, self.abroad = self.cities[0], self.cities[1:] or self.cities
        self._organisations()
        self._people()

    def _organisations(self) -> None:
        combos = [(c, p) for p in range(len(ORG_PATTERNS)) for c in range(len(self.abroad))]
        for ci, pi in self.rng.sample(combos, min(self.size["organisations"], len(combos))):
            city = self.abroad[ci]
            kind, en, zh = ORG_PATTERNS[pi]
            name_en = PREFIX + en.format(c=city["name_en"])
            name_zh = PREFIX + zh.format(cz=city["name_zh"])
            org = {"id": self.w.new_id(m.Organisation), "name_en": name_en, "name_zh": name_zh, "kind": kind,
                   "city": city, "key": [fold(name_en), fold(name_zh)]}
            self.w.add(m.Organisation, id=org["id"], name_en=name_en, name_zh=name_zh, kind=kind,
                       country_code=city["country_code"], city_id=city["id"],
                       search_text=search_key([name_en, name_zh, *city["key"], *self.country_key(city["country_code"])]),
                       **self.record(None))
            self.orgs.append(org)
            self.orgs_by_city.setdefault(city["id"], []).append(org)

    def _people(self) -> None:
        combos = len(GIVEN) * len(FAMILY) * len(INITIALS)
        for index in self.rng.sample(range(combos), min(self.size["people"], combos)):
            g, rest = divmod(index, len(FAMILY) * len(INITIALS))
            f, i = divmod(rest, len(INITIALS))
            (given_en, given_zh), (family_en, family_zh) = GIVEN[g], FAMILY[f]
            name_en = f"{PREFIX}{given_en} {INITIALS[i]}. {family_en}"
            name_zh = f"{PREFIX}{given_zh}·{INITIALS[i]}·{family_zh}"
            org = self.rng.choice(self.orgs)
            title_en, title_zh = self.rng.choice(TITLES)
            person = {"id": self.w.new_id(m.Person), "name_en": name_en, "name_zh": name_zh, "org": org,
                      "title_en": title_en, "key": [fold(name_en), fold(name_zh)]}
            city = org["city"]
            email = f"{given_en}.{family_en}.{i}@example.org".lower().replace(" ", "")
            self.w.add(m.Person, id=person["id"], name_en=name_en, name_zh=name_zh, title_en=title_en,
                       title_zh=title_zh, organisation_id=org["id"], city_id=city["id"],
                       country_code=city["country_code"], is_dignitary=self.rng.random() < 0.3, email=email,
                       search_text=search_key([name_en, name_zh, title_en, title_zh, email, *org["key"], *city["key"],
                                               *self.country_key(city["country_code"])]),
                       **self.record(None))
            self.people.append(person)
            self.people_by_city.setdefault(city["id"], []).append(person)

    def partnerships(self) -> None:
        from crm.bench.synthetic_events import partnership

        for city in self.rng.sample(self.abroad, min(self.size["partnerships"], len(self.abroad))):
            self.partnership_of[city["id"]] = partnership(self, city)

    def run(self) -> dict[str, int]:
        from crm.bench.synthetic_events import EVENT_MAKERS

        self.places()
        self.partnerships()
        for kind, make in EVENT_MAKERS.items():
            for _ in range(self.size[kind]):
                make(self)
        self.w.flush()
        self.w.fix_sequences()
        return self.w.counts


def already_generated(engine: Engine) -> dict | None:
    with engine.connect() as conn:
        value = conn.execute(select(col(m.Setting.value)).where(col(m.Setting.key) == SETTING)).scalar()
    return json.loads(value) if value else None


def generate(n: int, seed: int = 1, *, engine: Engine | None = None, username: str = "synthetic") -> str:
    """Add N synthetic engagements (and their places and parties) to the database; a one-line summary."""
    from crm.store.engine import ensure_ready, get_engine

    if n < 1:
        raise ValueError("N must be at least 1")
    engine = ensure_ready(engine or get_engine())
    done = already_generated(engine)
    if done:
        return f"synthetic data already generated ({done['n']} engagements, seed {done['seed']}): nothing added"
    started = datetime.now(UTC)
    with engine.begin() as conn:
        counts = Generator(conn, n, seed).run()
        info = {"n": n, "seed": seed, "at": started.isoformat(), "rows": counts}
        conn.execute(insert(table_of(m.Setting)), [{"key": SETTING, "value": json.dumps(info)}])
        conn.execute(insert(table_of(m.AuditEntry)), [{
            "at": datetime.now(UTC), "user_id": None, "username": username, "action": "import", "kind": "synthetic",
            "record_id": None, "version": None, "before": None, "after": info, "batch_id": f"synthetic-{seed}-{n}",
            "summary": f"synthetic bench data: {n} engagements, seed {seed}"}])
    seconds = (datetime.now(UTC) - started).total_seconds()
    return f"synthetic data: {n} engagements, {sum(counts.values())} rows in {seconds:.1f} s (seed {seed})"
