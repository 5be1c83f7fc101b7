"""The report's sentences, in Traditional Chinese (民國 dates) or English, from `crm.documents.report.data.ReportData`.

Phrasing follows the office's own report (section 三): 「本期計接待國際貴賓 14 團、94 人」.
Sentence templates live in the catalog (`report.*` in crm/locales/documents.json); this module
names people, places and organisations (by the naming service's rule, `crm.records.names`, on the rows the data
gathered), formats dates and lists, and numbers the items.
"""

import re
from datetime import date

from crm.geo.countries import country_name
from crm.i18n import capitalise, pick, t
from crm.periods import ROC_OFFSET, format_partial
from crm.records.names import entity_name, title_of

_LATIN_CJK = re.compile(r"([A-Za-z\u00C0-\u024F])([\u4e00-\u9fff])")
_CJK_LATIN = re.compile(r"([\u4e00-\u9fff])([A-Za-z\u00C0-\u024F])")


def _d(day: date | None, lang: str, *, year: bool = True) -> str:
    if day is None:
        return ""
    if lang == "zh-TW":
        head = f"{day.year - ROC_OFFSET} 年 " if year else ""
        return f"{head}{day.month} 月 {day.day} 日"
    return f"{day.day} {day.strftime('%B')} {day.year}" if year else f"{day.day} {day.strftime('%B')}"


def _range(start: date | None, end: date | None, lang: str) -> str:
    if start is None:
        return ""
    if end is None or end == start:
        return _d(start, lang)
    if lang == "zh-TW":
        if (start.year, start.month) == (end.year, end.month):
            return f"{_d(start, lang)}至 {end.day} 日"
        tail = _d(end, lang, year=start.year != end.year)
        return f"{_d(start, lang)}至 {tail}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end.strftime('%B')} {end.year}"
    return f"{_d(start, lang, year=start.year != end.year)} – {_d(end, lang)}"


def _join(items: list[str], lang: str) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    if lang == "zh-TW":
        return "、".join(items[:-1]) + "及" + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


_name = entity_name  # a city, person or organisation by the naming service's rule (crm.records.names)


def _place(city: dict, lang: str) -> str:
    """捷克布拉格 / Prague (Czechia)."""
    if not city:
        return ""
    country = country_name(city.get("country_code"), lang)
    if lang == "zh-TW":
        return f"{country}{_name(city, lang)}" if city.get("country_code") != "TW" else _name(city, lang)
    return f"{_name(city, lang)} ({country})" if city.get("country_code") != "TW" else _name(city, lang)


def _person(person: dict, lang: str, fallback: str = "") -> str:
    """臺北市長柯文哲 / Ko Wen-je, Mayor of Taipei."""
    if not person:
        return fallback
    title = pick(lang, person.get("title_en"), person.get("title_zh"))
    if lang == "zh-TW":
        return f"{title}{person.get('name_zh')}" if person.get("name_zh") else f"{title} {_name(person, lang)}".strip()
    return f"{_name(person, lang)} ({title})" if title else _name(person, lang)


def _guest(row: dict, lang: str) -> str:
    """A named guest as the report cites one: 美國維吉尼亞大學林夏如教授 / Shiao-Ru Lin (Professor, UVA)."""
    person, org = row["leader"], row.get("org") or {}
    org_name = _name(org, lang)
    title = pick(lang, person.get("title_en"), person.get("title_zh"))
    if lang == "zh-TW":
        if person.get("name_zh"):
            return f"{country_name(row.get('country_code'), lang)}{org_name}{person['name_zh']}{title}"
        prefix = "" if org_name[:3] and title.startswith(org_name[:3]) else org_name
        return f"{prefix}{title} {_name(person, lang)}"
    detail = ", ".join(x for x in (title, org_name) if x)
    return f"{_name(person, lang)} ({detail})" if detail else _name(person, lang)


def _org(org: dict, lang: str) -> str:
    name = _name(org, lang)
    acronym = org.get("acronym")
    if acronym and acronym != name:
        return f"{name}（{acronym}）" if lang == "zh-TW" else f"{name} ({acronym})"
    return name


