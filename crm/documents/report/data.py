"""The half-year report's international-affairs section: the facts of a period, then its text.

Figures come from `crm.views.counts.period_counts` (the dashboard's own), so report and dashboard
agree; this module gathers the named items behind them (which trip, which cities, which
agreements) as plain data. `crm.documents.report.text` writes the text in Traditional Chinese (民國
years) or English. Reads are column selects over one period, never whole tables.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlmodel import Session, col

from crm import models as m
from crm.config import today as office_today
from crm.i18n import pick
from crm.models.kinds import UPCOMING_STATUSES
from crm.periods import Period, parse_period
from crm.records.kinds.partnerships import signers
from crm.records.names import Rows
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


class _Names(Rows):
    """The people, cities and organisations of one report by id, read in bulk by the naming service's loader:
    the columns their names are made of (named by the one rule when the text is written, in either language)
    and those the sentences need besides: a person's job title and organisation, a city's country, an
    organisation's acronym."""

    def __init__(self, s: Session) -> None:
        super().__init__(s, {"people": ("title_en", "title_zh", "organisation_id"), "cities": ("country_code",),
                             "organisations": ("acronym",)})

    def need(self, *, people=(), cities=(), organisations=()) -> None:
        self.load({"people": people, "cities": cities, "organisations": organisations})

    def person(self, person_id: int | None) -> dict:
        return self.row("people", person_id)

    def city(self, city_id: int | None) -> dict:
        return self.row("cities", city_id)

    def organisation(self, org_id: int | None) -> dict:
        return self.row("organisations", org_id)


def _delegations(s: Session, period: Period, names: _Names) -> list[dict]:
    d, st, a, p, sg, dp = m.Delegation, m.DelegationStop, m.Agreement, m.Partnership, m.Signing, m.DelegationPerson
    out = _rows(s, select(col(d.id), col(d.title_en), col(d.title_zh), col(d.start_on), col(d.end_on),
                          col(d.leader_person_id), col(d.leader_name), col(d.leader_title), col(d.headcount),
                          col(d.headcount_approx), col(d.dignitaries_count), col(d.dignitaries_approx),
                          col(d.purposes), col(d.outcomes)).where(*held_in(d, period)).order_by(col(d.start_on)))
    ids = [r["id"] for r in out]
    stops = _children(s, select(col(st.delegation_id), col(st.city_id)).order_by(col(st.seq)), col(st.delegation_id),
                      ids, "delegation_id")
    agreements = _children(s, select(col(a.delegation_id), col(a.title_en), col(a.title_zh), col(a.topic))
                           .where(alive(a), col(a.status) != "draft").order_by(col(a.id)), col(a.delegation_id), ids,
                           "delegation_id")
    pacts = _children(s, select(col(sg.delegation_id), col(p.kind), col(p.city_id))
                      .join(sg, col(sg.partnership_id) == col(p.id)).where(alive(p)).distinct(),
                      col(sg.delegation_id), ids, "delegation_id")
    met = _children(s, select(col(dp.delegation_id), col(dp.person_id)).where(col(dp.role) == "met")
                    .order_by(col(dp.id)), col(dp.delegation_id), ids, "delegation_id")
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
    out = _rows(s, select(col(v.id), col(v.title_en), col(v.title_zh), col(v.start_on), col(v.leader_person_id),
                          col(v.organisation_id), col(v.country_code), col(v.headcount))
                .where(*held_in(v, period), col(v.leader_person_id).is_not(None)).order_by(col(v.start_on), col(v.id)))
    names.need(people=[r["leader_person_id"] for r in out])
    for row in out:
        row["leader"] = names.person(row["leader_person_id"])
    return out


