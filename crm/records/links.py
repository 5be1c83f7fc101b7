"""Which records involve a city: the conditions behind a city's dossier and the list filter by city."""

from sqlalchemy import exists, false, or_, select, true
from sqlmodel import col

from crm import models as m
from crm.models.kinds import Kind


def city_condition(kind: Kind, city_id: int):
    """SQL condition: a record of `kind` involves the city `city_id`."""
    model = kind.model
    direct = [getattr(model, c) == city_id for c in (
        "city_id", "origin_city_id", "counterpart_city_id", "organiser_city_id", "signed_place_city_id")
        if hasattr(model, c)]
    if kind.name == "delegations":
        direct.append(exists().where(col(m.DelegationStop.delegation_id) == model.id,
                                     col(m.DelegationStop.city_id) == city_id))
    if kind.name == "partnerships":
        direct.append(exists().where(col(m.Signing.partnership_id) == model.id,
                                     col(m.Signing.place_city_id) == city_id))
    if kind.name == "letters":
        direct.append(exists().where(col(m.LetterRecipient.letter_id) == model.id,
                                     col(m.LetterRecipient.city_id) == city_id))
    if kind.name == "agreements":
        direct.append(col(m.Agreement.partnership_id).in_(select(col(m.Partnership.id))
                                                          .where(col(m.Partnership.city_id) == city_id)))
    if kind.name == "meetings":  # the office's own committee: it meets in the home city
        from crm.accounts.settings import home_city_id

        direct.append(true() if home_city_id() == city_id else false())
    if kind.name == "cities":
        direct.append(col(model.id) == city_id)
    return or_(*direct) if direct else false()