_title = title_of  # an event's or agreement's title


def _pacts_on_trip(d: dict, data) -> list[dict]:
    """Partnerships signed in person in one of the trip's cities while the delegation was there."""
    found = []
    stop_ids = {c.get("id") for c in d["cities"]}
    for p in data.partnerships:
        for s in p["signings"]:
            if (s["mode"] == "in_person" and s["place_city_id"] in stop_ids and s["signed_on"]
                    and d["start_on"] <= s["signed_on"] <= (d["end_on"] or d["start_on"])
                    and not any(x["city_id"] == p["city_id"] for x in d["pacts"])):
                found.append({"kind": p["kind"], "city_id": p["city_id"]})
                break
    return found


def _trip(d: dict, lang: str, data) -> str:
    leader = _person(d["leader"], lang, d.get("leader_name") or "")
    size = t("report.about" if d.get("headcount_approx") else "report.exactly", lang, n=d["headcount"]) \
        if d.get("headcount") else ""
    cities = d["cities"]
    countries = len({c.get("country_code") for c in cities})
    text = t("report.trip", lang, dates=_range(d["start_on"], d["end_on"], lang), leader=leader, size=size,
             countries=countries, cities=len(cities), places=_join([_place(c, lang) for c in cities], lang))
    extra = []
    for pact in d["pacts"] + _pacts_on_trip(d, data):
        city: dict = next((c for c in cities if c.get("id") == pact["city_id"]), {})
        extra.append(t("report.trip_pact", lang, city=_name(city, lang), kind=t(f"partnership_kind.{pact['kind']}", lang)))
    if d["agreements"]:
        extra.append(t("report.trip_mous", lang, n=len(d["agreements"]),
                       titles=_join([_title(a, lang) for a in d["agreements"]], lang)))
    if extra:
        text += t("report.trip_during", lang, what=("，並" if lang == "zh-TW" else " and ").join(extra))
    if d.get("purposes"):
        text += t("report.trip_purposes", lang, text=d["purposes"])
    counted = d.get("dignitaries_count") is not None
    met = d["dignitaries_count"] if counted else len(d["met"])
    if met:
        text += t("report.trip_met" if counted and d.get("dignitaries_approx") else "report.trip_met_exact", lang, n=met)
    if d.get("outcomes"):
        text += t("report.trip_outcomes", lang, text=d["outcomes"])
    return text


def _agenda_item(item: dict, lang: str) -> str:
    """報告事項（報告人） / item (presenter): the person on file, else the organisation, else the name as written."""
    who = (_person(item.get("presenter_person") or {}, lang) or _name(item.get("presenter_org") or {}, lang)
           or item.get("presenter") or "")
    if not who:
        return item["title"]
    return f"{item['title']}（{who}）" if lang == "zh-TW" else f"{item['title']} ({who})"


def _signing_text(p: dict, data, lang: str) -> str:
    signings = p["signings"]
    if not signings:
        return t("report.pact_signed_on", lang, day=_d(p["established_on"], lang))
    if len(signings) > 1 or signings[0]["mode"] == "remote":
        parts = [t("report.pact_signer", lang, who=_join([_person(p, lang, n) for p, n in s["signers"]], lang),
                   day=_d(s["signed_on"], lang),
                   place=_name(s["place"], lang)) for s in signings]
        return t("report.pact_remote", lang, parts="、".join(parts) if lang == "zh-TW" else _join(parts, lang))
    s = signings[0]
    if s["mode"] == "exchange":
        return t("report.pact_exchange", lang, day=_d(s["signed_on"], lang))
    trip = next((d for d in data.delegations if s["signed_on"] and d["start_on"] <= s["signed_on"] <= (d["end_on"] or
                 d["start_on"]) and any(c.get("id") == s["place_city_id"] for c in d["cities"])), None)
    key = "report.pact_on_trip" if trip else "report.pact_in_person"
    return t(key, lang, day=_d(s["signed_on"], lang), place=_name(s["place"], lang),
             leader=_person(trip["leader"], lang, trip.get("leader_name") or "") if trip else "")


