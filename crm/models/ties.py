"""Lasting ties: partner-city relationships with their signings, and agreements (MOUs)."""

from datetime import date

from sqlmodel import Field

from crm.models.base import Child, Record


class Partnership(Record, table=True):
    city_id: int = Field(default=None, foreign_key="city.id", index=True)
    kind: str = Field(default="sister", index=True)  # sister | partner | friendship
    status: str = Field(default="proposed", index=True)
    council_approved_on: date | None = None
    established_on: date | None = Field(default=None, index=True)
    established_year: int | None = None
    ended_on: date | None = None
    title_en: str = ""
    title_zh: str = ""


class Signing(Child, table=True):
    """One act of signing; a remote signing has one row per party, each with its own date and place.

    `signatory` is the home (Taipei) side's signer, `partner_signatory` the partner city's: a row signed
    by both parties names both; a remote row names its own party's signer.
    """

    partnership_id: int = Field(default=None, foreign_key="partnership.id", index=True)
    signed_on: date | None = None
    place_city_id: int | None = Field(default=None, foreign_key="city.id")
    signatory: str = ""
    signatory_person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    partner_signatory: str = ""
    partner_signatory_person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    party: str = "both"  # home | partner | both
    mode: str = "in_person"  # in_person | remote | exchange
    delegation_id: int | None = Field(default=None, foreign_key="delegation.id")


class Agreement(Record, table=True):
    title_en: str = ""
    title_zh: str = ""
    topic: str = Field(default="", index=True)
    counterpart_city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    counterpart_org_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    signed_on: date | None = Field(default=None, index=True)
    valid_until: date | None = Field(default=None, index=True)
    status: str = Field(default="signed", index=True)  # draft | signed | expired | terminated
    mode: str = "in_person"
    signed_place_city_id: int | None = Field(default=None, foreign_key="city.id")
    partnership_id: int | None = Field(default=None, foreign_key="partnership.id", index=True)
    delegation_id: int | None = Field(default=None, foreign_key="delegation.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id", index=True)
