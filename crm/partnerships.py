"""Partner-city relationships: council approval, then one or more signings (a remote signing has two)."""

from crm.formspec import NOTES, SIGN_MODE, ChildEditor, F, FormSpec, Section, status_field
from crm.kinds import PARTNERSHIP_KINDS, PARTNERSHIP_STATUSES

KIND = F("kind", "choice", choices=PARTNERSHIP_KINDS, prefix="partnership_kind")
PARTIES = ("home", "partner", "both")

SPEC = FormSpec(
    kind="partnerships",
    sections=(
        Section("rec.section.names", (F("city_id", "ref", ref="cities"), KIND, status_field(PARTNERSHIP_STATUSES),
                                      F("title_zh"), F("title_en"))),
        Section("rec.section.dates", (F("council_approved_on", "date"), F("established_on", "date"),
                                      F("established_year", "int"), F("ended_on", "date"))),
        NOTES,
    ),
    children=(ChildEditor("signings", "rec.child.signings", (
        F("signed_on", "date"), F("party", "choice", choices=PARTIES, prefix="party"), SIGN_MODE,
        F("place_city_id", "ref", ref="cities"), F("signatory"), F("signatory_person_id", "ref", ref="people"),
        F("delegation_id", "ref", ref="delegations"),
    ), ordered=True),),
    list_columns=("kind", "council_approved_on", "established_on", "status"),
    kind_filter=KIND,
    sort_fields=("established_on", "council_approved_on", "id"),
)


def remote_signing(home_date, partner_date, home_place: int | None, partner_place: int | None,
                   home_signatory: str = "", partner_signatory: str = "") -> list[dict]:
    """The two signing rows of a remote signing (each party signs on its own date, in its own city)."""
    return [
        {"signed_on": home_date, "party": "home", "mode": "remote", "place_city_id": home_place,
         "signatory": home_signatory},
        {"signed_on": partner_date, "party": "partner", "mode": "remote", "place_city_id": partner_place,
         "signatory": partner_signatory},
    ]
