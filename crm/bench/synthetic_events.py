"""Synthetic records of each dated kind (see crm.bench.synthetic): one maker per kind, `make(gen)`."""

from datetime import datetime, timedelta

from crm import models as m
from crm.bench.synthetic_names import ANCHOR, HOSTS, PREFIX, TOPICS, search_key
from crm.config import OFFICE_TIME_ZONE, OFFICE_ZONE

TAIPEI_TZ = OFFICE_ZONE
REASONS = ("Schedule conflict / 行程衝突", "Typhoon warning / 颱風警報", "Travel restrictions / 旅行限制",
           "Counterpart request / 對方要求")
LEADERS = (("Mayor", "市長"), ("Deputy Mayor", "副市長"), ("Secretary-General", "秘書長"),
           ("Commissioner", "局長"))


def _event(gen, model, kind: str, title_en: str, title_zh: str, days: int, parts: list) -> dict:
    """Shared event columns: dates over 30 years, a status with its history row, the search key."""
    rng = gen.rng
    start = gen.day()
    end = start + timedelta(days=rng.randrange(days)) if days > 1 else start
    planned_start, planned_end, reason = start, end, ""
    if start > ANCHOR:
        status = "planned" if rng.random() < 0.6 else "confirmed"
    else:
        roll = rng.random()
        status = "held" if roll < 0.88 else "postponed" if roll < 0.93 else "cancelled"
    if status in ("postponed", "cancelled"):
        reason = rng.choice(REASONS)
    if status == "postponed":
        shift = timedelta(days=rng.randrange(30, 150))
        start, end = start + shift, end + shift
    record_id = gen.w.new_id(model)
    base = gen.record(planned_start)
    gen.status_change(kind, record_id, status, base["created_at"], reason,
                      start if status == "postponed" else None, end if status == "postponed" else None)
    return {"id": record_id, "title_en": title_en, "title_zh": title_zh, "status": status, "status_reason": reason,
            "planned_start": planned_start, "planned_end": planned_end, "start_on": start, "end_on": end,
            "search_text": search_key([title_en, title_zh, *parts]), **base}


def _person_near(gen, city: dict) -> dict:
    near = gen.people_by_city.get(city["id"])
    return gen.rng.choice(near) if near else gen.rng.choice(gen.people)


def visit(gen) -> None:
    rng = gen.rng
    leader = rng.choice(gen.people)
    org, others = leader["org"], [rng.choice(gen.people) for _ in range(rng.choice((0, 0, 1, 2)))]
    city = org["city"]
    topic_en, topic_zh = rng.choice(TOPICS)
    en = f"{PREFIX}{org['name_en'][len(PREFIX):]} visit on {topic_en}"
    zh = f"{PREFIX}{org['name_zh'][len(PREFIX):]}{topic_zh}參訪團"
    host = rng.choice(HOSTS)
    parts = [leader["name_en"], host, *org["key"], *leader["key"], *city["key"], *gen.country_key(city["country_code"])]
    parts += [k for p in others for k in p["key"]]
    row = _event(gen, m.Visit, "visits", en, zh, 4, parts)
    gen.w.add(m.Visit, **row, leader_person_id=leader["id"], leader_name=leader["name_en"],
              leader_title=leader["title_en"], organisation_id=org["id"], origin_city_id=city["id"],
              country_code=city["country_code"], headcount=min(60, 1 + int(rng.expovariate(1 / 6))),
              host=host, purpose=topic_en)
    for seq, person in enumerate(others):
        gen.w.add(m.VisitPerson, visit_id=row["id"], person_id=person["id"], seq=seq)


def delegation(gen) -> None:
    rng = gen.rng
    stops = rng.sample(gen.abroad, min(len(gen.abroad), rng.choice((1, 1, 2, 2, 3, 4))))
    leader_en, leader_zh = rng.choice(LEADERS)
    en = f"{PREFIX}{leader_en}'s delegation to " + ", ".join(c["name_en"] for c in stops)
    zh = f"{PREFIX}{leader_zh}率團訪問" + "、".join(c["name_zh"] for c in stops)
    met = [_person_near(gen, rng.choice(stops)) for _ in range(rng.choice((0, 1, 2, 3)))]
    parts = [f"{PREFIX}{leader_en}"] + [k for c in stops for k in c["key"]] + [k for p in met for k in p["key"]]
    row = _event(gen, m.Delegation, "delegations", en, zh, 3 + 3 * len(stops), parts)
    gen.w.add(m.Delegation, **row, leader_name=f"{PREFIX}{leader_en}", leader_title=leader_en,
              headcount=rng.randrange(3, 26), dignitaries_count=rng.choice((None, None, rng.randrange(1, 15))),
              purposes=rng.choice(TOPICS)[0], outcomes="")
    day = row["start_on"]
    for seq, city in enumerate(stops):
        gen.w.add(m.DelegationStop, delegation_id=row["id"], city_id=city["id"], arrive_on=day,
                  depart_on=day + timedelta(days=2), purpose=rng.choice(TOPICS)[0], seq=seq)
        day += timedelta(days=2)
    for seq, person in enumerate({p["id"]: p for p in met}.values()):
        gen.w.add(m.DelegationPerson, delegation_id=row["id"], person_id=person["id"], role="met", seq=seq)


