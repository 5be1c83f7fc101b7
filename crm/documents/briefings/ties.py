"""A city's history of ties for a briefing: partnership and signings, agreements, visits and trips."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from crm import models as m
from crm.documents.columns import column_of, event_model
from crm.geo.countries import country_name
from crm.i18n import pick, t
from crm.models.kinds import get_kind, kind_names
from crm.periods import format_date
from crm.records.kinds.partnerships import signers, signers_text
from crm.records.links import city_condition
from crm.records.names import Names, entity_name

HISTORY_KINDS = kind_names(city_tie=True)
HISTORY_LIMIT = 30  # most recent items per city in a briefing
EXPIRY_WARNING = timedelta(days=183)


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]


@dataclass
class CitySection:
    city_id: int
    name: str
    facts: list[str]
    tables: list[Table]


def _cols(lang: str, *keys: str) -> list[str]:
    return [t(f"brief.col.{k}", lang) for k in keys]


def _signings(s: Session, partnership_id: int, lang: str, names: Names) -> str:
    sg = m.Signing
    rows = [dict(r._mapping) for r in s.execute(
        select(col(sg.signed_on), col(sg.place_city_id), col(sg.signatory), col(sg.signatory_person_id),
               col(sg.partner_signatory), col(sg.partner_signatory_person_id), col(sg.mode))
        .where(col(sg.partnership_id) == partnership_id).order_by(col(sg.seq)))]
    names.load({"cities": {r["place_city_id"] for r in rows},
                "people": {person for r in rows for _, person in signers(r) if person}})
    parts = []
    for r in rows:
        who = signers_text(r, lang, lambda person: names.name("people", person))
        bits = [format_date(r["signed_on"], lang), names.name("cities", r["place_city_id"]), who,
                t(f"signing_mode.{r['mode']}", lang)]
        parts.append(" ".join(b for b in bits if b))
    return "; ".join(parts)


def _partnerships(s: Session, city_id: int, lang: str, names: Names) -> tuple[list[list], list[str]]:
    p = m.Partnership
    rows, facts = [], []
    for r in s.execute(select(col(p.id), col(p.kind), col(p.status), col(p.council_approved_on), col(p.established_on),
                              col(p.established_year))
                       .where(col(p.city_id) == city_id, col(p.deleted_at).is_(None)).order_by(col(p.established_on))):
        signings = _signings(s, r.id, lang, names)
        kind = t(f"partnership_kind.{r.kind}", lang)
        established = r.established_on or r.established_year
        rows.append([kind, t(f"status.{r.status}", lang), r.council_approved_on, established, signings])
        since = format_date(r.established_on, lang) if r.established_on else str(r.established_year or "")
        status = t(f"status.{r.status}", lang)
        facts.append(t("brief.fact_partnership", lang, kind=kind, since=since, status=status) if since else
                     t("brief.fact_partnership_undated", lang, kind=kind, status=status))
    return rows, facts


def _agreements(s: Session, city_id: int, lang: str, names: Names, today: date) -> list[list]:
    a = m.Agreement
    stmt = (select(col(a.title_en), col(a.title_zh), col(a.topic), col(a.signed_on), col(a.valid_until), col(a.status),
                   col(a.counterpart_org_id))
            .where(col(a.deleted_at).is_(None), city_condition(get_kind("agreements"), city_id))
            .order_by(col(a.signed_on)))
    rows = list(s.execute(stmt))
    names.load({"organisations": {r.counterpart_org_id for r in rows}})
    out = []
    for r in rows:
        note = ""
        if r.valid_until is not None:
            if r.valid_until < today:
                note = t("brief.expired", lang)
            elif r.valid_until - today <= EXPIRY_WARNING:
                note = t("brief.expires_soon", lang)
        out.append([pick(lang, r.title_en, r.title_zh), r.topic, names.name("organisations", r.counterpart_org_id),
                    r.signed_on, r.valid_until, t(f"status.{r.status}", lang), note])
    return out


def _history(s: Session, city_id: int, lang: str) -> list[list]:
    rows = []
    for kind_name in HISTORY_KINDS:
        kind = get_kind(kind_name)
        model = event_model(kind)
        extra = [column_of(model, "headcount")] if hasattr(model, "headcount") else []
        stmt = (select(col(model.title_en), col(model.title_zh), col(model.start_on), col(model.end_on),
                       col(model.status), *extra)
                .where(col(model.deleted_at).is_(None), city_condition(kind, city_id))
                .order_by(col(model.start_on).desc()).limit(HISTORY_LIMIT))
        for r in s.execute(stmt):
            detail = ""
            if extra and r.headcount:
                detail = t("brief.people_n", lang, n=r.headcount)
            rows.append([r.start_on, r.end_on, t(f"kind.{kind_name}", lang), pick(lang, r.title_en, r.title_zh),
                         t(f"status.{r.status}", lang), detail])
    return sorted(rows, key=lambda r: (r[0] or date.min), reverse=True)[:HISTORY_LIMIT + 1]


def city_ties(s: Session, city_id: int, lang: str, names: Names, today: date) -> CitySection | None:
    """Partnerships and signings, agreements (with expiry), past visits and trips, last contact."""
    c = m.City
    city = s.execute(select(col(c.name_en), col(c.name_zh), col(c.name_native), col(c.country_code),
                            col(c.deleted_at)).where(col(c.id) == city_id)).first()
    if city is None or city.deleted_at is not None:
        return None
    name = entity_name(city._mapping, lang)
    other = pick("en" if lang == "zh-TW" else "zh-TW", city.name_en, city.name_zh)
    heading = f"{name} {other}".strip() if other and other != name else name
    facts = [f"{heading} · {country_name(city.country_code, lang)}"]
    partnership_rows, partnership_facts = _partnerships(s, city_id, lang, names)
    facts += partnership_facts or [t("brief.no_partnership", lang)]
    agreements = _agreements(s, city_id, lang, names, today)
    history = _history(s, city_id, lang)
    more = len(history) > HISTORY_LIMIT
    history = history[:HISTORY_LIMIT]
    held = [r for r in history if r[0] is not None and r[0] <= today and r[4] == t("status.held", lang)]
    if held:
        last = held[0]
        facts.append(t("brief.last_contact", lang, day=format_date(last[0], lang), what=last[3]))
    else:
        facts.append(t("brief.no_contact", lang))
    tables = []
    if partnership_rows:
        tables.append(Table("partnerships", t("brief.partnerships", lang),
                            _cols(lang, "kind", "status", "council", "established", "signings"), partnership_rows))
    if agreements:
        tables.append(Table("agreements", t("brief.agreements", lang),
                            _cols(lang, "agreement", "topic", "counterpart", "signed", "valid_until", "status", "note"),
                            agreements))
    if more:
        facts.append(t("brief.history_more", lang, n=HISTORY_LIMIT))
    if history:
        tables.append(Table("history", t("brief.history", lang),
                            _cols(lang, "date", "end", "kind_of", "what", "status", "detail"), history))
    return CitySection(city_id, heading, facts, tables)
