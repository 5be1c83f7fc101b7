"""The half-year report's international-affairs section: the facts of a period, then its text.

Figures come from `crm.views.counts.period_counts` (the dashboard's own), so report and dashboard
agree; this module gathers the named items behind them (which trip, which cities, which
agreements) as plain data. `crm.documents.report.text` writes the text in Traditional Chinese (民國
years) or English. Reads are column selects over one period, never whole tables.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from crm import models as m
from crm.config import today as office_today
from crm.i18n import pick
from crm.periods import Period, parse_period
from crm.records.kinds.partnerships import signers
from crm.store.cache import cached
from crm.store.writes import unit
from crm.views.counts import PeriodCounts, alive, held_in, period_counts

FOLLOW_ON = timedelta(days=92)  # forums just after the period are reported too (as the office does)


@dataclass
class ReportData:
    period: Period
    counts: PeriodCounts
    last_year: PeriodCounts
    delegations: list[dict] = field(default_factory=list)
    visits: list[dict] = field(default_factory=list)
    partnerships: list[dict] = field(default_factory=list)
    agreements: list[dict] = field(default_factory=list)
    meetings: list[dict] = field(default_factory=list)
    exchanges: list[dict] = field(default_factory=list)
    conferences: list[dict] = field(default_factory=list)
    forums: list[dict] = field(default_factory=list)
    letters: list[dict] = field(default_factory=list)


def _rows(s: Session, stmt) -> list[dict]:
    return [dict(r._mapping) for r in s.execute(stmt)]


CHUNK = 500  # ids per IN (…) query


def _chunks(ids) -> list[list[int]]:
    unique = sorted({i for i in ids if i})
    return [unique[i:i + CHUNK] for i in range(0, len(unique), CHUNK)]


def _grouped(s: Session, stmt, key: str) -> dict[int, list[dict]]:
    """Rows of `stmt` grouped by their `key` column (which is dropped from each row), order kept."""
    out: dict[int, list[dict]] = {}
    for r in s.execute(stmt):
        row = dict(r._mapping)
        out.setdefault(row.pop(key), []).append(row)
    return out


def _children(s: Session, stmt, column, ids, key: str) -> dict[int, list[dict]]:
    """Rows of `stmt` whose `column` is one of `ids`, grouped by it (column `key`, dropped from each row),
    read with an IN query per few hundred ids instead of one query per parent."""
    out: dict[int, list[dict]] = {}
    for chunk in _chunks(ids):
        for parent, rows in _grouped(s, stmt.where(column.in_(chunk)), key).items():
            out.setdefault(parent, []).extend(rows)
    return out


class _Names:
    """People and cities by id for one report, read in bulk (an IN query per few hundred ids), not one by one."""

    def __init__(self, s: Session) -> None:
        self.s, self.people, self.cities = s, {}, {}

    def need(self, *, people=(), cities=()) -> None:
        p, c = m.Person, m.City
        for chunk in _chunks(set(people) - self.people.keys()):
            for r in self.s.execute(select(p.id, p.name_en, p.name_zh, p.name_native, p.title_en, p.title_zh,
                                           p.organisation_id).where(p.id.in_(chunk))):
                row = dict(r._mapping)
                self.people[row.pop("id")] = row
        for chunk in _chunks(set(cities) - self.cities.keys()):
            for r in self.s.execute(select(c.id, c.name_en, c.name_zh, c.name_native, c.country_code)
                                    .where(c.id.in_(chunk))):
                self.cities[r.id] = dict(r._mapping)

    def person(self, person_id: int | None) -> dict:
        return dict(self.people.get(person_id, {})) if person_id else {}

    def city(self, city_id: int | None) -> dict:
        return dict(self.cities.get(city_id, {})) if city_id else {}


def _delegations(s: Session, period: Period, names: _Names) -> list[dict]:
    d, st, a, p, sg, dp = m.Delegation, m.DelegationStop, m.Agreement, m.Partnership, m.Signing, m.DelegationPerson
    out = _rows(s, select(d.id, d.title_en, d.title_zh, d.start_on, d.end_on, d.leader_person_id, d.leader_name,
                          d.leader_title, d.headcount, d.headcount_approx, d.dignitaries_count, d.dignitaries_approx,
                          d.purposes,
                          d.outcomes).where(*held_in(d, period)).order_by(d.start_on))
    ids = [r["id"] for r in out]
    stops = _children(s, select(st.delegation_id, st.city_id).order_by(st.seq), st.delegation_id, ids, "delegation_id")
    agreements = _children(s, select(a.delegation_id, a.title_en, a.title_zh, a.topic)
                           .where(alive(a), a.status != "draft").order_by(a.id), a.delegation_id, ids, "delegation_id")
    pacts = _children(s, select(sg.delegation_id, p.kind, p.city_id).join(sg, sg.partnership_id == p.id)
                      .where(alive(p)).distinct(), sg.delegation_id, ids, "delegation_id")
    met = _children(s, select(dp.delegation_id, dp.person_id).where(dp.role == "met").order_by(dp.id),
                    dp.delegation_id, ids, "delegation_id")
    names.need(people=[r["leader_person_id"] for r in out] + [x["person_id"] for rows in met.values() for x in rows],
               cities=[x["city_id"] for rows in stops.values() for x in rows])
    for row in out:
        row["cities"] = [names.city(cid) for cid in dict.fromkeys(x["city_id"] for x in stops.get(row["id"], []))]
        row["leader"] = names.person(row["leader_person_id"])
        row["agreements"] = agreements.get(row["id"], [])
        row["pacts"] = pacts.get(row["id"], [])
        row["met"] = [names.person(x["person_id"]) for x in met.get(row["id"], [])]
    return out


def _visits(s: Session, period: Period, names: _Names) -> list[dict]:
    """Held visits with a named leader on file (the report's examples), in date order."""
    v = m.Visit
    out = _rows(s, select(v.id, v.title_en, v.title_zh, v.start_on, v.leader_person_id, v.organisation_id,
                          v.country_code, v.headcount).where(*held_in(v, period), v.leader_person_id.is_not(None))
                .order_by(v.start_on, v.id))
    names.need(people=[r["leader_person_id"] for r in out])
    for row in out:
        row["leader"] = names.person(row["leader_person_id"])
    return out


def _partnerships(s: Session, period: Period, names: _Names) -> list[dict]:
    """Partnerships approved by the council or signed in the period, with their signings."""
    p, sg = m.Partnership, m.Signing
    approved = p.council_approved_on.between(period.start, period.end)
    signed = p.established_on.between(period.start, period.end) & p.status.in_(("active", "dormant", "ended"))
    out = _rows(s, select(p.id, p.kind, p.status, p.city_id, p.council_approved_on, p.established_on)
                .where(alive(p), approved | signed)
                .order_by(func.coalesce(p.established_on, p.council_approved_on)))
    signings = _children(s, select(sg.partnership_id, sg.signed_on, sg.place_city_id, sg.signatory,
                                   sg.signatory_person_id, sg.partner_signatory, sg.partner_signatory_person_id,
                                   sg.party, sg.mode, sg.delegation_id).order_by(sg.seq),
                         sg.partnership_id, [r["id"] for r in out], "partnership_id")
    every = [x for rows in signings.values() for x in rows]
    names.need(people=[x[k] for x in every for k in ("signatory_person_id", "partner_signatory_person_id")],
               cities=[r["city_id"] for r in out] + [x["place_city_id"] for x in every])
    for row in out:
        row["city"] = names.city(row["city_id"])
        row["signed_in_period"] = period.contains(row["established_on"]) and row["status"] in ("active", "dormant",
                                                                                                "ended")
        row["signings"] = signings.get(row["id"], [])
        for signing in row["signings"]:
            signing["place"] = names.city(signing["place_city_id"])
            signing["signers"] = [(names.person(person), name) for name, person in signers(signing)]
    return out


def _agreements(s: Session, period: Period, names: _Names) -> list[dict]:
    a = m.Agreement
    out = _rows(s, select(a.id, a.title_en, a.title_zh, a.topic, a.signed_on, a.mode, a.counterpart_city_id,
                          a.delegation_id).where(alive(a), a.status != "draft",
                                                 a.signed_on.between(period.start, period.end))
                .order_by(a.signed_on, a.id))
    names.need(cities=[r["counterpart_city_id"] for r in out])
    for row in out:
        row["city"] = names.city(row["counterpart_city_id"])
    return out


def _exchanges(s: Session, period: Period, names: _Names) -> list[dict]:
    """Programmes planned or held in the period, whatever became of them (postponed ones included)."""
    x = m.ExchangeProgramme
    start = func.coalesce(x.planned_start, x.start_on)
    end = func.coalesce(x.planned_end, x.end_on, start)
    out = _rows(s, select(x.id, x.title_en, x.title_zh, x.status, x.status_reason, x.start_on, x.end_on,
                          x.planned_start, x.planned_end, x.counterpart_city_id, x.agreement_id, x.description)
                .where(alive(x), start <= period.end, end >= period.start).order_by(start))
    names.need(cities=[r["counterpart_city_id"] for r in out])
    a, c = m.Agreement, m.Cohort
    agreements = _children(s, select(a.id, a.title_en, a.title_zh, a.signed_on, a.mode), a.id,
                           [r["agreement_id"] for r in out], "id")
    cohorts = _children(s, select(c.programme_id, c.planned_start, c.planned_end, c.start_on, c.end_on,
                                  c.participants_count, c.participants, c.status, c.status_reason,
                                  c.postponed_to, c.postponed_to_precision).order_by(c.seq),
                        c.programme_id, [r["id"] for r in out], "programme_id")
    for row in out:
        row["city"] = names.city(row["counterpart_city_id"])
        row["agreement"] = (agreements.get(row["agreement_id"]) or [{}])[0]
        row["cohorts"] = cohorts.get(row["id"], [])
    return out


@cached  # plain data, re-read after any write (crm.store.cache)
def gather(period: Period, *, session: Session | None = None) -> ReportData:
    """Everything the section states about `period` (figures from `period_counts`)."""
    with unit(session) as s:
        data = ReportData(period, period_counts(period, session=s), period_counts(period.year_before(), session=s))
        names = _Names(s)
        data.delegations = _delegations(s, period, names)
        data.visits = _visits(s, period, names)
        data.partnerships = _partnerships(s, period, names)
        data.agreements = _agreements(s, period, names)
        data.exchanges = _exchanges(s, period, names)
        mt = m.CommitteeMeeting
        data.meetings = _rows(s, select(mt.id, mt.title_en, mt.title_zh, mt.start_on, mt.meeting_number, mt.chair)
                              .where(*held_in(mt, period)).order_by(mt.start_on))
        ai = m.AgendaItem
        agenda = _children(s, select(ai.meeting_id, ai.title, ai.presenter, ai.presenter_person_id, ai.presenter_org_id)
                           .order_by(ai.seq), ai.meeting_id, [r["id"] for r in data.meetings], "meeting_id")
        items = [a for rows in agenda.values() for a in rows]
        names.need(people=[a["presenter_person_id"] for a in items if a["presenter_person_id"]])
        for row in data.meetings:
            row["agenda"] = agenda.get(row["id"], [])
        c = m.Conference
        data.conferences = _rows(s, select(c.id, c.title_en, c.title_zh, c.start_on, c.organiser_org_id,
                                           c.organiser_city_id, c.switched_to_video, c.mode, c.participant_cities_count)
                                 .where(*held_in(c, period)).order_by(c.start_on, c.id))
        org = m.Organisation
        orgs = {r.id: dict(r._mapping) for r in s.execute(select(org.id, org.name_en, org.name_zh, org.acronym).where(
            org.id.in_([r["organiser_org_id"] for r in data.conferences if r["organiser_org_id"]] +
                       [r["organisation_id"] for r in data.visits if r["organisation_id"]] +
                       [r["leader"].get("organisation_id") for r in data.visits if r["leader"].get("organisation_id")] +
                       [a["presenter_org_id"] for a in items if a["presenter_org_id"]])))}
        for a in items:
            a["presenter_person"] = names.person(a["presenter_person_id"])
            a["presenter_org"] = orgs.get(a["presenter_org_id"], {})
        for row in data.conferences:
            row["org"] = orgs.get(row["organiser_org_id"], {})
        for row in data.visits:
            row["org"] = orgs.get(row["organisation_id"] or row["leader"].get("organisation_id"), {})
        f = m.Forum
        window_end = period.end + FOLLOW_ON
        data.forums = _rows(s, select(f.id, f.title_en, f.title_zh, f.start_on, f.status, f.mode, f.theme,
                                      f.counterpart_city_id)
                            .where(alive(f), f.status.in_(("held", "planned", "confirmed")),
                                   f.start_on.between(period.start, window_end)).order_by(f.start_on))
        sf = m.SubForum
        subforums = _children(s, select(sf.forum_id, sf.title_en, sf.title_zh).order_by(sf.seq), sf.forum_id,
                              [r["id"] for r in data.forums], "forum_id")
        for row in data.forums:
            row["subforums"] = subforums.get(row["id"], [])
            row["after_period"] = row["start_on"] > period.end
        lt = m.OutreachLetter
        data.letters = _rows(s, select(lt.id, lt.title_en, lt.title_zh, lt.start_on, lt.sender, lt.summary,
                                       lt.cities_reached, lt.missions_reached).where(*held_in(lt, period))
                             .order_by(lt.start_on))
        lr = m.LetterRecipient
        recipients = _children(s, select(lr.letter_id, func.count().label("n")).group_by(lr.letter_id), lr.letter_id,
                               [r["id"] for r in data.letters], "letter_id")
        for row in data.letters:
            row["recipients"] = int(recipients.get(row["id"], [{"n": 0}])[0]["n"])
    return data


@cached  # plain data, re-read after any write (crm.store.cache)
def report_text(period: Period | str, lang: str = "zh-TW", *, session: Session | None = None) -> str:
    """The section's text for `period` ("2020H1", "2020", a range or a `Period`) in `lang`."""
    from crm.documents.report.text import render

    if isinstance(period, str):
        period = parse_period(period)
    return render(gather(period, session=session), lang)


def report_title(period: Period, lang: str) -> str:
    from crm.i18n import t

    return t("report.doc_title", lang, period=period.label(lang))


def name(lang: str, row: dict) -> str:
    return pick(lang, row.get("name_en"), row.get("name_zh"), row.get("name_native"))


def today() -> date:
    return office_today()


def report_file(title: str, text: str, lang: str, fmt: str) -> bytes:
    """The (possibly edited) report text as Word or PDF."""
    if fmt == "docx":
        from crm.documents.docx import text_docx

        return text_docx(title, text, lang)
    if fmt == "pdf":
        from crm.documents.pdf import text_pdf

        return text_pdf(title, text, lang)
    from crm.documents.exports import ExportError

    raise ExportError("doc.unknown_format", fmt=fmt, formats="docx, pdf")
