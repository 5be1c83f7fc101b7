"""The merge page offers its likely duplicates; "Merge these" puts the pair in the merge flow."""

from crm.store import writes
from tests.support.apptest import errors, open_page


def test_merge_these_fills_the_pair_and_the_merge_goes_through(sqlite_url, admin):
    keep = writes.create(admin, "people", {"name_en": "Yang Il-mo", "name_zh": "楊一模"})
    remove = writes.create(admin, "people", {"name_en": "YANG IL-MO"})
    writes.create(admin, "people", {"name_en": "Someone Else"})
    at = open_page("merge", "en")
    at.radio(key="merge_kind").set_value("people").run()
    assert not errors(at)
    assert any("same name" in c.value for c in at.caption), [c.value for c in at.caption]
    at.button(key=f"dup-people-{keep}-{remove}").click().run()
    assert (at.session_state["merge_people_a"], at.session_state["merge_people_b"]) == (keep, remove)
    at.button(key="merge_do").click().run()
    assert not errors(at)
    from crm.records.queries import get_record

    assert get_record("people", remove)["deleted_at"] is not None
    assert not [b for b in at.button if str(b.key).startswith("dup-people-")]  # the pair is gone from the list
