"""Visits received: a group counted by its size, its leader, where it comes from, who hosted it."""

from crm.records.formspec import NOTES, ChildEditor, F, FormSpec, Section, event_sections
from crm.records.import_columns import COUNTRY, EVENT_COMMON, HEADCOUNT, column

_names, _dates = event_sections()

# the columns an import reads (header spellings in English and Chinese)
IMPORT_COLUMNS = (
    *EVENT_COMMON, HEADCOUNT, COUNTRY,
    column("origin_city_id", "city", "city|from city|origin|城市|來自城市|來訪城市"),
    column("organisation_id", "org", "organisation|organization|institution|機構|單位|來訪單位|團體"),
    column("leader_name", "text", "leader|head|guest|name|姓名|團長|貴賓|來賓|領隊|貴賓姓名"),
    column("leader_title", "text", "leader title|position|職稱|職位"),
    column("host", "text", "host|received by|接待|接見|接待人"), column("purpose", "text", "purpose|目的|來訪目的"),
)

SPEC = FormSpec(
    kind="visits",
    sections=(
        _names, _dates,
        Section("rec.section.people", (F("leader_person_id", "ref", ref="people"), F("leader_name"), F("leader_title"),
                                       F("organisation_id", "ref", ref="organisations"),
                                       F("origin_city_id", "ref", ref="cities"), F("country_code", "country"),
                                       F("headcount", "int"), F("headcount_approx", "bool"))),
        Section("rec.section.purpose", (F("host"), F("purpose", "area")), columns=1),
        NOTES,
    ),
    children=(ChildEditor("people", "rec.child.visit_people", (F("person_id", "ref", ref="people"),)),),
    list_columns=("start_on", "origin_city_id", "country_code", "headcount", "status"),
    document_columns=("title_zh", "title_en", "start_on", "status", "origin_city_id", "organisation_id", "leader_name",
                      "headcount"),
    import_columns=IMPORT_COLUMNS,
    sort_fields=("start_on", "headcount", "id"),
)
