"""Visits received: a group counted by its size, its leader, where it comes from, who hosted it."""

from crm.records.formspec import NOTES, ChildEditor, F, FormSpec, Section, event_sections

_names, _dates = event_sections()

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
    sort_fields=("start_on", "headcount", "id"),
)
