"""Video conferences: the walk (with a time and zone), the organiser's page shows them."""

from datetime import date, time

from crm.records.matching import city_by_name
from crm.records.queries import get_record, list_records
from tests.support.records_walk import walk


def test_a_conference_through_create_edit_status_delete_restore(demo_url):
    seoul = city_by_name("Seoul", "KR")
    rid = walk("conferences", {"title_en": "CITYNET webinar on recovery", "title_zh": "城市網復甦線上研討會",
                               "start_on": date(2020, 6, 10), "organiser_city_id": seoul, "mode": "video",
                               "starts_at-d": date(2020, 6, 10), "starts_at-t": time(14, 0),
                               "switched_to_video": True, "status": "confirmed"},
               search="recovery", edit={"our_role": "speaker"}, city_id=seoul,
               status=("held", {}))
    record = get_record("conferences", rid)
    assert record["starts_at"].startswith("2020-06-10") and record["our_role"] == "speaker"
    assert list_records("conferences", q="recovery", extra={"mode": "video"}).total == 1
