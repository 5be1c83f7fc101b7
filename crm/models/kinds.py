"""The record kinds: one registry that lists, forms, exports, import and the write path share."""

from dataclasses import dataclass, field

from crm import models as m
from crm.models.base import Child, Record

EVENT_STATUSES = ("planned", "confirmed", "held", "postponed", "cancelled")
UPCOMING_STATUSES = ("planned", "confirmed")  # an event still to come: "coming up", the calendar, briefings
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
    model: type[Child]
    parent_fk: str


@dataclass(frozen=True)
class Kind:
    """A record kind and everything the generic parts (lists, forms, exports, import, counts, the calendar,
    the timeline, dossiers, navigation) need to know about it: one entry here, nowhere else a list of kinds."""

    name: str
    model: type[Record]
    children: tuple[ChildSpec, ...] = ()
    statuses: tuple[str, ...] = ()
    date_field: str | None = None
    end_field: str | None = None
    required_any: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    is_event: bool = False
    entity: bool = False  # a city, organisation or person: picked and added on the spot, merged, matched on import
    scheduled: bool = False  # an activity people attend: on the calendar and under "coming up" in briefings
    city_tie: bool = False  # an event between Taipei and a city: in a city's history of ties (briefings)
    city_field: str | None = None  # the field naming the city a record is placed at (timeline country, dossiers)
    summary_child: str | None = None  # the child rows a list export sums up in one column
    color: str = "#566573"  # the kind's colour on the timeline, the dashboard and the map
    icon: str = ":material/article:"  # its page's icon in the navigation
    extra: dict = field(default_factory=dict)

    @property
    def table(self) -> str:
        return str(self.model.__tablename__)


def _kind(name, model, **kw) -> Kind:
    return Kind(name=name, model=model, **kw)


_EVENT = dict(statuses=EVENT_STATUSES, date_field="start_on", end_field="end_on", is_event=True,
              required_any=("title_en", "title_zh"))
_ENTITY = dict(entity=True, required_any=("name_en", "name_zh"))

KINDS: dict[str, Kind] = {k.name: k for k in (
    _kind("cities", m.City, **{**_ENTITY, "required": ("country_code",)}, icon=":material/location_city:"),
    _kind("organisations", m.Organisation, **_ENTITY, icon=":material/apartment:"),
    _kind("people", m.Person, **{**_ENTITY, "required_any": ("name_en", "name_zh", "name_native")},
          icon=":material/person:"),
    _kind("partnerships", m.Partnership, statuses=PARTNERSHIP_STATUSES, date_field="established_on",
          required=("city_id",), children=(ChildSpec("signings", m.Signing, "partnership_id"),),
          city_field="city_id", summary_child="signings", color="#c0392b", icon=":material/handshake:"),
    _kind("agreements", m.Agreement, statuses=AGREEMENT_STATUSES, date_field="signed_on", end_field="valid_until",
          required_any=("title_en", "title_zh"), city_field="counterpart_city_id", color="#b7950b",
          icon=":material/contract:"),
    _kind("delegations", m.Delegation, children=(
        ChildSpec("itinerary", m.DelegationStop, "delegation_id"),
        ChildSpec("people", m.DelegationPerson, "delegation_id"),
    ), **_EVENT, scheduled=True, city_tie=True, summary_child="itinerary", color="#7d3c98",
        icon=":material/flight_takeoff:"),
    _kind("visits", m.Visit, children=(ChildSpec("people", m.VisitPerson, "visit_id"),), **_EVENT,
          scheduled=True, city_tie=True, city_field="origin_city_id", summary_child="people", color="#e67e22",
          icon=":material/groups:"),
    _kind("conferences", m.Conference, children=(ChildSpec("people", m.ConferencePerson, "conference_id"),),
          **_EVENT, scheduled=True, city_tie=True, city_field="organiser_city_id", summary_child="people",
          color="#138d75", icon=":material/video_call:"),
    _kind("forums", m.Forum, children=(ChildSpec("subforums", m.SubForum, "forum_id"),), **_EVENT,
          scheduled=True, city_tie=True, city_field="counterpart_city_id", summary_child="subforums",
          color="#2471a3", icon=":material/forum:"),
    _kind("exchanges", m.ExchangeProgramme, children=(ChildSpec("cohorts", m.Cohort, "programme_id"),),
          **_EVENT, scheduled=True, city_tie=True, city_field="counterpart_city_id", color="#a04000",
          icon=":material/swap_horiz:"),
    _kind("meetings", m.CommitteeMeeting, children=(ChildSpec("agenda", m.AgendaItem, "meeting_id"),),
          **_EVENT, scheduled=True, summary_child="agenda", color="#566573", icon=":material/event_note:"),
    _kind("letters", m.OutreachLetter, children=(ChildSpec("recipients", m.LetterRecipient, "letter_id"),),
          **_EVENT, city_tie=True, color="#c2549a", icon=":material/mail:"),
)}

KIND_BY_TABLE = {k.table: k for k in KINDS.values()}


def get_kind(name: str) -> Kind:
    """The kind called `name` (plural slug such as "visits"); KeyError when unknown."""
    return KINDS[name]


def kind_names(**flags: bool) -> tuple[str, ...]:
    """The kinds (in registry order) whose attributes equal `flags`: `kind_names(entity=True)` → cities,
    organisations, people; `kind_names(scheduled=True)` → what the calendar shows."""
    return tuple(k.name for k in KINDS.values() if all(getattr(k, f) == v for f, v in flags.items()))


def kind_colors() -> dict[str, str]:
    """kind → its colour; a partnership's signings share the partnership's colour."""
    colors = {k.name: k.color for k in KINDS.values()}
    colors["signings"] = colors["partnerships"]
    return colors