def _partnership(p: dict, data, lang: str) -> str:
    kind = t(f"partnership_kind.{p['kind']}", lang)
    head = t("report.pact_head", lang, place=_place(p["city"], lang), kind=kind)
    head = capitalise(head)
    parts = []
    if p["council_approved_on"]:
        parts.append(t("report.pact_approved", lang, day=_d(p["council_approved_on"], lang)))
    parts.append(_signing_text(p, data, lang) if p["signed_in_period"] else t("report.pact_pending", lang))
    return head + t("report.comma", lang).join(parts)


def _exchange(x: dict, lang: str) -> str:
    parts = []
    a = x["agreement"]
    if a:
        parts.append(t("report.exchange_agreement", lang, day=_d(a["signed_on"], lang), place=_place(x["city"], lang),
                       mode=t(f"signing_mode.{a['mode']}", lang), title=_title(a, lang)))
    for i, c in enumerate(x["cohorts"], start=1):
        who = c.get("participants") or ""
        parts.append(t("report.exchange_cohort", lang, n=i, dates=_range(c["planned_start"] or c["start_on"],
                                                                           c["planned_end"] or c["end_on"], lang),
                       who=who))
        reason = c["status_reason"] or x["status_reason"]
        if c["status"] == "postponed" and c.get("postponed_to"):
            parts.append(t("report.exchange_postponed_to", lang, n=i, reason=reason,
                           when=format_partial(c["postponed_to"], c["postponed_to_precision"] or "day", lang)))
        elif c["status"] in ("postponed", "cancelled"):
            parts.append(t(f"report.exchange_{c['status']}", lang, n=i, reason=reason))
    if not x["cohorts"]:
        parts.append(t("report.exchange_status", lang, title=_title(x, lang), status=t(f"status.{x['status']}", lang),
                       reason=x["status_reason"]))
    return t("report.sentence", lang).join(parts) + t("report.stop", lang)


def _numbered(items: list[tuple[str, str]], lang: str) -> list[str]:
    return [f"- ({i}) {t(key, lang)}：{text}" if lang == "zh-TW" else f"- ({i}) {t(key, lang)}: {text}"
            for i, (key, text) in enumerate(items, start=1)]


def _comparison(data, lang: str) -> list[str]:
    now, before = data.counts, data.last_year
    rows = [("report.cmp_guests", "visits_groups", "visits_people"),
            ("report.cmp_trips", "delegations", "delegation_people"),
            ("report.cmp_dignitaries", "dignitaries_met", None), ("report.cmp_conferences", "conferences", None),
            ("report.cmp_partnerships", "new_partnerships", None), ("report.cmp_agreements", "agreements_signed", None),
            ("report.cmp_forums", "forums", None), ("report.cmp_meetings", "meetings", None),
            ("report.cmp_letters", "letters", None), ("report.cmp_exchanges", "exchanges", None)]
    out = []
    for key, first, second in rows:
        a, b = getattr(now, first), getattr(before, first)
        a2, b2 = (getattr(now, second), getattr(before, second)) if second else (None, None)
        out.append("- " + t(key, lang, now=a, before=b, now2=a2, before2=b2, trend=_trend(a, b, lang)))
    return out


def _trend(now: int, before: int, lang: str) -> str:
    if now == before:
        return t("report.same", lang)
    return t("report.up" if now > before else "report.down", lang, n=abs(now - before))


def _conferences(data, lang: str) -> str:
    """The conferences item: how many, those switched to video, then the others."""
    c = data.counts
    switched = [r for r in data.conferences if r["switched_to_video"]]
    others = [r for r in data.conferences if not r["switched_to_video"]]

    def conf(r: dict) -> str:
        return t("report.conference_item", lang, day=_d(r["start_on"], lang, year=False), org=_org(r["org"], lang),
                 title=_title(r, lang))

    text = t("report.conferences", lang, n=c.conferences)
    if switched:
        text += t("report.conferences_switched", lang, n=c.conferences_switched,
                  items=_join([conf(r) for r in switched], lang))
    if others:
        text += t("report.conferences_other", lang, items=_join([conf(r) for r in others], lang))
    return text


