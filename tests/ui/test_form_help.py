"""Forms: required fields marked, messages that name their field, and help from what is on file (a leader brings
their name, title and organisation, a city its country, an organisation offers its people)."""

from crm.store import writes
from tests.support.apptest import errors, open_page

P = "f-visits-new-0"


def test_required_marks_named_messages_and_what_a_choice_fills(sqlite_url, admin):
    org = writes.create(admin, "organisations", {"name_en": "Seoul National University", "name_zh": "首爾大學"})
    yang = writes.create(admin, "people", {"name_en": "Yang Il-mo", "name_zh": "楊一模", "title_en": "Professor",
                                           "title_zh": "教授", "organisation_id": org})
    seoul = writes.create(admin, "cities", {"name_en": "Seoul", "name_zh": "首爾", "country_code": "KR"})
    at = open_page("visits", "zh-TW", query={"new": "1"})
    assert not errors(at)
    assert at.text_input(key=f"{P}-title_zh").label == "中文名稱"  # the accessible name stays the label
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert f".st-key-{P}-title_zh " in styles and f".st-key-{P}-title_en " in styles  # marked " *" by CSS
    assert f".st-key-{P}-leader_name " not in styles
    assert any("標示 * 者為必填" in c.value for c in at.caption)
    at.selectbox(key=f"{P}-status").set_value("postponed").run()
    at.text_input(key=f"{P}-title_zh").set_value("首爾大學訪問團")
    at.button(key=f"{P}-save").click().run()
    texts = [e.value for e in at.error]
    assert "「狀態原因」為必填。" in texts  # under the field
    assert any("「狀態原因」為必填。" in t and "#field-" in t for t in texts)  # and in the summary, linked
    at.selectbox(key=f"{P}-status").set_value("planned").run()
    at.selectbox(key=f"{P}-organisation_id").set_value(org).run()
    offer = at.button(key=f"{P}-offer-{yang}")  # the organisation's people, offered as the leader
    offer.click().run()
    assert at.selectbox(key=f"{P}-leader_person_id").value == yang
    assert at.text_input(key=f"{P}-leader_title").value == "教授"
    assert at.text_input(key=f"{P}-leader_name").value == "楊一模"
    at.text_input(key=f"{P}-leader_title").set_value("Professor emeritus").run()  # still editable
    at.selectbox(key=f"{P}-origin_city_id").set_value(seoul).run()
    assert at.selectbox(key=f"{P}-country_code").value == "KR"
    assert at.text_input(key=f"{P}-leader_title").value == "Professor emeritus"
    at.button(key=f"{P}-save").click().run()
    assert not errors(at) and not at.error
    from crm.records.queries import list_records

    row = list_records("visits").rows[0]
    assert (row["leader_person_id"], row["leader_title"], row["organisation_id"], row["origin_city_id"],
            row["country_code"]) == (yang, "Professor emeritus", org, seoul, "KR")
