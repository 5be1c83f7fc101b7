"""The folded search key each record carries, so lists search in any language without accents."""

from sqlalchemy import select
from sqlmodel import Session

from crm import models as m
from crm.models.base import Record
from crm.models.kinds import Kind
from crm.text import fold

NAME_FIELDS = ("name_en", "name_zh", "name_native", "title_en", "title_zh", "acronym", "leader_name",
               "topic", "theme", "signatory", "sender", "host", "email", "admin_area")
LINKED_NAMES: dict[str, type[Record]] = {
    "city_id": m.City, "origin_city_id": m.City, "counterpart_city_id": m.City, "organiser_city_id": m.City,
    "organisation_id": m.Organisation, "counterpart_org_id": m.Organisation, "organiser_org_id": m.Organisation,
    "leader_person_id": m.Person, "person_id": m.Person,
}
CHILD_LINKS = ("city_id", "person_id", "organisation_id")
MAX_KEY = 4000


LINK_NAME_FIELDS = ("name_en", "name_zh", "name_native", "acronym")  # what a record contributes to those linking to it


def _names_of(obj) -> list[str]:
    return [getattr(obj, f, "") or "" for f in LINK_NAME_FIELDS]


def search_text_for(session: Session, kind: Kind, record, *, children: bool = True,
                    linked_to: dict[str, object] | None = None) -> str:
    """Folded names of the record, of what it links to, and of its child rows' cities and people
    (`children=False` for a record not yet written, which has none). `linked_to` gives, by field, a record
    that is not written yet (an object with its names) for a reference that does not hold its id yet."""
    parts: list[str] = [getattr(record, f, "") or "" for f in NAME_FIELDS if hasattr(record, f)]
    for field, model in LINKED_NAMES.items():
        if linked_to and field in linked_to:
            parts += _names_of(linked_to[field])
            continue
        ref = getattr(record, field, None)
        if ref is not None:
            linked = session.get(model, ref)
            if linked is not None:
                parts += _names_of(linked)
    if getattr(record, "country_code", None):
        country = session.get(m.Country, record.country_code)
        if country is not None:
            parts += [country.name_en, country.name_zh, country.code]
    for spec in kind.children if children else ():
        fk = getattr(spec.model, spec.parent_fk)
        for row in session.scalars(select(spec.model).where(fk == record.id)):
            for field in CHILD_LINKS:
                ref = getattr(row, field, None)
                if ref is not None:
                    linked = session.get(LINKED_NAMES[field], ref)
                    if linked is not None:
                        parts += _names_of(linked)
            parts += [getattr(row, f, "") or "" for f in ("title_en", "title_zh", "title", "signatory")]
    seen, unique = set(), []
    for part in (fold(p) for p in parts if p):
        if part and part not in seen:
            seen.add(part)
            unique.append(part)
    return " | ".join(unique)[:MAX_KEY]
