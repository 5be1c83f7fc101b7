"""Form drafts through the screens (AppTest; a new AppTest is a new browser session, as after a reload): child
rows and a date known only to the month are kept and restored, an untouched form keeps nothing, discarding drops
the draft, and a save deletes it."""

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from crm import models as m
from crm.accounts.users import ensure_local_user
from crm.records.drafts import form_draft
from crm.records.matching import city_by_name
from crm.store.engine import get_engine
from tests.support.apptest import errors, open_page

NEW = "f-delegations-new-0"


def _stop(at, number: int, city: int, purpose: str, arrive: date | None = None) -> None:
    at.button(key=f"{NEW}-itinerary-add").click().run()
    row = f"{NEW}-itinerary-row{number}"
    at.selectbox(key=f"{row}-city_id").set_value(city)
    at.text_input(key=f"{row}-purpose").input(purpose)
    if arrive:
        at.date_input(key=f"{row}-arrive_on").set_value(arrive)
    at.button(key=f"{row}-keep").click().run()


def test_child_rows_are_kept_as_a_draft_and_restored_in_a_new_session(demo_url):
    me = ensure_local_user()
    at = open_page("delegations", "zh-TW", query={"new": "1"})
    assert errors(at) == [] and form_draft(me, "delegations", None) is None  # nothing typed: nothing kept
    at.text_input(key=f"{NEW}-title_zh").input("草稿出訪團").run()
    prague, riga = city_by_name("Prague", "CZ"), city_by_name("Riga", "LV")
    _stop(at, 1, prague, "締結姊妹市", date(2020, 1, 13))
    _stop(at, 2, riga, "會晤市長")
    assert errors(at) == []
    kept = form_draft(me, "delegations", None)
    assert kept is not None and kept.data["fields"] == {"title_zh": "草稿出訪團"}
    assert [(r["city_id"], r["arrive_on"], r["purpose"]) for r in kept.data["rows"]["itinerary"]] == [
        (prague, "2020-01-13", "締結姊妹市"), (riga, None, "會晤市長")]

    again = open_page("delegations", "zh-TW", query={"new": "1"})  # a reload: a new session, a fresh form
    assert any("未儲存的草稿" in w.value for w in again.warning)
    assert again.text_input(key=f"{NEW}-title_zh").value == ""
    again.button(key=f"{NEW}-draft-restore").click().run()
    assert errors(again) == [] and again.text_input(key=f"{NEW}-title_zh").value == "草稿出訪團"
    assert "締結姊妹市" in " ".join(md.value for md in again.markdown)
    again.button(key=f"{NEW}-save").click().run()
    assert errors(again) == []
    with Session(get_engine()) as s:
        trip = s.scalars(select(m.Delegation).where(m.Delegation.title_zh == "草稿出訪團")).one()
        stops = s.scalars(select(m.DelegationStop).where(m.DelegationStop.delegation_id == trip.id)
                          .order_by(m.DelegationStop.seq)).all()
    assert [(x.city_id, x.arrive_on, x.purpose) for x in stops] == [(prague, date(2020, 1, 13), "締結姊妹市"),
                                                                    (riga, None, "會晤市長")]
    assert form_draft(me, "delegations", None) is None


def test_a_month_only_date_is_restored_as_typed_and_a_discarded_draft_is_gone(demo_url):
    me = ensure_local_user()
    key = "f-visits-new-0"
    at = open_page("visits", "en", query={"new": "1"})
    at.text_input(key=f"{key}-title_en").input("Postponed draft visit").run()
    at.selectbox(key=f"{key}-status").set_value("postponed").run()
    at.text_input(key=f"{key}-postponed_to").input("110/3").run()
    kept = form_draft(me, "visits", None)
    assert kept is not None and kept.data["fields"] == {"title_en": "Postponed draft visit", "status": "postponed",
                                                        "postponed_to": "110/3"}
    again = open_page("visits", "en", query={"new": "1"})
    again.button(key=f"{key}-draft-restore").click().run()
    assert again.text_input(key=f"{key}-postponed_to").value == "110/3"
    assert any("March 2021" in c.value for c in again.caption)  # read as the month it was typed as

    third = open_page("visits", "en", query={"new": "1"})
    third.button(key=f"{key}-draft-discard").click().run()
    assert errors(third) == [] and any("Draft discarded." in i.value for i in third.info)
    assert form_draft(me, "visits", None) is None
    assert third.text_input(key=f"{key}-title_en").value == ""
