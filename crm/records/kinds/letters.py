"""Outreach letters (市長通函): a mailing to a list of contacts, with how many it reached."""

from crm.records.formspec import NOTES, ChildEditor, F, FormSpec, Section, event_sections
from crm.records.import_columns import EVENT_COMMON, column

_names, _dates = event_sections()

# the columns an import reads (header spellings in English and Chinese)
IMPORT_COLUMNS = (
    *EVENT_COMMON, column("sender", "text", "sender|from|發文者|寄件人"), column("summary", "text", "summary|摘要|內容"),
    column("link", "text", "link|url|連結"), column("cities_reached", "int", "cities reached|城市數"),
    column("missions_reached", "int", "missions reached|駐華機構數"),
)

SPEC = FormSpec(
    kind="letters",
    sections=(
        _names, _dates,
        Section("rec.section.letter", (F("sender"), F("link"), F("cities_reached", "int"),
                                       F("missions_reached", "int"), F("summary", "area"))),
        NOTES,
    ),
    children=(ChildEditor("recipients", "rec.child.recipients", (
        F("city_id", "ref", ref="cities"), F("organisation_id", "ref", ref="organisations"),
        F("person_id", "ref", ref="people"),
    )),),
    list_columns=("start_on", "sender", "cities_reached", "missions_reached", "status"),
    document_columns=("title_zh", "title_en", "start_on", "status", "sender", "cities_reached", "missions_reached"),
    import_columns=IMPORT_COLUMNS,
    sort_fields=("start_on", "id"),
)
