"""Committee meetings (國際事務委員會): number, chair, agenda items and their presenters."""

from crm.records.formspec import NOTES, ChildEditor, F, FormSpec, Section, event_sections

_names, _dates = event_sections()

SPEC = FormSpec(
    kind="meetings",
    sections=(
        _names, _dates,
        Section("rec.section.meeting", (F("meeting_number", "int"), F("chair"))),
        NOTES,
    ),
    children=(ChildEditor("agenda", "rec.child.agenda", (
        F("title"), F("presenter_person_id", "ref", ref="people"), F("presenter_org_id", "ref", ref="organisations"),
        F("presenter"),
    ), ordered=True),),
    list_columns=("start_on", "meeting_number", "chair", "status"),
    sort_fields=("start_on", "meeting_number", "id"),
)
