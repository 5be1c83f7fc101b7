"""Video conferences and international meetings: organiser, time and zone, mode, our role."""

from crm.records.formspec import MODE, NOTES, ChildEditor, F, FormSpec, Section, event_sections
from crm.records.import_columns import EVENT_COMMON, column

_names, _dates = event_sections()

# the columns an import reads (header spellings in English and Chinese)
IMPORT_COLUMNS = (
    *EVENT_COMMON, column("mode", "choice:meeting_mode", "mode|format|形式|方式"),
    column("topic", "text", "topic|主題|議題"),
    column("organiser_org_id", "org", "organiser|organizer|host organisation|主辦單位|主辦"),
    column("organiser_city_id", "city", "city|host city|城市|主辦城市"),
    column("participant_cities_count", "int", "cities|participating cities|參與城市數"),
    column("our_role", "text", "our role|role|角色"),
)

SPEC = FormSpec(
    kind="conferences",
    sections=(
        _names, _dates,
        Section("rec.section.meeting", (F("organiser_org_id", "ref", ref="organisations"),
                                        F("organiser_city_id", "ref", ref="cities"), MODE,
                                        F("switched_to_video", "bool"), F("starts_at", "datetime"), F("timezone"),
                                        F("duration_minutes", "int"), F("participant_cities_count", "int"))),
        Section("rec.section.purpose", (F("topic", "area"), F("our_role"), F("participants", "area")), columns=1),
        NOTES,
    ),
    children=(ChildEditor("people", "rec.child.conference_people", (F("person_id", "ref", ref="people"),)),),
    list_columns=("start_on", "organiser_org_id", "mode", "status"),
    document_columns=("title_zh", "title_en", "start_on", "status", "organiser_org_id", "mode", "topic"),
    import_columns=IMPORT_COLUMNS,
    kind_filter=MODE,
    sort_fields=("start_on", "id"),
)
