"""Exchange programmes (人才交流): a counterpart city, the agreement behind it, cohorts with their own dates."""

from crm.records.formspec import COHORT_STATUS, NOTES, ChildEditor, F, FormSpec, Section, event_sections
from crm.records.import_columns import EVENT_COMMON, column

_names, _dates = event_sections()

# the columns an import reads (header spellings in English and Chinese)
IMPORT_COLUMNS = (
    *EVENT_COMMON, column("counterpart_city_id", "city", "city|counterpart city|城市|對象城市"),
    column("description", "text", "description|內容|說明"),
)

SPEC = FormSpec(
    kind="exchanges",
    sections=(
        _names, _dates,
        Section("rec.section.links", (F("counterpart_city_id", "ref", ref="cities"),
                                      F("agreement_id", "ref", ref="agreements"), F("description", "area"))),
        NOTES,
    ),
    children=(ChildEditor("cohorts", "rec.child.cohorts", (
        F("planned_start", "date"), F("planned_end", "date"), F("start_on", "date"), F("end_on", "date"),
        F("participants_count", "int"), F("participants"), COHORT_STATUS, F("status_reason"),
        F("postponed_to", "partial", shown_when=("status", ("postponed",))),
    ), ordered=True),),
    list_columns=("start_on", "counterpart_city_id", "status"),
    document_columns=("title_zh", "title_en", "start_on", "end_on", "status", "counterpart_city_id", "status_reason"),
    import_columns=IMPORT_COLUMNS,
    sort_fields=("start_on", "id"),
)
