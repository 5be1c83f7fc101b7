"""Outreach letters (市長通函): a mailing to a list of contacts, with how many it reached."""

from crm.records.formspec import NOTES, ChildEditor, F, FormSpec, Section, event_sections

_names, _dates = event_sections()

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
    sort_fields=("start_on", "id"),
)
