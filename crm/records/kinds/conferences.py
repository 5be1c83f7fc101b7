"""Video conferences and international meetings: organiser, time and zone, mode, our role."""

from crm.records.formspec import MODE, NOTES, ChildEditor, F, FormSpec, Section, event_sections

_names, _dates = event_sections()

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
    kind_filter=MODE,
    sort_fields=("start_on", "id"),
)
