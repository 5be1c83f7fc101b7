"""The record kinds: one registry that lists, forms, exports, import and the write path share."""

from dataclasses import dataclass, field

from sqlmodel import SQLModel

from crm import models as m

EVENT_STATUSES = ("planned", "confirmed", "held", "postponed", "cancelled")
PARTNERSHIP_STATUSES = ("proposed", "approved", "active", "dormant", "ended")
AGREEMENT_STATUSES = ("draft", "signed", "expired", "terminated")
PARTNERSHIP_KINDS = ("sister", "partner", "friendship")
SIGNING_MODES = ("in_person", "remote", "exchange")
MEETING_MODES = ("video", "in_person", "hybrid")
ORGANISATION_KINDS = (
    "city_government", "international_organisation", "foreign_mission", "central_government",
    "university", "company", "ngo", "media", "other",
)
ROLES = ("admin", "staff", "leadership")
WRITE_ROLES = ("admin", "staff")


@dataclass(frozen=True)
class ChildSpec:
    """Rows owned by a record, written and audited together with it (payload key `key`)."""

    key: str
    model: type[SQLModel]
    parent_fk: str


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[SQLModel]
    children: tuple[ChildSpec, ...] = ()
    statuses: tuple[str, ...] = ()
    date_field: str | None = None
    end_field: str | None = None
    required_any: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    is_event: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def table(self) -> str:
        return self.model.__tablename__


def _kind(name, model, **kw) -> Kind:
    return Kind(name=name, model=model, **kw)


_EVENT = dict(statuses=EVENT_STATUSES, date_field="start_on", end_field="end_on", is_event=True,
              required_any=("title_en", "title_zh"))

KINDS: dict[str, Kind] = {k.name: k for k in (
    _kind("cities", m.City, required_any=("name_en", "name_zh"), required=("country_code",)),
    _kind("organisations", m.Organisation, required_any=("name_en", "name_zh")),
    _kind("people", m.Person, required_any=("name_en", "name_zh", "name_native")),
    _kind("partnerships", m.Partnership, statuses=PARTNERSHIP_STATUSES, date_field="established_on",
          required=("city_id",), children=(ChildSpec("signings", m.Signing, "partnership_id"),)),
    _kind("agreements", m.Agreement, statuses=AGREEMENT_STATUSES, date_field="signed_on",
          end_field="valid_until", required_any=("title_en", "title_zh")),
    _kind("delegations", m.Delegation, children=(
        ChildSpec("itinerary", m.DelegationStop, "delegation_id"),
        ChildSpec("people", m.DelegationPerson, "delegation_id"),
    ), **_EVENT),
    _kind("visits", m.Visit, children=(ChildSpec("people", m.VisitPerson, "visit_id"),), **_EVENT),
    _kind("conferences", m.Conference, children=(ChildSpec("people", m.ConferencePerson, "conference_id"),),
          **_EVENT),
    _kind("forums", m.Forum, children=(ChildSpec("subforums", m.SubForum, "forum_id"),), **_EVENT),
    _kind("exchanges", m.ExchangeProgramme, children=(ChildSpec("cohorts", m.Cohort, "programme_id"),),
          **_EVENT),
    _kind("meetings", m.CommitteeMeeting, children=(ChildSpec("agenda", m.AgendaItem, "meeting_id"),),
          **_EVENT),
    _kind("letters", m.OutreachLetter, children=(ChildSpec("recipients", m.LetterRecipient, "letter_id"),),
          **_EVENT),
)}

KIND_BY_TABLE = {k.table: k for k in KINDS.values()}


def get_kind(name: str) -> Kind:
    """The kind called `name` (plural slug such as "visits"); KeyError when unknown."""
    return KINDS[name]