def conference(gen) -> None:
    rng = gen.rng
    org = rng.choice(gen.orgs)
    topic_en, topic_zh = rng.choice(TOPICS)
    en = f"{PREFIX}{topic_en.capitalize()} conference of {org['name_en'][len(PREFIX):]}"
    zh = f"{PREFIX}{org['name_zh'][len(PREFIX):]}{topic_zh}會議"
    people = {p["id"]: p for p in (rng.choice(gen.people) for _ in range(rng.choice((0, 1, 2))))}
    parts = [topic_en, *org["key"], *org["city"]["key"]] + [k for p in people.values() for k in p["key"]]
    row = _event(gen, m.Conference, "conferences", en, zh, 1, parts)
    starts = datetime.combine(row["start_on"], datetime.min.time()).replace(hour=rng.randrange(8, 22), tzinfo=TAIPEI_TZ)
    gen.w.add(m.Conference, **row, organiser_org_id=org["id"], organiser_city_id=org["city"]["id"], starts_at=starts,
              timezone=OFFICE_TIME_ZONE, duration_minutes=rng.choice((60, 90, 120, 180)),
              mode=rng.choices(("video", "hybrid", "in_person"), (7, 2, 1))[0], topic=topic_en,
              our_role=rng.choice(("participant", "speaker", "co-host")), participant_cities_count=rng.randrange(2, 40))
    for seq, person in enumerate(people.values()):
        gen.w.add(m.ConferencePerson, conference_id=row["id"], person_id=person["id"], seq=seq)


def forum(gen) -> None:
    rng = gen.rng
    city = rng.choice(gen.abroad)
    topic_en, topic_zh = rng.choice(TOPICS)
    en, zh = f"{PREFIX}Taipei–{city['name_en']} {topic_en} forum", f"{PREFIX}臺北—{city['name_zh']}{topic_zh}論壇"
    subs = [(f"{PREFIX}Session {i + 1}: {rng.choice(TOPICS)[0]}", f"{PREFIX}第{i + 1}場：{rng.choice(TOPICS)[1]}")
            for i in range(rng.choice((0, 1, 2, 3)))]
    row = _event(gen, m.Forum, "forums", en, zh, 3, [topic_en, *city["key"], *[x for s in subs for x in s]])
    gen.w.add(m.Forum, **row, counterpart_city_id=city["id"], mode=rng.choice(("in_person", "hybrid", "video")),
              theme=topic_en, participants_count=rng.randrange(20, 400))
    for seq, (sub_en, sub_zh) in enumerate(subs):
        gen.w.add(m.SubForum, forum_id=row["id"], title_en=sub_en, title_zh=sub_zh, seq=seq)


def exchange(gen) -> None:
    rng = gen.rng
    city = rng.choice(gen.abroad)
    topic_en, topic_zh = rng.choice(TOPICS)
    en = f"{PREFIX}{topic_en.capitalize()} exchange with {city['name_en']}"
    zh = f"{PREFIX}{city['name_zh']}{topic_zh}交流計畫"
    row = _event(gen, m.ExchangeProgramme, "exchanges", en, zh, 60, [*city["key"]])
    gen.w.add(m.ExchangeProgramme, **row, counterpart_city_id=city["id"], description=topic_en)
    for seq in range(rng.choice((1, 2, 3))):
        start = row["start_on"] + timedelta(days=120 * seq)
        gen.w.add(m.Cohort, programme_id=row["id"], planned_start=start, planned_end=start + timedelta(days=30),
                  start_on=start, end_on=start + timedelta(days=30), participants_count=rng.randrange(2, 20),
                  status=row["status"], seq=seq)


def meeting(gen) -> None:
    rng = gen.rng
    number = gen.w.next_id[m.CommitteeMeeting]
    en, zh = f"{PREFIX}International affairs committee, meeting {number}", f"{PREFIX}國際事務委員會第{number}次會議"
    agenda = [f"{PREFIX}{rng.choice(TOPICS)[0]}" for _ in range(rng.randrange(2, 6))]
    row = _event(gen, m.CommitteeMeeting, "meetings", en, zh, 1, agenda)
    gen.w.add(m.CommitteeMeeting, **row, meeting_number=number, chair=f"{PREFIX}Deputy Mayor")
    for seq, title in enumerate(agenda):
        gen.w.add(m.AgendaItem, meeting_id=row["id"], title=title, presenter=rng.choice(HOSTS), seq=seq)


