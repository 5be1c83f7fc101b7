"""Form drafts on SQLite and PostgreSQL: one per user, kind and record; replaced, discarded, never seen by another
user; only roles that write records keep them."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from crm import models as m
from crm.errors import PermissionDenied, ValidationFailed
from crm.records.drafts import discard_form_draft, form_draft, form_drafts, save_form_draft
from crm.store import writes

TYPED = {"fields": {"title_zh": "首爾大學教授來訪", "title_en": "Seoul professor", "start_on": "2020-05-21",
                    "headcount": 3},
         "rows": {"people": [{"person_id": 4, "role": "member", "seq": 0}]}}


def _rows(engine) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(m.FormDraft)) or 0)


def test_a_draft_per_user_and_record_replaced_and_discarded(engine, admin, staff):
    visit = writes.create(admin, "visits", {"title_en": "Visit on file"})
    first = save_form_draft(staff, "visits", None, TYPED)  # the create form
    save_form_draft(staff, "visits", visit, {"fields": {"headcount": 12}}, base_version=1)
    save_form_draft(admin, "visits", visit, {"fields": {"headcount": 99}}, base_version=1)
    assert _rows(engine) == 3
    new = form_draft(staff, "visits", None)
    assert new is not None and new.data == TYPED and new.record_id is None and not new.empty
    assert abs(new.saved_at - first) < timedelta(seconds=1) and new.saved_at.tzinfo is not None
    edit = form_draft(staff, "visits", visit)
    assert edit is not None and edit.data == {"fields": {"headcount": 12}} and edit.base_version == 1

    later = datetime.now(UTC) + timedelta(minutes=5)
    save_form_draft(staff, "visits", visit, {"fields": {"headcount": 13, "title_zh": "改過的標題"}}, base_version=2,
                    now=later)
    assert _rows(engine) == 3  # replaced, not added
    edit = form_draft(staff, "visits", visit)
    assert edit is not None and edit.data["fields"] == {"headcount": 13, "title_zh": "改過的標題"}
    assert edit.base_version == 2 and abs(edit.saved_at - later) < timedelta(seconds=1)
    assert [d.record_id for d in form_drafts(staff)] == [visit, None]  # newest first

    assert discard_form_draft(staff, "visits", visit) is True
    assert discard_form_draft(staff, "visits", visit) is False
    assert form_draft(staff, "visits", visit) is None
    assert form_draft(admin, "visits", visit) is not None  # the other user's draft of the same record stays
    assert form_draft(staff, "visits", None) is not None and form_draft(staff, "cities", None) is None


def test_another_user_cannot_see_or_drop_a_draft(engine, admin, staff):
    save_form_draft(staff, "delegations", None, {"fields": {"title_zh": "出訪草稿"}})
    assert form_draft(admin, "delegations", None) is None  # an administrator too: a draft is its user's alone
    assert form_drafts(admin) == []
    assert discard_form_draft(admin, "delegations", None) is False
    assert form_draft(staff, "delegations", None) is not None
    someone = writes.Actor("clerk", "staff", id=None)  # a name without the account's id reads nothing
    with pytest.raises(PermissionDenied):
        form_draft(someone, "delegations", None)


def test_leadership_keeps_no_drafts_and_bad_input_names_the_field(engine, staff, leader):
    for call in (lambda: save_form_draft(leader, "visits", None, {"fields": {"title_en": "x"}}),
                 lambda: form_draft(leader, "visits", None), lambda: discard_form_draft(leader, "visits", None)):
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(ValidationFailed) as bad_kind:
        save_form_draft(staff, "no_such_kind", None, {"fields": {}})
    assert bad_kind.value.first_field == "kind" and "no_such_kind" in bad_kind.value.message("en")
    with pytest.raises(ValidationFailed) as bad_shape:
        save_form_draft(staff, "visits", None, {"values": {}})
    assert bad_shape.value.first_field == "draft"
    with pytest.raises(ValidationFailed) as too_long:
        save_form_draft(staff, "visits", None, {"fields": {"notes": "字" * 600_000}})
    assert "at most" in too_long.value.message("en")
    assert _rows(engine) == 0


def test_drafts_write_no_history(engine, staff):
    with Session(engine) as s:
        before = s.scalar(select(func.count()).select_from(m.AuditEntry))
    save_form_draft(staff, "visits", None, TYPED)
    discard_form_draft(staff, "visits", None)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(m.AuditEntry)) == before  # scratch data, not a write
