"""Input checks shared by every kind: types, required names, date order, ranges, references."""

from datetime import date, datetime
from functools import lru_cache
from typing import get_args

from pydantic import ValidationError
from sqlmodel import Session

from crm import models as m
from crm.models.base import SYSTEM_FIELDS, Record
from crm.models.kinds import (
    MEETING_MODES,
    ORGANISATION_KINDS,
    PARTNERSHIP_KINDS,
    SIGNING_MODES,
    ChildSpec,
    Kind,
)
from crm.periods import PRECISIONS
from crm.text import clean

MAX_TEXT = 20_000
MAX_SHORT = 500
MAX_COUNT = 1_000_000
MAX_INT = 2**31 - 1
LONG_FIELDS = {"notes", "purposes", "outcomes", "purpose", "summary", "description", "protocol_notes",
               "participants", "address", "theme", "topic"}
CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "kind": {"partnerships": PARTNERSHIP_KINDS, "organisations": ORGANISATION_KINDS},
    "mode": {"agreements": SIGNING_MODES, "conferences": MEETING_MODES, "forums": MEETING_MODES,
             "signings": SIGNING_MODES},
    "party": {"signings": ("home", "partner", "both")},
    "role": {"people": ("member", "met")},
}
REFERENCES: dict[str, type[Record]] = {
    "city_id": m.City, "place_city_id": m.City, "counterpart_city_id": m.City, "origin_city_id": m.City,
    "organiser_city_id": m.City, "signed_place_city_id": m.City,
    "organisation_id": m.Organisation, "counterpart_org_id": m.Organisation, "organiser_org_id": m.Organisation,
    "person_id": m.Person, "leader_person_id": m.Person, "signatory_person_id": m.Person,
    "partner_signatory_person_id": m.Person, "presenter_person_id": m.Person, "presenter_org_id": m.Organisation,
    "partnership_id": m.Partnership, "delegation_id": m.Delegation, "visit_id": m.Visit,
    "agreement_id": m.Agreement,
}
REFERENCE_KIND = {m.City: "kind.cities", m.Organisation: "kind.organisations", m.Person: "kind.people",
                  m.Partnership: "kind.partnerships", m.Delegation: "kind.delegations", m.Visit: "kind.visits",
                  m.Agreement: "kind.agreements"}
# a total and the counts of its groups: the groups may not add up to more than an exact total
PARTS_OF = {"headcount": ("officials_count", "business_count", "press_count")}
DATE_PAIRS = (("start_on", "end_on"), ("planned_start", "planned_end"), ("signed_on", "valid_until"),
              ("arrive_on", "depart_on"))

Errors = dict[str, tuple[str, dict]]


def _editable_fields(model) -> dict:
    return {k: f for k, f in model.model_fields.items() if k not in SYSTEM_FIELDS}


def _clean_value(value):
    if isinstance(value, str):
        return clean(value)
    return value


def _type_error(error_type: str) -> tuple[str, dict]:
    if "date" in error_type:
        return ("err.invalid_date", {})
    if error_type.startswith("int"):
        return ("err.not_integer", {})
    if error_type.startswith("float"):
        return ("err.not_number", {})
    if error_type.startswith("bool"):
        return ("err.not_boolean", {})
    return ("err.invalid", {"detail": error_type})


@lru_cache(maxsize=64)
def _checker(model):
    """A plain pydantic model with `model`'s field types and constraints: validating it builds no ORM object."""
    from typing import Annotated

    from pydantic import create_model

    fields = {}
    for name, info in _editable_fields(model).items():
        constraints = [c for c in info.metadata if type(c).__name__ != "FieldInfoMetadata"]
        annotation = Annotated[(info.annotation, *constraints)] if constraints else info.annotation
        fields[name] = (annotation, None)
    # mypy matches **fields against create_model's own keywords (__config__, __base__...) as well, and takes
    # no Annotated[...] built at run time for the TypeForm that pydantic asks for
    return create_model(f"{model.__name__}Check", **fields)  # type: ignore[call-overload]


def coerce(model, data: dict, errors: Errors, prefix: str = "") -> dict:
    """Type-check `data` against `model`'s fields; unknown fields and bad types become errors."""
    fields = _editable_fields(model)
    cleaned = {}
    for name, given in data.items():
        if name not in fields:
            errors[prefix + name] = ("err.unknown_field", {"field": name})
            continue
        value = _clean_value(given)
        optional = type(None) in get_args(fields[name].annotation)
        if value == "" and optional:
            value = None
        if value is None and not optional and fields[name].default is None:  # a NOT NULL reference left empty
            errors[prefix + name] = ("err.required", {})
            continue
        cleaned[name] = value
    try:
        validated = _checker(model).model_validate(cleaned)
    except ValidationError as exc:
        bad = set()
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "?"
            errors[prefix + name] = _type_error(err["type"])
            bad.add(name)
        # keep checking only the values that are well typed (a list where an id belongs must not reach SQL)
        rest = {k: v for k, v in cleaned.items() if k not in bad}
        try:
            validated = _checker(model).model_validate(rest)
        except ValidationError:
            return {}
        return {name: getattr(validated, name) for name in rest}
    return {name: getattr(validated, name) for name in cleaned}


