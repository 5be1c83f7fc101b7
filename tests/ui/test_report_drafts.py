"""The report page's drafts by role (AppTest): leadership lists and opens the office's drafts and downloads them,
but is offered no save, delete or issue; staff's own draft opens with its save controls; a bad name is named."""

from crm.accounts.users import actor_by_name, add_user, ensure_local_user
from crm.documents.report.drafts import issue_report_draft, report_drafts, save_report_draft
from tests.support.apptest import errors, open_page

PK = "2020H1_en"


def _buttons(at) -> set[str]:
    return {b.key for b in at.button if b.key}


def test_leadership_reads_and_opens_drafts_but_writes_nothing(demo_url):
    admin = ensure_local_user()
    add_user(admin, "clerk", "staff", "amber harbour lantern 7")
    add_user(admin, "mayor", "leadership", "amber harbour lantern 7")
    clerk = actor_by_name("clerk")
    draft = save_report_draft(clerk, "2020H1", "en", "For the mayor", "The text the mayor reads.")
    issued = save_report_draft(clerk, "2020H1", "en", "Issued one", "The issued text.")
    issue_report_draft(clerk, issued)

    at = open_page("report", "en", user="mayor", query={"period": "2020H1"})
    assert errors(at) == []
    keys = _buttons(at)
    assert {f"rep-{PK}-open-{draft}", f"rep-{PK}-open-{issued}", f"rep-{PK}-regen"} <= keys
    assert not {k for k in keys if "-save" in k or "-del-" in k or k.endswith("-issue")}, keys
    assert not [t for t in at.text_input if t.key == f"rep-{PK}-name"]  # no name to save under
    at.button(key=f"rep-{PK}-open-{draft}").click().run()
    assert errors(at) == [] and at.text_area(key=f"rep-{PK}-text").value == "The text the mayor reads."
    at.button(key=f"rep-{PK}-open-{issued}").click().run()
    shown = [a for a in at.text_area if a.key == f"rep-{PK}-issued-{issued}"]
    assert shown and shown[0].value == "The issued text." and shown[0].disabled
    assert any("issued by clerk" in s.value for s in at.success)


def test_staff_saves_a_draft_and_an_empty_name_is_refused_by_name(demo_url):
    admin = ensure_local_user()
    add_user(admin, "clerk", "staff", "amber harbour lantern 7")
    at = open_page("report", "en", user="clerk", query={"period": "2020H1"})
    assert errors(at) == []
    at.text_input(key=f"rep-{PK}-name").input("   ").run()
    at.button(key=f"rep-{PK}-save-new").click().run()
    assert any(e.value.startswith("Draft name: This field is required") for e in at.error)
    at.text_input(key=f"rep-{PK}-name").input("Clerk's first go").run()
    at.button(key=f"rep-{PK}-save-new").click().run()
    assert errors(at) == [] and [d.name for d in report_drafts(actor_by_name("clerk"), "2020H1", "en")] == [
        "Clerk's first go"]
    keys = _buttons(at)
    draft = report_drafts(actor_by_name("clerk"), "2020H1", "en")[0].id
    assert {f"rep-{PK}-save", f"rep-{PK}-issue", f"rep-{PK}-del-{draft}"} <= keys
