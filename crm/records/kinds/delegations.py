"""Outbound delegations: leader, headcount without names, an ordered itinerary, people met, outcomes."""

from crm.records.formspec import NOTES, ChildEditor, F, FormSpec, Section, event_sections
from crm.records.import_columns import EVENT_COMMON, HEADCOUNT, column

_names, _dates = event_sections()

# the columns an import reads (header spellings in English and Chinese)
IMPORT_COLUMNS = (
    *EVENT_COMMON, HEADCOUNT, column("leader_name", "text", "leader|led by|團長|率團|領隊"),
    column("leader_title", "text", "leader title|職稱"),
    column("dignitaries_count", "int", "dignitaries|dignitaries met|會晤政要|拜會人數"),
    column("purposes", "text", "purpose|purposes|目的|出訪目的"), column("outcomes", "text", "outcomes|results|成果"),
)

SPEC = FormSpec(
    kind="delegations",
    sections=(
        _names, _dates,
        Section("rec.section.people", (F("leader_person_id", "ref", ref="people"), F("leader_name"), F("leader_title"),
                                       F("headcount", "int"), F("headcount_approx", "bool"),
                                       F("dignitaries_count", "int"), F("dignitaries_approx", "bool"))),
        Section("rec.section.makeup", (F("officials_count", "int"), F("business_count", "int"),
                                       F("press_count", "int")), columns=3),
        Section("rec.section.purpose", (F("purposes", "area"), F("outcomes", "area")), columns=1),
        NOTES,
    ),
    children=(
        ChildEditor("itinerary", "rec.child.itinerary", (
            F("city_id", "ref", ref="cities"), F("arrive_on", "date"), F("depart_on", "date"), F("purpose"),
        ), ordered=True),
        ChildEditor("people", "rec.child.delegation_people", (
            F("person_id", "ref", ref="people"), F("role", "choice", choices=("met", "member"), prefix="role"),
        )),
    ),
    list_columns=("start_on", "end_on", "leader_name", "headcount", "status"),
    document_columns=("title_zh", "title_en", "start_on", "end_on", "status", "leader_name", "headcount", "itinerary"),
    import_columns=IMPORT_COLUMNS,
    sort_fields=("start_on", "end_on", "headcount", "id"),
)
