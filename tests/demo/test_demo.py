"""The demo data set: the 2020 H1 report's facts, loaded idempotently."""

from sqlalchemy import func, select
from sqlmodel import Session

from crm import models as m
from crm.demo.loader import load_demo
from crm.periods import parse_period
from crm.records.queries import get_record, list_records


def _counts(engine) -> dict:
    with Session(engine) as s:
        return {t.__tablename__: s.exec(select(func.count()).select_from(t)).one()[0]
                for t in (m.City, m.Person, m.Organisation, m.Partnership, m.Signing, m.Agreement, m.Delegation,
                          m.Visit, m.Conference, m.Forum, m.ExchangeProgramme, m.CommitteeMeeting,
                          m.OutreachLetter, m.LetterRecipient)}


def test_demo_load_twice_gives_the_same_rows(engine, admin):
    assert load_demo(admin) > 0
    first = _counts(engine)
    assert load_demo(admin) == 0
    assert _counts(engine) == first
    assert first["partnership"] == 54


def test_demo_holds_the_reports_figures(demo_url):
    h1 = parse_period("2020H1")
    visits = list_records("visits", period=h1, status="held", page_size=100)
    assert visits.total == 14 and sum(v["headcount"] for v in visits.rows) == 94
    conferences = list_records("conferences", period=h1, page_size=100)
    assert conferences.total == 6
    trip = list_records("delegations", q="europe").rows[0]
    assert (trip["headcount"], trip["dignitaries_count"]) == (53, 30)
    assert len(get_record("delegations", trip["id"])["itinerary"]) == 4
    lima = list_records("partnerships", q="利馬").rows[0]
    signings = get_record("partnerships", lima["id"])["signings"]
    assert [(s["signed_on"], s["mode"]) for s in signings] == [("2020-02-10", "remote"), ("2020-02-25", "remote")]
    assert list_records("agreements", period=h1).total == 4
    exchange = list_records("exchanges").rows[0]
    assert exchange["status"] == "postponed"
