"""Report drafts on SQLite and PostgreSQL: saved and listed per period and language, re-opened, replaced only by
their author or an administrator, issued read-only with the figures they were built from (audited); leadership
reads and never writes."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session

from crm import models as m
from crm.documents.report.data import report_text
from crm.documents.report.drafts import (
    delete_report_draft,
    issue_report_draft,
    may_change,
    report_counts,
    report_draft,
    report_drafts,
    save_report_draft,
)
from crm.errors import NotFound, PermissionDenied, ValidationFailed
from crm.periods import parse_period
from crm.records.audit import record_label
from crm.store import writes

H1 = parse_period("2020H1")


@pytest.fixture
def guests(engine, admin):
    for day, people in ((date(2020, 3, 2), 5), (date(2020, 5, 29), 7)):
        writes.create(admin, "visits", {"title_en": f"group {day}", "start_on": day, "headcount": people,
                                        "status": "held"})
    return H1


def test_drafts_are_saved_listed_and_reopened_per_period_and_language(guests, admin, staff, leader):
    text = report_text(guests, "zh-TW") + "\n本段由承辦人補充：疫情期間改以視訊接待。"
    first = save_report_draft(staff, guests, "zh-TW", "109 年上半年草稿 10:42", text)
    later = datetime.now(UTC) + timedelta(minutes=3)
    second = save_report_draft(admin, "2020H1", "zh-TW", "  主任修訂  ", text + "\n再修一次", now=later)
    save_report_draft(staff, guests, "en", "2020 H1 — draft", report_text(guests, "en"))
    save_report_draft(staff, "2020H2", "zh-TW", "下半年", "下半年的文字")

    listed = report_drafts(leader, "109H1", "zh-TW")  # the ROC code names the same half-year
    assert [(d.id, d.name, d.username, d.text) for d in listed] == [(second, "主任修訂", "admin", ""),
                                                                   (first, "109 年上半年草稿 10:42", "clerk", "")]
    opened = report_draft(leader, first)  # leadership reads the office's drafts
    assert opened.text == text and opened.period == "2020H1" and opened.lang == "zh-TW" and not opened.issued
    assert opened.counts == report_counts(guests) and opened.counts["visits_groups"] == 2
    assert opened.counts["visits_people"] == 12
    assert [d.name for d in report_drafts(staff, guests, "en")] == ["2020 H1 — draft"]


def test_a_draft_is_replaced_by_its_author_or_an_admin_and_deleted(guests, admin, staff):
    from crm.accounts.users import actor_by_name, add_user

    add_user(admin, "clerk2", "staff", "amber harbour lantern 7")
    other = actor_by_name("clerk2")
    draft = save_report_draft(staff, guests, "en", "mine", "first text")
    save_report_draft(staff, guests, "en", "mine, again", "second text", draft_id=draft)
    assert (report_draft(staff, draft).name, report_draft(staff, draft).text) == ("mine, again", "second text")
    with pytest.raises(PermissionDenied) as refused:
        save_report_draft(other, guests, "en", "taken over", "x", draft_id=draft)
    assert "clerk" in refused.value.message("en")
    with pytest.raises(PermissionDenied):
        delete_report_draft(other, draft)
    assert not may_change(other, report_draft(other, draft)) and may_change(admin, report_draft(admin, draft))
    save_report_draft(admin, guests, "en", "edited by admin", "third text", draft_id=draft)
    assert report_draft(staff, draft).username == "clerk"  # still the author's draft
    delete_report_draft(staff, draft)
    with pytest.raises(NotFound):
        report_draft(staff, draft)
    assert report_drafts(staff, guests, "en") == []


def test_an_issued_report_is_read_only_with_its_figures_and_audited(guests, engine, admin, staff):
    text = report_text(guests, "zh-TW")
    draft = save_report_draft(staff, guests, "zh-TW", "定稿版", text)
    built_from = report_counts(guests)
    writes.create(admin, "visits", {"title_en": "late entry", "start_on": date(2020, 6, 1), "headcount": 40,
                                    "status": "held"})
    issued = issue_report_draft(staff, draft)
    assert issued.issued and issued.issued_by == "clerk" and issued.counts == built_from  # not the later figures
    assert report_counts(guests)["visits_people"] == built_from["visits_people"] + 40
    for change in (lambda: save_report_draft(admin, guests, "zh-TW", "改", "改過", draft_id=draft),
                   lambda: delete_report_draft(admin, draft), lambda: issue_report_draft(admin, draft)):
        with pytest.raises(PermissionDenied) as refused:
            change()
        assert "定稿版" in refused.value.message("zh-TW")
    kept = report_draft(staff, draft)
    assert kept.text == issued.text == text != report_text(guests, "zh-TW")  # the text as issued, not regenerated
    assert kept.issued_at is not None and kept.counts == built_from and not may_change(admin, kept)
    with Session(engine) as s:
        entries = s.scalars(select(m.AuditEntry).where(m.AuditEntry.kind == "report")).all()
    assert [(e.action, e.username, e.record_id) for e in entries] == [("issue", "clerk", draft)]
    assert entries[0].after["counts"] == built_from and entries[0].after["text"] == issued.text
    assert record_label(entries[0].model_dump()) == "定稿版"


def test_leadership_reads_but_never_saves_deletes_or_issues(guests, staff, leader):
    draft = save_report_draft(staff, guests, "en", "for the mayor", "text")
    for write in (lambda: save_report_draft(leader, guests, "en", "mine", "text"),
                  lambda: save_report_draft(leader, guests, "en", "mine", "text", draft_id=draft),
                  lambda: delete_report_draft(leader, draft), lambda: issue_report_draft(leader, draft)):
        with pytest.raises(PermissionDenied):
            write()
    assert report_draft(leader, draft).name == "for the mayor" and not report_draft(leader, draft).issued
    with pytest.raises(PermissionDenied):
        report_drafts(writes.Actor("nobody", "leadership", id=None), guests, "en")


def test_bad_input_names_the_field(guests, staff):
    for kwargs, field in (({"name": "  "}, "name"), ({"name": "x" * 121}, "name"), ({"text": " \n "}, "text"),
                          ({"lang": "fr"}, "lang"), ({"period": "2020H3"}, "period")):
        args = {"period": guests, "lang": "en", "name": "ok", "text": "ok", **kwargs}
        with pytest.raises(ValidationFailed) as bad:
            save_report_draft(staff, args["period"], args["lang"], args["name"], args["text"])
        assert bad.value.first_field == field, kwargs
    assert report_drafts(staff, guests, "en") == []
