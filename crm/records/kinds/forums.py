"""Forums (雙城論壇): a counterpart city, a theme, sub-forums."""

from crm.records.formspec import MODE, NOTES, ChildEditor, F, FormSpec, Section, event_sections
from crm.records.import_columns import EVENT_COMMON, column

_names, _dates = event_sections()

# the columns an import reads (header spellings in English and Chinese)
IMPORT_COLUMNS = (
    *EVENT_COMMON, column("counterpart_city_id", "city", "city|counterpart city|城市|對象城市"),
    column("mode", "choice:meeting_mode", "mode|format|形式"), column("theme", "text", "theme|主題"),
    column("participants_count", "int", "participants|參與人數|人數"),
)

SPEC = FormSpec(
    kind="forums",
    sections=(
        _names, _dates,
        Section("rec.section.meeting", (F("counterpart_city_id", "ref", ref="cities"), MODE,
                                        F("participants_count", "int"), F("theme", "area"))),
        NOTES,
    ),
    children=(ChildEditor("subforums", "rec.child.subforums", (F("title_zh"), F("title_en")), ordered=True),),
    list_columns=("start_on", "counterpart_city_id", "mode", "status"),
    document_columns=("title_zh", "title_en", "start_on", "status", "counterpart_city_id", "mode", "theme"),
    import_columns=IMPORT_COLUMNS,
    kind_filter=MODE,
    sort_fields=("start_on", "id"),
)
