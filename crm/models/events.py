"""Dated activities: delegations, visits, conferences, forums, exchanges, meetings, letters.

Every activity shares `EventRecord`: a bilingual title, a status with history (see
`StatusChange`), planned dates and actual dates (`start_on`/`end_on`, used for periods).
"""

from datetime import date, datetime

from sqlmodel import Field

from crm.config import OFFICE_TIME_ZONE
from crm.models.base import Child, Record


class EventRecord(Record):
    title_en: str = ""
    title_zh: str = ""
    status: str = Field(default="planned", index=True)
    planned_start: date | None = None
    planned_end: date | None = None
    start_on: date | None = Field(default=None, index=True)
    end_on: date | None = Field(default=None, index=True)
    status_reason: str = ""
    postponed_to: date | None = None  # the new date of a postponed plan: a day, or a month / year's first day
    postponed_to_precision: str = ""  # day | month | year


class Delegation(EventRecord, table=True):
    """An outbound trip (出訪/考察)."""

    leader_person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    leader_name: str = ""
    leader_title: str = ""
    headcount: int | None = None
    headcount_approx: bool = False
    dignitaries_count: int | None = None
    dignitaries_approx: bool = False
    officials_count: int | None = None  # the make-up of the delegation, by group
    business_count: int | None = None
    press_count: int | None = None
    purposes: str = ""
    outcomes: str = ""


class DelegationStop(Child, table=True):
    """One city of a delegation's ordered itinerary."""

    delegation_id: int = Field(default=None, foreign_key="delegation.id", index=True)
    city_id: int = Field(default=None, foreign_key="city.id", index=True)
    arrive_on: date | None = None
    depart_on: date | None = None
    purpose: str = ""


class DelegationPerson(Child, table=True):
    """A person linked to a delegation: a member of it, or a dignitary met on it."""

    delegation_id: int = Field(default=None, foreign_key="delegation.id", index=True)
    person_id: int = Field(default=None, foreign_key="person.id", index=True)
    role: str = "met"  # member | met


class Visit(EventRecord, table=True):
    """A foreign group received (外賓來訪); counted as groups and people."""

    leader_person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    leader_name: str = ""
    leader_title: str = ""
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    origin_city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    country_code: str | None = Field(default=None, foreign_key="country.code", max_length=2, index=True)
    headcount: int | None = None
    headcount_approx: bool = False
    host: str = ""
    purpose: str = ""


class VisitPerson(Child, table=True):
    visit_id: int = Field(default=None, foreign_key="visit.id", index=True)
    person_id: int = Field(default=None, foreign_key="person.id", index=True)


class Conference(EventRecord, table=True):
    """A video conference or international meeting attended."""

    organiser_org_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    organiser_city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    starts_at: datetime | None = None
    timezone: str = OFFICE_TIME_ZONE
    duration_minutes: int | None = None
    mode: str = "video"  # video | in_person | hybrid
    topic: str = ""
    our_role: str = ""
    participants: str = ""
    participant_cities_count: int | None = None
    switched_to_video: bool = False


class ConferencePerson(Child, table=True):
    conference_id: int = Field(default=None, foreign_key="conference.id", index=True)
    person_id: int = Field(default=None, foreign_key="person.id", index=True)


class Forum(EventRecord, table=True):
    counterpart_city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    mode: str = "in_person"
    theme: str = ""
    participants_count: int | None = None


class SubForum(Child, table=True):
    forum_id: int = Field(default=None, foreign_key="forum.id", index=True)
    title_en: str = ""
    title_zh: str = ""


class ExchangeProgramme(EventRecord, table=True):
    counterpart_city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    agreement_id: int | None = Field(default=None, foreign_key="agreement.id", index=True)
    description: str = ""


class Cohort(Child, table=True):
    programme_id: int = Field(default=None, foreign_key="exchangeprogramme.id", index=True)
    planned_start: date | None = None
    planned_end: date | None = None
    start_on: date | None = None
    end_on: date | None = None
    participants_count: int | None = None
    participants: str = ""
    status: str = "planned"
    status_reason: str = ""
    postponed_to: date | None = None  # a postponed cohort's new date: a day, or a month / year's first day
    postponed_to_precision: str = ""  # day | month | year


class CommitteeMeeting(EventRecord, table=True):
    meeting_number: int | None = None
    chair: str = ""


class AgendaItem(Child, table=True):
    meeting_id: int = Field(default=None, foreign_key="committeemeeting.id", index=True)
    title: str = ""
    presenter: str = ""  # a presenter not on file, as written
    presenter_person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    presenter_org_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)


class OutreachLetter(EventRecord, table=True):
    """A mailing such as the mayor's letter (市長通函) to partner cities and missions."""

    sender: str = ""
    summary: str = ""
    link: str = ""
    cities_reached: int | None = None
    missions_reached: int | None = None


class LetterRecipient(Child, table=True):
    letter_id: int = Field(default=None, foreign_key="outreachletter.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
