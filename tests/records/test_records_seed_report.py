"""Done-when check: every item of the seed report's section 三 recorded through the screens alone
(AppTest, on an empty database, mostly in Chinese), then found again from its city's dossier."""

from datetime import date, time

from streamlit.testing.v1 import AppTest

from crm.i18n import t
from crm.records.formspec import row_values, spec_for
from crm.records.queries import get_record, list_records, status_history
from tests.support.apptest import errors, open_page
from tests.support.records_walk import fill, links, record_id

CITIES = {  # name_en: (name_zh, country) — coordinates come from the gazetteer
    "Taipei": ("臺北", "TW"),
    "Prague": ("布拉格", "CZ"),
    "Riga": ("里加", "LV"),
    "Tallinn": ("塔林", "EE"),
    "Helsinki": ("赫爾辛基", "FI"),
    "Lima": ("利馬", "PE"),
    "Kasama": ("笠間市", "JP"),
    "Seoul": ("首爾", "KR"),
    "Charlottesville": ("夏律第鎮", "US"),
    "Tegucigalpa": ("德古斯加巴", "HN"),
    "Singapore": ("新加坡", "SG"),
    "Shanghai": ("上海", "CN"),
    "Makati": ("馬卡蒂", "PH"),
    "Atlanta": ("亞特蘭大", "US"),
    "Bratislava": ("布拉提斯拉瓦", "SK"),
    "Jakarta": ("雅加達", "ID"),
    "Barcelona": ("巴塞隆納", "ES"),
}


def save_new(kind: str, values: dict, lang: str = "zh-TW", children: dict | None = None) -> int:
    """Fill the create form of `kind` (child rows as the editor would send them), save, return the new id."""
    at = open_page(kind, lang, query={"new": "1"})
    prefix = f"f-{kind}-new-0"
    fill(at, prefix, values)
    editors = spec_for(kind)
    for key, rows in (children or {}).items():  # the rows as the row forms keep them (typed values)
        editor = editors.child(key)
        codes = {t(f"{c.prefix}.{code}", lang): code for c in editor.columns if c.widget == "choice" for code in c.choices}
        coded = [{k: codes.get(v, v) if isinstance(v, str) else v for k, v in row.items()} for row in rows]
        at.session_state[f"{prefix}-{key}-rows"] = [row_values(editor, row) for row in coded]
    at.button(key=f"{prefix}-save").click().run()
    assert errors(at) == [] and not at.error, [e.value for e in at.error]
    return record_id(at)


def change_status(at: AppTest, kind: str, rid: int, status: str, **extra) -> None:
    version = get_record(kind, rid)["version"]
    key = f"st-{kind}-{rid}-v{version}"
    at.selectbox(key=f"{key}-to").set_value(status).run()  # the new-date field follows the status
    for name, value in extra.items():
        (at.text_input if name in ("reason", "when") else at.date_input)(key=f"{key}-{name}").set_value(value)
    at.button(key=f"{key}-go").click().run()
    assert not at.error, [e.value for e in at.error]


def ref(label: str, rid: int) -> str:
    return f"{label} · #{rid}"


def dossier_links(city: int, lang: str = "zh-TW") -> list[str]:
    at = open_page("cities", lang, query={"id": str(city)})
    assert errors(at) == []
    return links(at)


