"""Committee meetings: the walk; agenda items and presenters on the record."""

from datetime import date

from crm.store import writes
from tests.support.apptest import errors, open_page
from tests.support.records_walk import walk


def test_a_meeting_through_create_edit_status_delete_restore(demo_url):
    walk("meetings", {"title_en": "International affairs committee, 2nd meeting 2020",
                      "title_zh": "國際事務委員會 109 年第 2 次會議", "start_on": date(2020, 10, 8), "meeting_number": 2},
         search="2nd meeting", edit={"chair": "Secretary-General"}, status=("held", {}))


def test_agenda_items_show_with_their_presenters(demo_url, admin):
    mid = writes.create(admin, "meetings", {"title_zh": "測試會議", "start_on": date(2020, 4, 8), "agenda": [
        {"title": "2020 Taipei Lantern Festival", "presenter": "Department of Information and Tourism"}]})
    at = open_page("meetings", "en", query={"id": str(mid)})
    assert errors(at) == []
    assert at.dataframe[0].value.iloc[0]["Presenter (if not on file)"] == "Department of Information and Tourism"


def test_a_presenter_on_file_is_named_in_the_report_and_the_list_export(demo_url, admin):
    from crm.documents.exports import list_export
    from crm.documents.report.data import report_text
    from crm.records.queries import list_records

    kao = list_records("people", q="Kao Ying-mao").rows[0]["id"]
    tcg = list_records("organisations", q="Taipei City Government").rows[0]["id"]
    writes.create(admin, "meetings", {"title_zh": "第 3 次會議", "title_en": "3rd meeting", "start_on": date(2020, 5, 8),
                                      "status": "held", "agenda": [
                                          {"title": "Smart city", "presenter_person_id": kao},
                                          {"title": "Zoo exchange", "presenter_org_id": tcg},
                                          {"title": "Lantern festival", "presenter": "Tourism office"}]})
    text = report_text("2020H1", "zh-TW")
    assert "Smart city（國際事務委員會委員高英茂）" in text
    assert "Zoo exchange（臺北市政府）" in text and "Lantern festival（Tourism office）" in text
    csv_text = list_export("meetings", "csv", "en", q="3rd meeting").decode("utf-8-sig")
    assert "Smart city (Kao Ying-mao)" in csv_text and "Zoo exchange (Taipei City Government)" in csv_text


def test_an_earlier_state_is_restored_from_the_history(demo_url, admin):
    from crm.records.queries import get_record, history

    mid = writes.create(admin, "meetings", {"title_en": "Committee meeting", "chair": "Chair A"})
    writes.update(admin, "meetings", mid, {"chair": "Chair B"}, 1)
    at = open_page("meetings", "en", query={"id": str(mid)})
    created = history("meetings", mid)[-1]
    frames = [df.value for df in at.dataframe]
    assert any(("Chair A" in f.to_string() and "Chair B" in f.to_string()) for f in frames)  # before → after
    at.button(key=f"revert-{created['id']}").click().run()
    assert errors(at) == [] and get_record("meetings", mid)["chair"] == "Chair A"
    assert history("meetings", mid)[0]["action"] == "revert"