def check_values(kind_name: str, values: dict, errors: Errors, prefix: str = "") -> None:
    """Range, length and choice checks on already-typed values."""
    for name, value in values.items():
        if isinstance(value, str):
            limit = MAX_TEXT if name in LONG_FIELDS else MAX_SHORT
            if len(value) > limit:
                errors[prefix + name] = ("err.too_long", {"max": limit})
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int) and value is not None:
            if not -MAX_INT <= value <= MAX_INT:  # beyond a 32-bit column: refused, never sent to the database
                errors[prefix + name] = ("err.too_large", {"max": MAX_INT})
            elif not name.endswith("_id") and name not in ("seq", "geonames_id"):
                if value < 0:
                    errors[prefix + name] = ("err.negative", {})
                elif value > MAX_COUNT and name != "population":
                    errors[prefix + name] = ("err.too_large", {"max": MAX_COUNT})
        elif isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            errors[prefix + name] = ("err.invalid", {"detail": str(value)})
        if isinstance(value, (date, datetime)) and not 1900 <= value.year <= 2100:
            errors[prefix + name] = ("err.date_range", {})
        allowed = CHOICES.get(name, {}).get(kind_name)
        if allowed and value not in allowed and value is not None:
            errors[prefix + name] = ("err.unknown_choice", {"value": str(value)[:50]})
    lat, lon = values.get("latitude"), values.get("longitude")
    if isinstance(lat, float) and not -90 <= lat <= 90:
        errors[prefix + "latitude"] = ("err.latitude", {})
    if isinstance(lon, float) and not -180 <= lon <= 180:
        errors[prefix + "longitude"] = ("err.longitude", {})


def check_dates(values: dict, errors: Errors, prefix: str = "") -> None:
    for start, end in DATE_PAIRS:
        a, b = (v.date() if isinstance(v, datetime) else v for v in (values.get(start), values.get(end)))
        if isinstance(a, date) and isinstance(b, date) and b < a and prefix + end not in errors:
            errors[prefix + end] = ("err.end_before_start", {})


def check_parts(merged: dict, errors: Errors) -> None:
    """Counts by group (a delegation's officials, business people, press) fit in an exact headcount."""
    for total, parts in PARTS_OF.items():
        whole = merged.get(total)
        counts: list[tuple[str, int]] = [(p, merged[p]) for p in parts if isinstance(merged.get(p), int)]
        if not isinstance(whole, int) or merged.get(f"{total}_approx") or not counts:
            continue
        if sum(n for _, n in counts) > whole and not any(p in errors for p, _ in counts):
            errors[counts[-1][0]] = ("err.parts_over_total", {"n": whole})


def check_partial(values: dict, errors: Errors, prefix: str = "") -> None:
    """A date known only to the month or year (`postponed_to`) says how it is known."""
    if values.get("postponed_to") is not None and values.get("postponed_to_precision") not in PRECISIONS:
        errors[prefix + "postponed_to"] = ("err.partial_date", {})


def check_references(session: Session, values: dict, errors: Errors, prefix: str = "") -> None:
    for name, value in values.items():
        target = REFERENCES.get(name)
        if target is not None and value is not None and (
                not isinstance(value, int) or not 0 < value <= MAX_INT or session.get(target, value) is None):
            errors[prefix + name] = ("err.unknown_reference", {"kind": REFERENCE_KIND[target], "id": value})
        if name == "country_code" and value and session.get(m.Country, value) is None:
            errors[prefix + name] = ("err.unknown_country", {"code": str(value)[:10]})


def check_required(kind: Kind, merged: dict, errors: Errors) -> None:
    for name in kind.required:
        if merged.get(name) in (None, ""):
            errors[name] = ("err.required", {})
    if kind.required_any and not any(merged.get(n) for n in kind.required_any):
        errors[kind.required_any[0]] = ("err.required_any", {})
    status = merged.get("status")
    if kind.statuses and status is not None and status not in kind.statuses:
        errors["status"] = ("err.unknown_status", {"status": str(status)[:50]})


def validate_children(session: Session, spec: ChildSpec, rows, errors: Errors) -> list[dict]:
    """Check the child rows of one collection; returns them typed, in order."""
    if rows is None:
        return []
    if not isinstance(rows, (list, tuple)):
        errors[spec.key] = ("err.invalid", {"detail": "list"})
        return []
    typed = []
    for index, given in enumerate(rows):
        prefix = f"{spec.key}[{index}]."
        if not isinstance(given, dict):
            errors[prefix[:-1]] = ("err.invalid", {"detail": "row"})
            continue
        row = {k: v for k, v in given.items() if k not in ("id", spec.parent_fk)}
        values = coerce(spec.model, row, errors, prefix)
        for name, info in _editable_fields(spec.model).items():  # a NOT NULL column left empty
            if (name not in (spec.parent_fk, "seq") and values.get(name) is None and prefix + name not in errors
                    and info.default is None and type(None) not in get_args(info.annotation)):
                errors[prefix + name] = ("err.required", {})
        check_values(spec.key, values, errors, prefix)
        check_dates(values, errors, prefix)
        check_partial(values, errors, prefix)
        check_references(session, values, errors, prefix)
        values["seq"] = index
        typed.append(values)
    return typed
