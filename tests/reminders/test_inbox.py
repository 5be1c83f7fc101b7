"""The inbox: anniversaries (next only, with years), expiring agreements, colleagues' changes to my records;
read / unread per user and the unread count; the activity feed in each language; both engines."""

from datetime import date

from crm.accounts.users import actor_by_name, add_user
from crm.reminders import inbox
from crm.reminders.activity import recent
from crm.store import writes

TODAY = date(2030, 1, 1)


def test_items_read_state_and_counts(engine, admin, staff):
    city = writes.create(staff, "cities", {"name_en": "Prague", "name_zh": "布拉格", "country_code": "CZ"})
    pact = writes.create(staff, "partnerships", {"city_id": city, "kind": "sister", "status": "active",
                                                 "established_on": date(2020, 1, 13)})
    writes.create(staff, "partnerships", {"city_id": city, "status": "ended", "established_on": date(2010, 1, 5)})
    deal = writes.create(staff, "agreements", {"title_en": "Zoo MOU", "status": "signed", "signed_on": date(2020, 1, 1),
                                               "valid_until": date(2030, 2, 1)})
    writes.create(staff, "agreements", {"title_en": "Later", "status": "signed", "valid_until": date(2031, 1, 1)})
    visit = writes.create(admin, "visits", {"title_en": "Guests", "start_on": date(2030, 1, 5)})
    writes.update(admin, "agreements", deal, {"title_zh": "動物園備忘錄"}, 1)  # a colleague changes clerk's record
    writes.update(staff, "visits", visit, {"title_en": "Guests from Prague"}, 1)  # clerk changes admin's

    mine = inbox.items(staff, "en", today=TODAY)
    assert [(r["category"], r["title"]) for r in mine] == [
        ("anniversaries", "10th anniversary of the Prague pact"), ("expiring", "Expires: Zoo MOU"),
        ("changes", "admin: changed — agreement Zoo MOU")]
    assert mine[0]["key"] == f"anniversary:{pact}:2030" and mine[0]["day"] == date(2030, 1, 13)
    assert [r["title"] for r in inbox.items(staff, "zh-TW", today=TODAY)][0] == "布拉格姊妹市締約 10 週年"
    theirs = inbox.items(admin, "en", today=TODAY)
    assert [r["category"] for r in theirs] == ["anniversaries", "expiring", "changes"]
    assert theirs[2]["page"] == "visits" and theirs[2]["record_id"] == visit
    assert inbox.unread_count(staff, today=TODAY) == 3

    inbox.mark_read(staff, [mine[0]["key"], mine[2]["key"]])
    inbox.mark_read(staff, [mine[0]["key"]])  # twice: still one mark
    assert inbox.unread_count(staff, today=TODAY) == 1
    assert inbox.unread_count(admin, today=TODAY) == 3  # marks are per user
    assert [r["read"] for r in inbox.items(staff, "en", today=TODAY)] == [False, True, True]  # unread first
    inbox.mark_read(staff, [mine[2]["key"]], read=False)
    assert inbox.unread_count(staff, today=TODAY) == 2
    next_year = inbox.items(staff, "en", today=date(2031, 1, 1))
    assert [(r["title"], r["read"]) for r in next_year][:2] == [  # next year's anniversary is new again
        ("11th anniversary of the Prague pact", False), ("Expires: Later", False)]
    add_user(admin, "boss", "leadership")
    assert inbox.unread_count(actor_by_name("boss"), today=TODAY) == 2  # no records of theirs: no changes


def test_activity_feed(engine, admin, staff):
    visit = writes.create(staff, "visits", {"title_en": "Guests", "title_zh": "貴賓", "start_on": date(2030, 1, 5)})
    writes.update(admin, "visits", visit, {"status_reason": "x"}, 1)
    rows = recent("en", exclude_user_id=staff.id)
    assert [(r["who"], r["action"], r["kind"], r["what"], r["page"], r["record_id"]) for r in rows] == [
        ("admin", "changed", "visit", "Guests", "visits", visit)]
    zh = recent("zh-TW", kind="visits", record_id=visit)
    assert [(r["who"], r["what"]) for r in zh] == [("admin", "貴賓"), ("clerk", "貴賓")]
    assert zh[0]["kind"] == "來訪團" and zh[1]["action"] == "新增"


def test_a_record_assigned_to_me_and_changes_to_records_i_own(engine, admin, staff):
    from crm.store import labels

    visit = writes.create(admin, "visits", {"title_en": "Riga delegation", "start_on": date(2030, 3, 1)})
    version = labels.set_owner(admin, "visits", visit, staff.id, 1)  # admin makes clerk the owner
    assert [(r["category"], r["title"]) for r in inbox.items(staff, "en", today=TODAY)] == [
        ("assigned", "admin made you the owner — visit Riga delegation")]
    writes.update(admin, "visits", visit, {"headcount": 4}, version)  # then changes the record clerk owns
    mine = inbox.items(staff, "zh-TW", today=TODAY)
    assert [r["category"] for r in mine] == ["assigned", "changes"] and all(r["record_id"] == visit for r in mine)
    assert mine[0]["title"].startswith("admin 指派您為負責人")
    assert [r["category"] for r in inbox.items(admin, "en", today=TODAY)] == []  # one's own doings are not news
    labels.set_owner(admin, "visits", visit, None, version + 1)  # no longer clerk's: nothing assigned, no changes
    assert inbox.items(staff, "en", today=TODAY) == []