def _partnerships(s: Session, period: Period, names: _Names) -> list[dict]:
    """Partnerships approved by the council or signed in the period, with their signings."""
    p, sg = m.Partnership, m.Signing
    approved = col(p.council_approved_on).between(period.start, period.end)
    signed = (col(p.established_on).between(period.start, period.end)
              & col(p.status).in_(("active", "dormant", "ended")))
    out = _rows(s, select(col(p.id), col(p.kind), col(p.status), col(p.city_id), col(p.council_approved_on),
                          col(p.established_on))
                .where(alive(p), approved | signed)
                .order_by(func.coalesce(p.established_on, p.council_approved_on)))
    signings = _children(s, select(col(sg.partnership_id), col(sg.signed_on), col(sg.place_city_id), col(sg.signatory),
                                   col(sg.signatory_person_id), col(sg.partner_signatory),
                                   col(sg.partner_signatory_person_id), col(sg.party), col(sg.mode),
                                   col(sg.delegation_id)).order_by(col(sg.seq)),
                         col(sg.partnership_id), [r["id"] for r in out], "partnership_id")
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
    out = _rows(s, select(col(a.id), col(a.title_en), col(a.title_zh), col(a.topic), col(a.signed_on), col(a.mode),
                          col(a.counterpart_city_id), col(a.delegation_id))
                .where(alive(a), col(a.status) != "draft", col(a.signed_on).between(period.start, period.end))
                .order_by(col(a.signed_on), col(a.id)))
    names.need(cities=[r["counterpart_city_id"] for r in out])
    for row in out:
        row["city"] = names.city(row["counterpart_city_id"])
    return out


def _exchanges(s: Session, period: Period, names: _Names) -> list[dict]:
    """Programmes planned or held in the period, whatever became of them (postponed ones included)."""
    x = m.ExchangeProgramme
    start = func.coalesce(x.planned_start, x.start_on)
    end = func.coalesce(x.planned_end, x.end_on, start)
    out = _rows(s, select(col(x.id), col(x.title_en), col(x.title_zh), col(x.status), col(x.status_reason),
                          col(x.start_on), col(x.end_on), col(x.planned_start), col(x.planned_end),
                          col(x.counterpart_city_id), col(x.agreement_id), col(x.description))
                .where(alive(x), start <= period.end, end >= period.start).order_by(start))
    names.need(cities=[r["counterpart_city_id"] for r in out])
    a, c = m.Agreement, m.Cohort
    agreements = _children(s, select(col(a.id), col(a.title_en), col(a.title_zh), col(a.signed_on), col(a.mode)),
                           col(a.id), [r["agreement_id"] for r in out], "id")
    cohorts = _children(s, select(col(c.programme_id), col(c.planned_start), col(c.planned_end), col(c.start_on),
                                  col(c.end_on), col(c.participants_count), col(c.participants), col(c.status),
                                  col(c.status_reason), col(c.postponed_to), col(c.postponed_to_precision))
                        .order_by(col(c.seq)), col(c.programme_id), [r["id"] for r in out], "programme_id")
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
        data.meetings = _rows(s, select(col(mt.id), col(mt.title_en), col(mt.title_zh), col(mt.start_on),
                                        col(mt.meeting_number), col(mt.chair))
                              .where(*held_in(mt, period)).order_by(col(mt.start_on)))
        ai = m.AgendaItem
        agenda = _children(s, select(col(ai.meeting_id), col(ai.title), col(ai.presenter), col(ai.presenter_person_id),
                                     col(ai.presenter_org_id)).order_by(col(ai.seq)),
                           col(ai.meeting_id), [r["id"] for r in data.meetings], "meeting_id")
        items = [a for rows in agenda.values() for a in rows]
        names.need(people=[a["presenter_person_id"] for a in items if a["presenter_person_id"]])
        for row in data.meetings:
            row["agenda"] = agenda.get(row["id"], [])
        c = m.Conference
        data.conferences = _rows(s, select(col(c.id), col(c.title_en), col(c.title_zh), col(c.start_on),
                                           col(c.organiser_org_id), col(c.organiser_city_id), col(c.switched_to_video),
                                           col(c.mode), col(c.participant_cities_count))
                                 .where(*held_in(c, period)).order_by(col(c.start_on), col(c.id)))
        names.need(organisations=[r["organiser_org_id"] for r in data.conferences] +
                   [r["organisation_id"] for r in data.visits] + [r["leader"].get("organisation_id") for r in data.visits] +
                   [a["presenter_org_id"] for a in items])
        for a in items:
            a["presenter_person"] = names.person(a["presenter_person_id"])
            a["presenter_org"] = names.organisation(a["presenter_org_id"])
        for row in data.conferences:
            row["org"] = names.organisation(row["organiser_org_id"])
        for row in data.visits:
            row["org"] = names.organisation(row["organisation_id"] or row["leader"].get("organisation_id"))
        f = m.Forum
        window_end = period.end + FOLLOW_ON
        data.forums = _rows(s, select(col(f.id), col(f.title_en), col(f.title_zh), col(f.start_on), col(f.status),
                                      col(f.mode), col(f.theme), col(f.counterpart_city_id))
                            .where(alive(f), col(f.status).in_(("held", *UPCOMING_STATUSES)),
                                   col(f.start_on).between(period.start, window_end)).order_by(col(f.start_on)))
        sf = m.SubForum
        subforums = _children(s, select(col(sf.forum_id), col(sf.title_en), col(sf.title_zh)).order_by(col(sf.seq)),
                              col(sf.forum_id), [r["id"] for r in data.forums], "forum_id")
        for row in data.forums:
            row["subforums"] = subforums.get(row["id"], [])
            row["after_period"] = row["start_on"] > period.end
        lt = m.OutreachLetter
        data.letters = _rows(s, select(col(lt.id), col(lt.title_en), col(lt.title_zh), col(lt.start_on),
                                       col(lt.sender), col(lt.summary), col(lt.cities_reached),
                                       col(lt.missions_reached)).where(*held_in(lt, period))
                             .order_by(col(lt.start_on)))
        lr = m.LetterRecipient
        recipients = _children(s, select(col(lr.letter_id), func.count().label("n")).group_by(col(lr.letter_id)),
                               col(lr.letter_id), [r["id"] for r in data.letters], "letter_id")
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


