"""Help from what is on file while a form is filled in: a leader chosen brings their name, title and organisation;
a city chosen brings its country; an organisation chosen offers its people. The values are proposals the form
puts in fields still empty (or still holding the previous proposal): the user may change them."""

from sqlalchemy import select
from sqlmodel import Session, col

from crm import models as m
from crm.i18n import pick
from crm.records.formspec import FormSpec
from crm.records.names import entity_name
from crm.store.writes import unit

PERSON_FILLS = {"leader_person_id": {"leader_name": "name", "leader_title": "title", "organisation_id": "organisation_id"}}
CITY_FILLS = {name: {"country_code": "country_code"}
              for name in ("origin_city_id", "city_id", "counterpart_city_id", "organiser_city_id")}
PEOPLE_OFFERED = {"organisation_id": "leader_person_id"}  # an organisation chosen offers its people for this field
OFFERED = 6


def sources(spec: FormSpec) -> list[str]:
    """The fields of the form whose choice fills others of the same form."""
    names = {f.name for f in spec.fields()}
    return [n for n, targets in {**PERSON_FILLS, **CITY_FILLS}.items() if n in names and set(targets) & names]


def proposals(spec: FormSpec, field: str, record_id: int | None, lang: str, *,
              session: Session | None = None) -> dict:
    """target field → the value the record chosen in `field` proposes for it (only fields the form has)."""
    if record_id is None:
        return {}
    names = {f.name for f in spec.fields()}
    with unit(session) as s:
        if field in PERSON_FILLS:
            person = s.get(m.Person, record_id)
            if person is None:
                return {}
            values = {"name": entity_name(person.model_dump(), lang), "title": pick(lang, person.title_en, person.title_zh),
                      "organisation_id": person.organisation_id}
            targets = PERSON_FILLS[field]
        elif field in CITY_FILLS:
            city = s.get(m.City, record_id)
            if city is None:
                return {}
            values, targets = {"country_code": city.country_code}, CITY_FILLS[field]
        else:
            return {}
    return {target: values[source] for target, source in targets.items()
            if target in names and values[source] not in (None, "")}


def people_at(organisation_id: int | None, lang: str, *, limit: int = OFFERED,
              session: Session | None = None) -> dict[int, str]:
    """id → name of the people on file at the organisation (the first few, by name)."""
    if organisation_id is None:
        return {}
    p = m.Person
    with unit(session) as s:
        rows = s.execute(select(col(p.id), col(p.name_en), col(p.name_zh), col(p.name_native))
                         .where(col(p.organisation_id) == organisation_id, col(p.deleted_at).is_(None))
                         .order_by(col(p.name_en), col(p.id)).limit(limit)).all()
    return {r.id: entity_name(dict(r._mapping), lang) or f"#{r.id}" for r in rows}


__all__ = ["PEOPLE_OFFERED", "people_at", "proposals", "sources"]
