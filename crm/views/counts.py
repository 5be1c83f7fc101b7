"""The office's counting rules, in SQL, shared by the dashboard and the half-year report.

- An activity counts in the period its (actual) start date falls in: 30 June is H1, 1 July H2.
- Only held activities count as held; planned, postponed and cancelled ones are counted apart.
- Visits count as groups (rows) and people (sum of headcounts).
- A partnership counts as new in the period its (last) signing falls in (`established_on`);
  council approvals count by `council_approved_on`.
- Agreements count by `signed_on`, unless still a draft.
- Dignitaries met: a delegation's recorded count, else the people on file it met.
- Deleted records never count.
"""

from dataclasses import asdict, dataclass

from sqlalchemy import Integer, cast, distinct, func, select
from sqlmodel import Session, col

from crm import models as m
from crm.periods import Period
from crm.store.cache import cached
from crm.store.writes import unit


@dataclass
class PeriodCounts:
    visits_groups: int = 0
    visits_people: int = 0
    delegations: int = 0
    delegation_people: int = 0
    delegation_cities: int = 0
    delegation_countries: int = 0
    dignitaries_met: int = 0
    conferences: int = 0
    new_partnerships: int = 0
    council_approvals: int = 0
    agreements_signed: int = 0
    forums: int = 0
    exchanges: int = 0
    meetings: int = 0
    letters: int = 0
    postponed: int = 0
    cancelled: int = 0
    conferences_switched: int = 0  # held conferences that had been planned in person (report: 改為視訊)
    letter_cities: int = 0  # cities reached by held outreach letters (their recorded reach)
    letter_missions: int = 0  # foreign missions reached by held outreach letters

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _in(column, period: Period):
    return column.between(period.start, period.end)


def alive(model):
    """Not deleted: the condition every count and report line starts from."""
    return model.deleted_at.is_(None)


def held_in(model, period: Period) -> list:
    """The one "held in the period" rule: alive, status held, actual start in the period (dashboard and report)."""
    return [alive(model), model.status == "held", _in(model.start_on, period)]


def _scalar(s: Session, stmt) -> int:
    return int(s.execute(stmt).scalar() or 0)


@cached  # plain data, re-read after any write (crm.store.cache)
def period_counts(period: Period, *, session: Session | None = None) -> PeriodCounts:
    """Every figure the dashboard and the report state for `period`."""
    c = PeriodCounts()
    with unit(session) as s:
        c.visits_groups = _scalar(s, select(func.count()).where(*held_in(m.Visit, period)))
        c.visits_people = _scalar(s, select(func.coalesce(func.sum(m.Visit.headcount), 0)).where(*held_in(m.Visit, period)))
        c.delegations = _scalar(s, select(func.count()).where(*held_in(m.Delegation, period)))
        c.delegation_people = _scalar(s, select(func.coalesce(func.sum(m.Delegation.headcount), 0))
                                      .where(*held_in(m.Delegation, period)))
        held_trips = select(col(m.Delegation.id)).where(*held_in(m.Delegation, period))
        stops = (select(col(m.DelegationStop.city_id)).where(col(m.DelegationStop.delegation_id).in_(held_trips)))
        c.delegation_cities = _scalar(s, select(func.count(distinct(col(m.DelegationStop.city_id))))
                                      .where(col(m.DelegationStop.delegation_id).in_(held_trips)))
        c.delegation_countries = _scalar(s, select(func.count(distinct(col(m.City.country_code))))
                                         .where(col(m.City.id).in_(stops)))
        recorded = _scalar(s, select(func.coalesce(func.sum(m.Delegation.dignitaries_count), 0))
                           .where(*held_in(m.Delegation, period)))
        unrecorded = select(col(m.Delegation.id)).where(*held_in(m.Delegation, period),
                                                    col(m.Delegation.dignitaries_count).is_(None))
        on_file = _scalar(s, select(func.count()).select_from(m.DelegationPerson).where(
            col(m.DelegationPerson.delegation_id).in_(unrecorded), col(m.DelegationPerson.role) == "met"))
        c.dignitaries_met = recorded + on_file
        c.conferences = _scalar(s, select(func.count()).where(*held_in(m.Conference, period)))
        c.new_partnerships = _scalar(s, select(func.count()).where(
            alive(m.Partnership), _in(m.Partnership.established_on, period),
            col(m.Partnership.status).in_(("active", "dormant", "ended"))))
        c.council_approvals = _scalar(s, select(func.count()).where(
            alive(m.Partnership), _in(m.Partnership.council_approved_on, period)))
        c.agreements_signed = _scalar(s, select(func.count()).where(
            alive(m.Agreement), _in(m.Agreement.signed_on, period), col(m.Agreement.status) != "draft"))
        for name, table in (("forums", m.Forum), ("exchanges", m.ExchangeProgramme),
                            ("meetings", m.CommitteeMeeting), ("letters", m.OutreachLetter)):
            setattr(c, name, _scalar(s, select(func.count()).where(*held_in(table, period))))
        c.conferences_switched = _scalar(s, select(func.count()).where(
            *held_in(m.Conference, period), col(m.Conference.switched_to_video).is_(True)))
        c.letter_cities = _scalar(s, select(func.coalesce(func.sum(m.OutreachLetter.cities_reached), 0))
                                  .where(*held_in(m.OutreachLetter, period)))
        c.letter_missions = _scalar(s, select(func.coalesce(func.sum(m.OutreachLetter.missions_reached), 0))
                                    .where(*held_in(m.OutreachLetter, period)))
        for status in ("postponed", "cancelled"):
            total = 0
            for model in (m.Visit, m.Delegation, m.Conference, m.Forum, m.ExchangeProgramme, m.CommitteeMeeting):
                planned = func.coalesce(model.planned_start, model.start_on)
                total += _scalar(s, select(func.count()).where(alive(model), col(model.status) == status,
                                                               _in(planned, period)))
            setattr(c, status, total)
    return c