def test_section_three_through_the_screens_and_back_from_each_city(sqlite_url):
    c = {en: save_new("cities", {"name_en": en, "name_zh": zh, "country_code": cc}) for en, (zh, cc) in CITIES.items()}
    assert get_record("cities", c["Kasama"])["coord_source"] == "gazetteer"
    org = {
        "citynet": save_new(
            "organisations",
            {"name_en": "CITYNET", "name_zh": "城市網", "kind": "international_organisation", "city_id": c["Seoul"]},
        ),
        "uclg": save_new(
            "organisations",
            {
                "name_en": "United Cities and Local Governments",
                "acronym": "UCLG",
                "kind": "international_organisation",
                "city_id": c["Barcelona"],
            },
            "en",
        ),
        "aspac": save_new(
            "organisations",
            {
                "name_en": "UCLG ASPAC",
                "name_zh": "城市與地方政府聯盟亞太分會",
                "kind": "international_organisation",
                "city_id": c["Jakarta"],
            },
        ),
        "snu": save_new(
            "organisations",
            {"name_en": "Seoul National University", "name_zh": "首爾大學", "kind": "university", "city_id": c["Seoul"]},
        ),
        "uva": save_new(
            "organisations",
            {
                "name_en": "University of Virginia",
                "name_zh": "維吉尼亞大學",
                "kind": "university",
                "city_id": c["Charlottesville"],
            },
        ),
        "sg": save_new(
            "organisations",
            {
                "name_en": "Singapore Trade Office in Taipei",
                "name_zh": "新加坡駐台北商務辦事處",
                "kind": "foreign_mission",
                "city_id": c["Taipei"],
                "country_code": "SG",
            },
        ),
        "aim": save_new(
            "organisations",
            {
                "name_en": "Asian Institute of Management",
                "name_zh": "亞洲管理學院",
                "kind": "university",
                "city_id": c["Makati"],
            },
        ),
    }
    p = {
        "ko": save_new(
            "people", {"name_zh": "柯文哲", "name_en": "Ko Wen-je", "title_zh": "臺北市長", "city_id": c["Taipei"]}
        ),
        "hrib": save_new(
            "people", {"name_en": "Zdeněk Hřib", "name_zh": "賀吉普", "title_zh": "布拉格市長", "city_id": c["Prague"]}
        ),
        "yang": save_new(
            "people",
            {
                "name_en": "Yang Il-mo",
                "name_zh": "楊一模",
                "title_zh": "教授",
                "organisation_id": org["snu"],
                "city_id": c["Seoul"],
            },
        ),
        "lin": save_new(
            "people",
            {
                "name_en": "Shiao-Ru Lin",
                "name_zh": "林夏如",
                "title_zh": "教授",
                "organisation_id": org["uva"],
                "city_id": c["Charlottesville"],
            },
        ),
        "bautista": save_new("people", {"name_en": "Eny Bautista", "title_zh": "宏都拉斯駐臺大使", "country_code": "HN"}),
        "yip": save_new(
            "people", {"name_en": "Yip Wei Kiat", "title_en": "Representative", "organisation_id": org["sg"]}, "en"
        ),
    }

    # 1(1) the Europe trip: about 53 people, 4 cities in order, about 30 dignitaries, the Prague mayor met
    trip = save_new(
        "delegations",
        {
            "title_zh": "柯市長率團訪問歐洲 4 國 4 城市",
            "title_en": "Mayor's visit to Europe 2020",
            "status": "held",
            "start_on": date(2020, 1, 12),
            "end_on": date(2020, 1, 22),
            "leader_person_id": p["ko"],
            "headcount": 53,
            "headcount_approx": True,
            "dignitaries_count": 30,
            "dignitaries_approx": True,
            "purposes": "姊妹市締約；重申里加姊妹市情誼；e 化政府；5G 與長照",
            "outcomes": "姊妹市盟約 1 份；MOU 3 份",
        },
        children={
            "itinerary": [
                {"city_id": ref("布拉格", c["Prague"]), "arrive_on": "2020-01-13"},
                {"city_id": ref("里加", c["Riga"]), "purpose": "重申姊妹市情誼"},
                {"city_id": ref("塔林", c["Tallinn"]), "purpose": "e 化政府"},
                {"city_id": ref("赫爾辛基", c["Helsinki"]), "purpose": "5G；長照"},
            ],
            "people": [
                {"person_id": ref("柯文哲", p["ko"]), "role": "member"},
                {"person_id": ref("賀吉普", p["hrib"]), "role": "met"},
            ],
        },
    )
    assert [s["city_id"] for s in get_record("delegations", trip)["itinerary"]] == [
        c["Prague"],
        c["Riga"],
        c["Tallinn"],
        c["Helsinki"],
    ]
    # 1(3) Prague: council approval, then signed in person on the trip; Lima: signed remotely on two dates
    prague = save_new(
        "partnerships",
        {
            "city_id": c["Prague"],
            "kind": "sister",
            "status": "active",
            "council_approved_on": date(2019, 12, 24),
            "established_on": date(2020, 1, 13),
        },
        children={
            "signings": [
                {
                    "signed_on": "2020-01-13",
                    "party": "雙方",
                    "mode": "親自簽署",
                    "place_city_id": ref("布拉格", c["Prague"]),
                    "signatory": "柯文哲、賀吉普",
                    "delegation_id": ref("出訪", trip),
                }
            ]
        },
    )
    lima = save_new(
        "partnerships",
        {
            "city_id": c["Lima"],
            "kind": "sister",
            "status": "active",
            "council_approved_on": date(2020, 1, 2),
            "established_on": date(2020, 2, 25),
        },
        children={
            "signings": [
                {
                    "signed_on": "2020-02-10",
                    "party": "本市",
                    "mode": "異地簽署",
                    "place_city_id": ref("臺北", c["Taipei"]),
                    "signatory": "柯文哲",
                },
                {
                    "signed_on": "2020-02-25",
                    "party": "對方",
                    "mode": "異地簽署",
                    "place_city_id": ref("利馬", c["Lima"]),
                    "signatory": "Lima mayor",
                },
            ]
        },
    )
    assert [(s["party"], s["mode"], s["signed_on"]) for s in get_record("partnerships", lima)["signings"]] == [
        ("home", "remote", "2020-02-10"),
        ("partner", "remote", "2020-02-25"),
    ]
    mous = [
        save_new(
            "agreements",
            {
                "title_zh": zh,
                "topic": topic,
                "counterpart_city_id": c["Prague"],
                "signed_on": date(2020, 1, 13),
                "status": "signed",
                "partnership_id": prague,
                "delegation_id": trip,
                "signed_place_city_id": c["Prague"],
            },
        )
        for zh, topic in (
            ("動物園交流合作備忘錄", "zoo"),
            ("觀光合作備忘錄", "tourism"),
            ("智慧城市合作備忘錄", "smart city"),
        )
    ]
    # 1(2) visits: named groups, and the six offices together
    visits = [
        save_new(
            "visits",
            {
                "title_zh": "韓國首爾大學楊一模教授來訪",
                "leader_person_id": p["yang"],
                "organisation_id": org["snu"],
                "origin_city_id": c["Seoul"],
                "country_code": "KR",
                "start_on": date(2020, 1, 7),
                "headcount": 8,
                "status": "held",
            },
        ),
        save_new(
            "visits",
            {
                "title_zh": "美國維吉尼亞大學林夏如教授來訪",
                "leader_person_id": p["lin"],
                "organisation_id": org["uva"],
                "origin_city_id": c["Charlottesville"],
                "start_on": date(2020, 1, 16),
                "headcount": 5,
                "status": "held",
            },
        ),
        save_new(
            "visits",
            {
                "title_en": "Ambassador of Honduras Eny Bautista",
                "leader_person_id": p["bautista"],
                "origin_city_id": c["Tegucigalpa"],
                "country_code": "HN",
                "start_on": date(2020, 2, 5),
                "headcount": 3,
                "status": "held",
            },
            "en",
        ),
        save_new(
            "visits",
            {
                "title_zh": "新加坡駐台北商務辦事處拜會",
                "leader_person_id": p["yip"],
                "organisation_id": org["sg"],
                "origin_city_id": c["Singapore"],
                "start_on": date(2020, 3, 4),
                "headcount": 4,
                "status": "held",
            },
        ),
        save_new(
            "visits",
            {
                "title_zh": "紐、澳、英、美、加、星六國駐華辦事處代表連袂拜會",
                "origin_city_id": c["Taipei"],
                "start_on": date(2020, 5, 29),
                "headcount": 6,
                "status": "held",
                "purpose": "防疫經驗交流",
            },
        ),
    ]
    # 1(4) the committee's first meeting of the year, with its agenda
    meeting = save_new(
        "meetings",
        {
            "title_zh": "國際事務委員會 109 年第 1 次會議",
            "start_on": date(2020, 4, 8),
            "meeting_number": 1,
            "status": "held",
        },
        children={
            "agenda": [
                {"title": "109 年柯市長訪歐成果", "presenter": "秘書處"},
                {"title": "本會第 1 季工作成果", "presenter": "秘書處"},
                {"title": "2020 臺北國際燈節", "presenter": "觀傳局"},
                {"title": "我國參與世界衛生組織經驗", "presenter": "高英茂委員"},
            ]
        },
    )
    # 1(5) Kasama: the agreement by exchange of documents, the first cohort, postponed to 2021
    kasama_mou = save_new(
        "agreements",
        {
            "title_zh": "臺北市與笠間市人才交流協議",
            "topic": "staff exchange",
            "mode": "exchange",
            "counterpart_city_id": c["Kasama"],
            "signed_on": date(2020, 1, 3),
            "status": "signed",
        },
    )
    exchange = save_new(
        "exchanges",
        {
            "title_zh": "臺北市與笠間市人才交流計畫第 1 梯次",
            "counterpart_city_id": c["Kasama"],
            "agreement_id": kasama_mou,
            "planned_start": date(2020, 4, 1),
            "planned_end": date(2020, 9, 30),
            "status": "planned",
        },
        children={
            "cohorts": [
                {
                    "planned_start": "2020-04-01",
                    "planned_end": "2020-09-30",
                    "participants_count": 1,
                    "participants": "交通局公共運輸處同仁",
                }
            ]
        },
    )
    at = open_page("exchanges", "zh-TW", query={"id": str(exchange)})
    change_status(at, "exchanges", exchange, "postponed", reason="新冠肺炎疫情，兩市協調延期", when="2021-04-01")
    assert status_history("exchanges", exchange)[-1]["reason"] == "新冠肺炎疫情，兩市協調延期"
    # 2 and the innovation item: video conferences, switched from in person where they were
    confs = {}
    for key, zh, when, organiser, city, switched in (
        ("citynet", "城市網（CITYNET）視訊會議", date(2020, 4, 10), org["citynet"], c["Seoul"], True),
        ("aspac", "UCLG ASPAC 視訊會議", date(2020, 4, 21), org["aspac"], c["Jakarta"], True),
        ("uclg", "UCLG 理事會議", date(2020, 5, 29), org["uclg"], c["Barcelona"], True),
        ("aim", "對抗新冠肺炎：臺灣的啟示", date(2020, 4, 24), org["aim"], c["Makati"], False),
        ("atlanta", "新冠疫情下之姊妹市城市外交：放眼新常態", date(2020, 5, 7), None, c["Atlanta"], False),
        ("slovak", "危機中的市政府", date(2020, 5, 25), None, c["Bratislava"], False),
    ):
        values = {
            "title_zh": zh,
            "start_on": when,
            "organiser_city_id": city,
            "mode": "video",
            "status": "held",
            "switched_to_video": switched,
            "starts_at-d": when,
            "starts_at-t": time(14, 0),
        }
        if organiser:
            values["organiser_org_id"] = organiser
        confs[key] = save_new("conferences", values)
    # 3 the Taipei-Shanghai forum by video with its 4 sub-forums
    forum = save_new(
        "forums",
        {
            "title_zh": "2020 臺北上海城市論壇",
            "start_on": date(2020, 7, 22),
            "mode": "video",
            "counterpart_city_id": c["Shanghai"],
            "theme": "城市防疫交流與經濟合作",
            "status": "held",
        },
        children={"subforums": [{"title_zh": t} for t in ("衛生醫療", "產業經濟交流", "智慧交通", "區域治理與合作")]},
    )
    # innovation (一): the mayor's letter to 70+ partner cities and 60+ missions
    letter = save_new(
        "letters",
        {
            "title_zh": "市長通函：英文版防疫平台連結及防疫資訊 SOP",
            "start_on": date(2020, 4, 21),
            "cities_reached": 70,
            "missions_reached": 60,
            "status": "held",
        },
        children={"recipients": [{"city_id": ref("布拉格", c["Prague"])}, {"city_id": ref("利馬", c["Lima"])}]},
    )

    # --- found again from each city ---------------------------------------------------------
    def ids(city: int, kind: str) -> set[int]:
        return {r["id"] for r in list_records(kind, city_id=city, page_size=200).rows}

    assert {trip} <= ids(c["Prague"], "delegations") and set(mous) <= ids(c["Prague"], "agreements")
    assert prague in ids(c["Prague"], "partnerships") and letter in ids(c["Prague"], "letters")
    for city in ("Riga", "Tallinn", "Helsinki"):
        assert trip in ids(c[city], "delegations")
    assert lima in ids(c["Lima"], "partnerships") and lima in ids(c["Taipei"], "partnerships")  # signed in Taipei
    assert {kasama_mou} <= ids(c["Kasama"], "agreements") and exchange in ids(c["Kasama"], "exchanges")
    for visit, city in zip(visits, ("Seoul", "Charlottesville", "Tegucigalpa", "Singapore", "Taipei"), strict=True):
        assert visit in ids(c[city], "visits"), city
    for key, city in (
        ("citynet", "Seoul"),
        ("aspac", "Jakarta"),
        ("uclg", "Barcelona"),
        ("aim", "Makati"),
        ("atlanta", "Atlanta"),
        ("slovak", "Bratislava"),
    ):
        assert confs[key] in ids(c[city], "conferences"), city
    assert forum in ids(c["Shanghai"], "forums")
    shown = dossier_links(c["Prague"])
    for text in ("柯市長率團訪問歐洲 4 國 4 城市", "動物園交流合作備忘錄", "智慧城市合作備忘錄", "賀吉普"):
        assert any(text in label for label in shown), text
    assert any("首爾大學" in label for label in dossier_links(c["Seoul"]))
    assert any("人才交流計畫" in label and "延期" in label for label in dossier_links(c["Kasama"]))
    people = open_page("people", "en", query={"id": str(p["hrib"])})
    assert any("Mayor's visit to Europe 2020" in label for label in links(people))
    assert get_record("meetings", meeting)["agenda"][2]["presenter"] == "觀傳局"
    assert meeting in ids(c["Taipei"], "meetings")  # the committee is Taipei's own: found from the home city
    assert meeting not in ids(c["Prague"], "meetings")
