"""Exchange programmes (人才交流): a counterpart city, the agreement behind it, cohorts with their own dates."""

from crm.records.formspec import COHORT_STATUS, NOTES, ChildEditor, F, FormSpec, Section, event_sections

_names, _dates = event_sections()

SPEC = FormSpec(
    kind="exchanges",
    sections=(
        _names, _dates,
        Section("rec.section.links", (F("counterpart_city_id", "ref", ref="cities"),
                                      F("agreement_id", "ref", ref="agreements"), F("description", "area"))),
        NOTES,
    ),
    children=(ChildEditor("cohorts", "rec.child.cohorts", (
        F("planned_start", "date"), F("planned_end", "date"), F("start_on", "date"), F("end_on", "date"),
        F("participants_count", "int"), F("participants"), COHORT_STATUS, F("status_reason"),
        F("postponed_to", "partial", shown_when=("status", ("postponed",))),
    ), ordered=True),),
    list_columns=("start_on", "counterpart_city_id", "status"),
    sort_fields=("start_on", "id"),
)
