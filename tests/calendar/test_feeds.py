"""The private calendar feed through its HTTP route, parsed back with icalendar: the kinds chosen, a change to a
record shows on the next fetch, a revoked feed (or a disabled account) is refused; SQLite and PostgreSQL."""

from datetime import date

import pytest
from icalendar import Calendar

from crm.calendar import feeds
from crm.calendar.routes import routes
from crm.errors import NotFound, ValidationFailed
from crm.store import writes
from tests.support.routes import get

TODAY = date(2026, 3, 1)


def _fetch(token: str):
    return get(f"{feeds.FEED_PATH}/{token}.ics", routes=routes())


def _summaries(answer) -> dict[str, str]:
    cal = Calendar.from_ical(answer.body)
    return {str(e["uid"]): str(e["summary"]) for e in cal.walk("VEVENT")}


@pytest.fixture
def records(engine, staff, monkeypatch):
    monkeypatch.setenv("LIAISON_TODAY", TODAY.isoformat())
    city = writes.create(staff, "cities", {"name_en": "Prague", "name_zh": "布拉格", "country_code": "CZ"})
    writes.create(staff, "partnerships", {"city_id": city, "kind": "sister", "status": "active",
                                          "established_on": date(2016, 2, 29)})
    visit = writes.create(staff, "visits", {"title_en": "Prague council", "start_on": date(2026, 4, 2)})
    meeting = writes.create(staff, "meetings", {"title_en": "Committee", "start_on": date(2026, 4, 8)})
    return {"visit": visit, "meeting": meeting}


def test_feed_carries_the_chosen_kinds_follows_changes_and_dies_when_revoked(records, staff, admin):
    token = feeds.create_feed(staff, ("visits", "anniversaries"), "en")
    answer = _fetch(token)
    assert answer.status == 200 and answer.header("content-type").startswith("text/calendar")
    assert "max-age=300" in answer.header("cache-control")
    found = _summaries(answer)
    assert found[f"visits-{records['visit']}@liaison"] == "visit: Prague council"
    assert "10th anniversary of the Prague pact" in found.values()  # 2026-02-28: inside the window, a common year
    assert not any(uid.startswith("meetings-") for uid in found)  # not chosen

    writes.update(staff, "visits", records["visit"], {"title_en": "Prague mayor"}, 1)
    assert _summaries(_fetch(token))[f"visits-{records['visit']}@liaison"] == "visit: Prague mayor"

    other = feeds.create_feed(staff, ("meetings",), "zh-TW")
    assert any(uid.startswith("meetings-") for uid in _summaries(_fetch(other)))
    assert [f.revoked for f in feeds.my_feeds(staff)] == [False, False]
    with pytest.raises(NotFound):
        feeds.revoke_feed(admin, feeds.my_feeds(staff)[0].id)  # not one's own
    feeds.revoke_feed(staff, feeds.my_feeds(staff)[1].id)  # the first one made
    assert _fetch(token).status == 410 and _fetch(token).body == b"gone"
    assert _fetch(other).status == 200
    assert _fetch("not-a-token").status == 404


def test_feed_refusals(engine, staff, admin):
    with pytest.raises(ValidationFailed) as refused:
        feeds.create_feed(staff, ("visits", "nonsense"), "en")
    assert refused.value.first_field == "kinds"
    with pytest.raises(ValidationFailed):
        feeds.create_feed(staff, (), "en")
    token = feeds.create_feed(staff, ("visits",), "en")
    assert feeds.lookup(token)[0] == "ok"
    from crm.accounts.users import set_active

    set_active(admin, staff.id, False)
    assert _fetch(token).status == 410  # a disabled account's feeds serve nothing
