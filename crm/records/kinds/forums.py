"""Forums (雙城論壇): a counterpart city, a theme, sub-forums."""

from crm.records.formspec import MODE, NOTES, ChildEditor, F, FormSpec, Section, event_sections

_names, _dates = event_sections()

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
    kind_filter=MODE,
    sort_fields=("start_on", "id"),
)