def letter(gen) -> None:
    rng = gen.rng
    topic_en, topic_zh = rng.choice(TOPICS)
    en, zh = f"{PREFIX}Mayor's letter on {topic_en}", f"{PREFIX}市長{topic_zh}通函"
    recipients = rng.sample(gen.abroad, min(len(gen.abroad), rng.randrange(5, 21)))
    row = _event(gen, m.OutreachLetter, "letters", en, zh, 1, [f"{PREFIX}Mayor"] + [k for c in recipients for k in c["key"]])
    gen.w.add(m.OutreachLetter, **row, sender=f"{PREFIX}Mayor", summary=topic_en, cities_reached=len(recipients),
              missions_reached=rng.randrange(0, 10))
    for seq, city in enumerate(recipients):
        gen.w.add(m.LetterRecipient, letter_id=row["id"], city_id=city["id"], seq=seq)


def agreement(gen) -> None:
    rng = gen.rng
    city = rng.choice(gen.abroad)
    org = rng.choice(gen.orgs_by_city.get(city["id"]) or [None])
    topic_en, topic_zh = rng.choice(TOPICS)
    en = f"{PREFIX}MOU on {topic_en} between Taipei and {org['name_en'][len(PREFIX):] if org else city['name_en']}"
    zh = f"{PREFIX}臺北市與{org['name_zh'][len(PREFIX):] if org else city['name_zh']}{topic_zh}合作備忘錄"
    signed = gen.day()
    valid = signed + timedelta(days=365 * rng.choice((3, 4, 5)))
    status = "draft" if signed > ANCHOR else "terminated" if rng.random() < 0.03 else \
        "expired" if valid < ANCHOR else "signed"
    record_id = gen.w.new_id(m.Agreement)
    base = gen.record(signed)
    gen.status_change("agreements", record_id, status, base["created_at"])
    gen.w.add(m.Agreement, id=record_id, title_en=en, title_zh=zh, topic=topic_en, counterpart_city_id=city["id"],
              counterpart_org_id=org["id"] if org else None, signed_on=signed, valid_until=valid, status=status,
              mode=rng.choices(("in_person", "remote", "exchange"), (6, 3, 1))[0],
              signed_place_city_id=rng.choice((city["id"], gen.home["id"])),
              partnership_id=gen.partnership_of.get(city["id"]),
              search_text=search_key([en, zh, topic_en, *city["key"], *(org["key"] if org else [])]), **base)


def partnership(gen, city: dict) -> int:
    rng = gen.rng
    kind = rng.choices(("sister", "partner", "friendship"), (5, 3, 2))[0]
    status = rng.choices(("active", "dormant", "ended", "approved", "proposed"), (70, 15, 5, 5, 5))[0]
    approved = gen.day()
    established = approved + timedelta(days=rng.randrange(10, 200)) if status not in ("approved", "proposed") else None
    record_id = gen.w.new_id(m.Partnership)
    base = gen.record(approved)
    en, zh = f"{PREFIX}Taipei–{city['name_en']} {kind} cities", f"{PREFIX}臺北市—{city['name_zh']}締盟"
    gen.status_change("partnerships", record_id, status, base["created_at"])
    gen.w.add(m.Partnership, id=record_id, city_id=city["id"], kind=kind, status=status,
              council_approved_on=approved if status != "proposed" else None, established_on=established,
              established_year=established.year if established else None, title_en=en, title_zh=zh,
              ended_on=established + timedelta(days=3650) if status == "ended" and established else None,
              search_text=search_key([en, zh, *city["key"], f"{PREFIX}Mayor" if established else ""]), **base)
    if established:
        remote = rng.random() < 0.2
        for seq, (party, place) in enumerate((("home", gen.home), ("partner", city)) if remote else (("both", city),)):
            gen.w.add(m.Signing, partnership_id=record_id, signed_on=established - timedelta(days=(1 - seq) * 10 * remote),
                      place_city_id=place["id"], signatory=f"{PREFIX}Mayor", party=party,
                      mode="remote" if remote else "in_person", seq=seq)
    return record_id


EVENT_MAKERS = {"visits": visit, "conferences": conference, "delegations": delegation, "agreements": agreement,
                "meetings": meeting, "forums": forum, "exchanges": exchange, "letters": letter}