def today() -> date:
    return office_today()


MAX_PHOTOS = 6  # signing photos a report's Word file carries


def signing_photos(period: Period, lang: str, *, session: Session | None = None) -> list[dict]:
    """Photos on the partnerships and agreements signed in `period` (thumbnails: re-encoded, no EXIF), newest
    first: {"caption", "data"}."""
    from crm.files.attach import files_on, thumbnails

    with unit(session) as s:
        sg, ag = m.Signing, m.Agreement
        ties = {r[0] for r in s.execute(select(col(sg.partnership_id)).where(
            col(sg.signed_on) >= period.start, col(sg.signed_on) <= period.end))}
        deals = {r[0] for r in s.execute(select(col(ag.id)).where(
            col(ag.signed_on) >= period.start, col(ag.signed_on) <= period.end, col(ag.deleted_at).is_(None)))}
        records = [("partnerships", i) for i in sorted(ties)] + [("agreements", i) for i in sorted(deals)]
        rows = [r for r in files_on(records, session=s) if r["category"] == "image"][:MAX_PHOTOS]
        thumbs = thumbnails((r["sha256"] for r in rows), session=s)
    return [{"caption": pick(lang, r["caption_en"], r["caption_zh"]) or r["name"], "data": thumbs[r["sha256"]]}
            for r in rows if r["sha256"] in thumbs]


def report_file(title: str, text: str, lang: str, fmt: str, photos: list[dict] | None = None) -> bytes:
    """The (possibly edited) report text as Word or PDF; Word with `photos` (`signing_photos`) at the end."""
    if fmt == "docx":
        from crm.documents.docx import text_docx

        return text_docx(title, text, lang, photos or [])
    if fmt == "pdf":
        from crm.documents.pdf import text_pdf

        return text_pdf(title, text, lang)
    from crm.documents.exports import ExportError

    raise ExportError("doc.unknown_format", fmt=fmt, formats="docx, pdf")
