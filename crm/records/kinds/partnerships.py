"""Partner-city relationships: council approval, then one or more signings (a remote signing has two)."""

from crm.models.kinds import PARTNERSHIP_KINDS, PARTNERSHIP_STATUSES
from crm.records.formspec import NOTES, SIGN_MODE, ChildEditor, F, FormSpec, Section, status_field
from crm.records.import_columns import COUNTRY, NOTES_COLUMN, column

KIND = F("kind", "choice", choices=PARTNERSHIP_KINDS, prefix="partnership_kind")
PARTIES = ("home", "partner", "both")

# the columns an import reads (header spellings in English and Chinese)
IMPORT_COLUMNS = (
    column("city_id", "city", "city|partner city|sister city|城市|締盟城市|姊妹市|夥伴城市|市名", "Prague / 布拉格"),
    COUNTRY,
    column("kind", "choice:partnership_kind", "type|kind|relationship|類型|類別|關係|締盟類型", "sister / 姊妹市"),
    column("status", "choice:status", "status|狀態"),
    column("established_on", "date", "established|date established|signed|signed on|締結日期|締盟日期|簽約日期|締約日期"),
    column("established_year", "year", "year|year established|year_established|締結年|締盟年|締盟年份|年份|年度"),
    column("council_approved_on", "date", "council approval|council approved|議會通過|議會同意日期|市議會通過日期"),
    column("title_en", "text", "english title|title"), column("title_zh", "text", "中文名稱|名稱"), NOTES_COLUMN,
)

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
        F("place_city_id", "ref", ref="cities"), F("signatory_person_id", "ref", ref="people"), F("signatory"),
        F("partner_signatory_person_id", "ref", ref="people"), F("partner_signatory"),
        F("delegation_id", "ref", ref="delegations"),
    ), ordered=True),),
    list_columns=("kind", "council_approved_on", "established_on", "status"),
    document_columns=("city_id", "kind", "status", "council_approved_on", "established_on", "established_year",
                      "signings"),
    import_columns=IMPORT_COLUMNS,
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
         "partner_signatory": partner_signatory},
    ]


def signers_text(row: dict, lang: str, person_name) -> str:
    """The signers of one signing row as one text: a person on file by `person_name(id)`, else as written."""
    names = [(person_name(person) if person else "") or name for name, person in signers(row)]
    return ("、" if lang == "zh-TW" else ", ").join(n for n in names if n)


def signers(row: dict) -> list[tuple[str, int | None]]:
    """Who signed in one signing row, home side first: (name as written, person on file)."""
    pairs = [(row.get("signatory") or "", row.get("signatory_person_id")),
             (row.get("partner_signatory") or "", row.get("partner_signatory_person_id"))]
    return [(name, person) for name, person in pairs if name or person]
