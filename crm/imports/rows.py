"""One spreadsheet row → a payload for the write path, with references resolved and a natural key.

`RowReader` holds per-import caches (gazetteer look-ups, records on file, places to create), so
thousands of rows cost dictionary look-ups, not queries.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from crm.geo import gazetteer
from crm.i18n import catalog
from crm.imports import normalise as nz
from crm.imports.columns import column_of
from crm.models.kinds import (
    MEETING_MODES,
    ORGANISATION_KINDS,
    PARTNERSHIP_KINDS,
    SIGNING_MODES,
    get_kind,
)
from crm.records.formspec import OFF_PLAN
from crm.store.validation import DATE_PAIRS, check_dates, check_parts, check_required, check_values
from crm.text import fold

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_OTHER_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u052f\u0590-\u05ff\u0600-\u06ff\u0900-\u0dff\u0e00-\u0eff"
                           r"\u1100-\u11ff\u3040-\u30ff\uac00-\ud7af]")
PAIRS = (("name_en", "name_zh"), ("title_en", "title_zh"))
EXTRA_CHOICES = {
    "partnership_kind": {"sister city": "sister", "姐妹市": "sister", "姊妹城市": "sister", "姐妹城市": "sister",
                         "partner city": "partner", "夥伴城市": "partner", "伙伴市": "partner",
                         "friendship city": "friendship", "友好城市": "friendship", "友誼城市": "friendship",
                         "友好市": "friendship"},
    "signing_mode": {"換約": "exchange", "遠距": "remote", "視訊": "remote", "親簽": "in_person", "現場": "in_person"},
    "meeting_mode": {"視訊": "video", "線上": "video", "online": "video", "實體": "in_person", "混合": "hybrid"},
}


def _choice_options(set_name: str, kind_name: str) -> dict[str, str]:
    codes = {"status": get_kind(kind_name).statuses, "org_kind": ORGANISATION_KINDS,
             "partnership_kind": PARTNERSHIP_KINDS, "signing_mode": SIGNING_MODES,
             "meeting_mode": MEETING_MODES}[set_name]
    prefix = {"status": "status"}.get(set_name, set_name)
    options = {}
    for code in codes:
        options[fold(code)] = code
        options[fold(code.replace("_", " "))] = code
        for text in catalog().get(f"{prefix}.{code}", {}).values():
            options[fold(text)] = code
    for alias, code in EXTRA_CHOICES.get(set_name, {}).items():
        options.setdefault(fold(alias), code)
    return options


@dataclass(slots=True)
class Plan:
    """What the import will do with one row of the file."""

    line: int
    status: str = "new"  # new | duplicate | invalid
    data: dict = field(default_factory=dict)
    key: tuple | None = None
    label: str = ""
    match_id: int | None = None  # record on file this row duplicates
    match_line: int | None = None  # earlier row of the file this row duplicates
    reason: tuple[str, dict] | None = None  # catalog key and params: why invalid, or why duplicate
    errors: dict = field(default_factory=dict)  # column → (catalog key, params)
    needs: list = field(default_factory=list)  # [(field, ("cities"|"organisations", pending key))]
    notes: dict = field(default_factory=dict)  # column → (catalog key, params): a value read by interpretation


MEMO = 32_768  # rows (and normalised values) remembered: bounded, so that memory stays flat in the file's length
PLACES = 65_536  # spellings of places remembered
CHECKED = 16_384  # sets of values checked


def _remember(cache: dict, key, value, limit: int) -> None:
    """cache[key] = value, the cache emptied first when it holds `limit` entries (recent rows repeat most)."""
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value


@lru_cache(maxsize=65536)
def _place_key(name: str) -> str:
    return gazetteer.place_key(name)


class RowReader:
    """Turns rows of one kind into plans; caches what is on file and what the gazetteer says."""

    def __init__(self, kind_name: str, on_file) -> None:
        self.kind_name = kind_name
        self.kind = get_kind(kind_name)
        self.on_file = on_file  # crm.imports.match.OnFile
        self._places: dict[tuple, gazetteer.Place | None] = {}
        self._spelled: dict[tuple, gazetteer.Place | None] = {}  # (name as written, country) → place
        self._choices: dict[str, dict] = {}
        self.pending: dict[tuple, dict] = {}  # ("cities"|"organisations", key) → data to create first
        self._memo: dict[tuple, Plan] = {}
        self._fields = set(self.kind.model.model_fields)
        self._checked: dict[tuple, dict] = {}
        # check_dates only compares pairs of fields: a kind without such a pair (cities...) needs no call
        self._has_dates = any(a in self._fields and b in self._fields for a, b in DATE_PAIRS)
        self._columns: dict[tuple, list] = {}

    # -- values ---------------------------------------------------------------------------------
    def place(self, name: str, cc: str | None) -> gazetteer.Place | None:
        spelled = (name, cc)
        if spelled in self._spelled:
            return self._spelled[spelled]
        key = (_place_key(name), cc)
        if key not in self._places:
            by_country, by_name = gazetteer.places_index()
            found = (by_country.get((key[0], cc)) if cc else by_name.get(key[0])) if key[0] else None
            _remember(self._places, key, found[0] if found else None, PLACES)
        place = self._places[key]
        _remember(self._spelled, spelled, place, PLACES)
        return place

    def _choice(self, set_name: str, value):
        if set_name not in self._choices:
            self._choices[set_name] = _choice_options(set_name, self.kind_name)
        return nz.choice(value, self._choices[set_name])

    def _value(self, type_: str, value, data: dict, target: str, notes: dict):
        if type_ == "text":
            return nz.text(value)
        if type_ == "date":
            if target == "established_on" and re.fullmatch(r"\s*\d{4}\s*", nz.halfwidth(nz.text(value))):
                data["established_year"] = nz.parse_year(value)  # a year alone: the partnership's year
                return None
            day = nz.parse_date(value)
            if day is not None and nz.is_ambiguous_date(value):  # 03/04/2020: read day first, and say so
                notes[target] = ("import.note.date", {"value": nz.text(value)[:40], "date": day.isoformat()})
            return day
        if type_ == "year":
            return nz.parse_year(value)
        if type_ in ("int", "count"):
            number, approx = nz.parse_count(value)
            if number is not None and not nz.is_plain_count(value):  # "5 people", "約53人", "五十三": say how read
                key = "import.note.count" if not approx else (
                    "import.note.count_approx" if type_ == "count" else "import.note.not_approx")
                notes[target] = (key, {"value": nz.text(value)[:40], "n": number})
            if type_ == "count":
                data[f"{target}_approx"] = approx
            return number
        if type_ == "float":
            return nz.parse_float(value)
        if type_ == "bool":
            return nz.parse_bool(value)
        if type_ == "country":
            return nz.country_code(value)
        if type_.startswith("choice:"):
            return self._choice(type_.split(":", 1)[1], value)
        return nz.text(value)  # city / org: resolved later, by name

    # -- a row ----------------------------------------------------------------------------------
    def read(self, line: int, cells: list, mapping: list[tuple[int, str]]) -> Plan:
        """Normalise the mapped cells of one row and resolve its references (a repeated row is read once)."""
        try:
            memo_key = tuple(cells[i] if i < len(cells) else None for i, _ in mapping)
            hash(memo_key)
        except TypeError:
            memo_key = None
        if memo_key is not None and memo_key in self._memo:
            p = self._memo[memo_key]  # (dataclasses.replace, field by field, costs more)
            return Plan(line, p.status, p.data, p.key, p.label, p.match_id, p.match_line, p.reason, p.errors, p.needs,
                        p.notes)
        plan = self._read(line, cells, mapping)
        if memo_key is not None:
            _remember(self._memo, memo_key, plan, MEMO)
        return plan

    def _read(self, line: int, cells: list, mapping: list[tuple[int, str]]) -> Plan:
        plan = Plan(line=line)
        data: dict = {}
        refs: dict[str, str] = {}
        key = tuple(mapping)
        if key not in self._columns:
            self._columns[key] = [(index, target, column_of(self.kind_name, target)) for index, target in mapping]
        for index, target, column in self._columns[key]:
            raw = cells[index] if index < len(cells) else None
            if nz.is_blank(raw):
                continue
            try:
                value = self._value(column.type, raw, data, target, plan.notes)
            except nz.Unreadable as exc:
                plan.errors[target] = (exc.key, exc.params)
                continue
            if column.type in ("city", "org"):
                refs[target] = value
            elif value is not None and value != "":
                data[target] = value
        self._split_names(data)
        if self.kind_name == "cities":
            self._city_row(data, plan)
        else:
            for target, name in refs.items():
                self._resolve_ref(target, column_of(self.kind_name, target).type, name, data, plan)
        if data.get("status") in OFF_PLAN and not data.get("status_reason") and "status_reason" in self._fields:
            plan.errors.setdefault("status", ("import.status_needs_reason", {}))  # the app's form asks for one too
        if not plan.errors:
            self._validate(data, plan)
        plan.data = data
        plan.label = self._label(data, refs)
        if plan.errors:
            plan.status = "invalid"
            plan.reason = next(iter(plan.errors.values()))
        return plan

    @staticmethod
    def _split_names(data: dict) -> None:
        for generic, (en, zh) in (("name", PAIRS[0]), ("title", PAIRS[1])):
            value = data.pop(generic, None)
            if value:
                if _CJK.search(value):
                    data.setdefault(zh, value)
                elif not _OTHER_SCRIPT.search(value):
                    data.setdefault(en, value)
                elif generic == "name":
                    data.setdefault("name_native", value)
                else:
                    data.setdefault(en, value)
        for en, zh in PAIRS:
            if data.get(en) and _CJK.search(data[en]) and not data.get(zh):
                data[zh] = data.pop(en)
            elif data.get(zh) and not _CJK.search(data[zh]) and not data.get(en):
                data[en] = data.pop(zh)

    def _city_row(self, data: dict, plan: Plan) -> None:
        if data.get("country_code") is None:
            for field_name in ("name_en", "name_zh", "name_native"):
                if data.get(field_name):
                    bare, cc = nz.find_country_in(data[field_name])
                    if cc:
                        data[field_name], data["country_code"] = bare, cc
                    break
        names = [name for f in ("name_en", "name_zh", "name_native") if (name := data.get(f))]
        cc = data.get("country_code")
        place = None
        for name in names:
            place = self.place(name, cc)
            if place is not None:
                break
        if place is not None:
            self._fill_from_place(data, place)
        elif data.get("latitude") is not None or data.get("longitude") is not None:
            data.setdefault("coord_source", "manual")
        if not names:
            plan.errors["name"] = ("err.required_any", {})
            return
        plan.key = ("g", place.geonames_id) if place else ("n", _place_key(names[0]), data.get("country_code"))
        found = self.on_file.city(data, place)
        if found:
            plan.match_id, plan.reason = found

    @staticmethod
    def _fill_from_place(data: dict, place: gazetteer.Place) -> None:
        given = data.get("name_en")
        if given and _place_key(given) != _place_key(place.name) and not data.get("name_native"):
            data["name_native"] = given
        data["name_en"] = place.name
        data.setdefault("country_code", place.country_code)
        if data.get("latitude") is None and data.get("longitude") is None:
            data.update(latitude=place.latitude, longitude=place.longitude, coord_source="gazetteer")
        else:
            data.setdefault("coord_source", "manual")  # the sheet's own coordinates win
        data.setdefault("geonames_id", place.geonames_id)
        data.setdefault("population", place.population or None)

    def city_ref(self, name: str, cc: str | None) -> tuple[str, object] | None:
        """("id", city id) on file, ("new", pending key) from the gazetteer, or None when unknown."""
        bare, named_cc = nz.find_country_in(name)
        cc = cc or named_cc
        place = self.place(bare, cc)
        probe = {"name_en": bare, "country_code": cc or (place.country_code if place else None)}
        found = self.on_file.city(probe, place)
        if found:
            return "id", found[0]
        if place is None:
            if not cc:
                return None
            key: tuple[str, tuple] = ("cities", ("n", _place_key(bare), cc))
            self.pending.setdefault(key, {("name_zh" if _CJK.search(bare) else "name_en"): bare, "country_code": cc})
            return "new", key
        key = ("cities", ("g", place.geonames_id))
        if key not in self.pending:
            data = {"name_zh": bare} if _CJK.search(bare) else {}
            self._fill_from_place(data, place)
            self.pending[key] = data
        return "new", key

    def org_ref(self, name: str, cc: str | None) -> tuple[str, object]:
        found = self.on_file.organisation({"name_en": name})
        if found:
            return "id", found[0]
        key = ("organisations", fold(name))
        if key not in self.pending:
            self.pending[key] = {("name_zh" if _CJK.search(name) else "name_en"): name, "country_code": cc}
        return "new", key

    def _resolve_ref(self, target: str, type_: str, name: str, data: dict, plan: Plan) -> None:
        cc = data.get("country_code")
        ref = self.city_ref(name, cc) if type_ == "city" else self.org_ref(name, cc)
        if ref is None:
            plan.errors[target] = ("import.unknown_city", {"value": name[:60]})
        elif ref[0] == "id":
            data[target] = ref[1]
        else:
            plan.needs.append((target, ref[1]))
            data[target] = 0  # placeholder, replaced by the new record's id when committing

    def _validate(self, data: dict, plan: Plan) -> None:
        """The write path's own checks (types, ranges, required fields), without touching the database."""
        values = {k: v for k, v in data.items() if k in self._fields}
        needed = tuple(t for t, _ in plan.needs)
        try:
            memo_key = (tuple(values.items()), needed)  # rows read alike build their values in the same order
            errors = self._checked.get(memo_key)
        except TypeError:
            memo_key, errors = None, None
        if errors is None:  # rows that normalise to the same values are checked once
            errors = {}
            check_values(self.kind_name, values, errors)
            if self._has_dates:
                check_dates(values, errors)
            check_required(self.kind, {**values, **{t: 1 for t in needed}}, errors)
            check_parts(values, errors)
            if memo_key is not None:
                _remember(self._checked, memo_key, errors, CHECKED)
        plan.errors.update(errors)
        if self.kind_name != "cities" and not errors:
            plan.key, found = self.on_file.natural_key(self.kind_name, data, plan.needs)
            if found:
                plan.match_id, plan.reason = found

    def _label(self, data: dict, refs: dict) -> str:
        for name in ("name_en", "name_zh", "name_native", "title_en", "title_zh"):
            if data.get(name):
                return str(data[name])[:80]
        return next((str(v)[:80] for v in refs.values() if v), "")