def render(data, lang: str) -> str:
    """The section as plain text: headings on their own lines, items as `- (n) …` paragraphs."""
    c = data.counts
    lines = [t("report.title", lang), t("report.period_line", lang, period=data.period.label(lang)), "",
             t("report.h_exchange", lang)]
    items: list[tuple[str, str]] = []
    trips = [_trip(d, lang, data) for d in data.delegations]
    if len(trips) > 1:
        trips.append(t("report.trips_total", lang, n=c.delegations, people=c.delegation_people,
                       countries=c.delegation_countries, cities=c.delegation_cities, met=c.dignitaries_met))
    items.append(("report.i_trips", " ".join(trips) if trips else t("report.no_trips", lang)))
    guests_list = [_guest(v, lang) for v in data.visits]
    examples = "、".join(guests_list) if lang == "zh-TW" else _join(guests_list, lang)
    guests = t("report.guests_examples", lang, examples=examples) if examples else ""
    items.append(("report.i_guests", guests + t("report.guests", lang, groups=c.visits_groups, people=c.visits_people)))
    if data.partnerships:
        pacts = t("report.pact_sep", lang).join(_partnership(p, data, lang) for p in data.partnerships)
        items.append(("report.i_pacts", pacts + t("report.stop", lang)))
    if data.agreements:
        listed = _join([t("report.agreement_item", lang, title=_title(a, lang), topic=a["topic"] or "—",
                          day=_d(a["signed_on"], lang), place=_name(a["city"], lang) or "—") for a in data.agreements], lang)
        items.append(("report.i_agreements", t("report.agreements", lang, n=c.agreements_signed, items=listed)))
    for mt in data.meetings:
        agenda = _join([_agenda_item(a, lang) for a in mt["agenda"]], lang)
        items.append(("report.i_meetings", t("report.meeting", lang, day=_d(mt["start_on"], lang),
                                             n=mt["meeting_number"] or "", agenda=agenda)))
    for x in data.exchanges:
        items.append(("report.i_exchanges", _exchange(x, lang)))
    lines += _numbered(items, lang)
    lines += ["", t("report.h_conferences", lang)]
    lines.append("- " + _conferences(data, lang))
    lines += ["", t("report.h_forums", lang)]
    if not data.forums:
        lines.append("- " + t("report.no_forums", lang))
    for f in data.forums:
        subs = _join([f"「{_title(s, lang)}」" if lang == "zh-TW" else f"“{_title(s, lang)}”" for s in f["subforums"]], lang)
        key = "report.forum_after" if f["after_period"] else "report.forum"
        lines.append("- " + t(key, lang, day=_d(f["start_on"], lang), title=_title(f, lang), theme=f["theme"] or "—",
                              mode=t(f"meeting_mode.{f['mode']}", lang), subs=subs, n=len(f["subforums"])))
    lines += ["", t("report.h_letters", lang)]
    if not data.letters:
        lines.append("- " + t("report.no_letters", lang))
    for lt in data.letters:
        lines.append("- " + t("report.letter", lang, day=_d(lt["start_on"], lang), title=_title(lt, lang),
                              cities=lt["cities_reached"] or 0, missions=lt["missions_reached"] or 0,
                              on_file=lt["recipients"]))
    if len(data.letters) > 1:
        lines.append("- " + t("report.letters_total", lang, n=c.letters, cities=c.letter_cities,
                              missions=c.letter_missions))
    lines += ["", t("report.h_comparison", lang, period=data.period.year_before().label(lang))]
    lines += _comparison(data, lang)
    if c.postponed or c.cancelled:
        lines.append("- " + t("report.not_held", lang, postponed=c.postponed, cancelled=c.cancelled))
    text = "\n".join(lines) + "\n"
    if lang == "zh-TW":  # a space between Latin and Chinese script, as the office writes 「Yip Wei Kiat 等人」
        text = _LATIN_CJK.sub(r"\1 \2", _CJK_LATIN.sub(r"\1 \2", text))
    return text
