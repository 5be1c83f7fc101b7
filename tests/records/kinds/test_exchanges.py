"""Exchange programmes: the walk (postponed with a reason and new dates), cohorts on the record."""

from datetime import date

from crm.records.matching import city_by_name
from crm.records.queries import list_records, status_history
from tests.support.records_walk import walk


def test_an_exchange_through_create_edit_postpone_delete_restore(demo_url):
    kasama = city_by_name("Kasama", "JP")
    mou = list_records("agreements", q="kasama").rows[0]["id"]
    rid = walk("exchanges", {"title_en": "Second staff exchange with Kasama", "title_zh": "笠間市第二梯次人才交流",
                             "planned_start": date(2020, 10, 1), "planned_end": date(2021, 3, 31),
                             "counterpart_city_id": kasama, "agreement_id": mou},
               search="Second staff exchange", edit={"description": "One official each way"}, city_id=kasama,
               status=("postponed", {"reason": "COVID-19", "when": "2021-10-01", "end": date(2022, 3, 31)}))
    history = status_history("exchanges", rid)
    assert history[-1]["to_status"] == "postponed" and history[-1]["reason"] == "COVID-19"
    assert str(history[-1]["new_end"]) == "2022-03-31"
