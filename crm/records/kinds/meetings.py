"""Committee meetings (國際事務委員會): number, chair, agenda items and their presenters."""

from crm.records.formspec import NOTES, ChildEditor, F, FormSpec, Section, event_sections
from crm.records.import_columns import EVENT_COMMON, column

_names, _dates = event_sections()

# the columns an import reads (header spellings in English and Chinese)
IMPORT_COLUMNS = (
    *EVENT_COMMON, column("meeting_number", "int", "number|meeting number|次|屆次|會次"),
    column("chair", "text", "chair|主席"),
)

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
    document_columns=("title_zh", "title_en", "start_on", "status", "meeting_number", "chair", "agenda"),
    import_columns=IMPORT_COLUMNS,
    sort_fields=("start_on", "meeting_number", "id"),
)