# --- Figures over time, for the dashboard's charts and period picker (same rules as above) ---------------

YEARLY_KINDS = (("visits", m.Visit), ("delegations", m.Delegation), ("conferences", m.Conference),
                ("forums", m.Forum), ("exchanges", m.ExchangeProgramme), ("meetings", m.CommitteeMeeting))


def _year(column):
    return cast(func.extract("year", column), Integer)


def _month(column):
    return cast(func.extract("month", column), Integer)


@cached  # plain data, re-read after any write (crm.store.cache)
def yearly_activity(*, session: Session | None = None) -> dict[int, dict[str, int]]:
    """year → {kind: held activities starting that year}, plus "agreements" signed and "partnerships" new."""
    out: dict[int, dict[str, int]] = {}
    with unit(session) as s:
        def add(kind: str, stmt) -> None:
            for year, n in s.execute(stmt):
                if year is not None:
                    out.setdefault(int(year), {})[kind] = int(n)

        for kind, model in YEARLY_KINDS:
            year = _year(model.start_on)
            add(kind, select(year, func.count()).where(alive(model), col(model.status) == "held",
                                                       col(model.start_on).is_not(None)).group_by(year))
        year = _year(m.Agreement.signed_on)
        add("agreements", select(year, func.count()).where(
            alive(m.Agreement), col(m.Agreement.signed_on).is_not(None), col(m.Agreement.status) != "draft")
            .group_by(year))
        year = _year(m.Partnership.established_on)
        add("partnerships", select(year, func.count()).where(
            alive(m.Partnership), col(m.Partnership.established_on).is_not(None),
            col(m.Partnership.status).in_(("active", "dormant", "ended"))).group_by(year))
    return dict(sorted(out.items()))


@cached  # plain data, re-read after any write (crm.store.cache)
def half_years_with_data(*, session: Session | None = None) -> list[str]:
    """Half-year codes ("2020H1") in which any activity, agreement or partnership is dated, newest first."""
    found: set[str] = set()
    columns = [(model, model.start_on) for _, model in YEARLY_KINDS] + [
        (m.OutreachLetter, m.OutreachLetter.start_on), (m.Agreement, m.Agreement.signed_on),
        (m.Partnership, m.Partnership.established_on)]
    with unit(session) as s:
        for model, column in columns:
            year, second = _year(column), _month(column) > 6
            stmt = select(year, second).where(alive(model), col(column).is_not(None)).group_by(year, second)
            for y, second in s.execute(stmt):
                if y is not None:
                    found.add(f"{int(y)}H{2 if second else 1}")
    return sorted(found, reverse=True)


@cached  # plain data, re-read after any write (crm.store.cache)
def partners_by_region(*, session: Session | None = None) -> dict[tuple[str, str], int]:
    """(continent code, partnership kind) → partner cities (partnerships not ended, alive)."""
    p = m.Partnership
    stmt = (select(col(m.Country.continent), col(p.kind), func.count(distinct(col(p.city_id))))
            .join(m.City, col(m.City.id) == p.city_id).join(m.Country, col(m.Country.code) == m.City.country_code)
            .where(alive(p), alive(m.City), col(p.status) != "ended").group_by(m.Country.continent, p.kind))
    with unit(session) as s:
        return {(continent or "", kind): int(n) for continent, kind, n in s.execute(stmt)}
