"""The dated events of the demo data set (2020), loaded through the write path."""

from datetime import date, datetime

from crm.config import OFFICE_TIME_ZONE
from crm.store import writes

ILLUSTRATIVE = "Demo: the report names this visit without a date; the date and size are illustrative."
STAND_IN = "Demo: an illustrative group standing for one of the report's unnamed groups (14 groups, 94 people)."

# (date, title_en, title_zh, leader key or name, origin city, country, organisation key, headcount, status, note)
VISITS = [
    (date(2020, 1, 7), "Seoul National University delegation", "韓國首爾大學訪問團", "yang", "Seoul", "KR", "snu", 8),
    (date(2020, 1, 16), "University of Virginia delegation", "美國維吉尼亞大學訪問團", "lin", "Charlottesville", "US",
     "uva", 5),
    (date(2020, 2, 5), "Ambassador of Honduras", "宏都拉斯駐臺大使拜會", "bautista", "Tegucigalpa", "HN", "honduras", 3),
    (date(2020, 3, 4), "Singapore Trade Office in Taipei", "新加坡駐台北商務辦事處拜會", "yip", "Singapore", "SG",
     "singapore", 4),
    (date(2020, 1, 8), "Yokohama city councillors", "橫濱市議員訪問團", None, "Yokohama", "JP", None, 9),
    (date(2020, 1, 9), "Guatemala City delegation", "瓜地馬拉市訪問團", None, "Guatemala City", "GT", None, 6),
    (date(2020, 1, 21), "Los Angeles business delegation", "洛杉磯經貿訪問團", None, "Los Angeles", "US", None, 12),
    (date(2020, 2, 12), "Quezon City officials", "奎松市官員訪問團", None, "Quezon City", "PH", None, 7),
    (date(2020, 2, 19), "Daegu Metropolitan City delegation", "大邱廣域市訪問團", None, "Daegu", "KR", None, 8),
    (date(2020, 3, 10), "Vilnius city officials", "維爾紐斯市官員訪問團", None, "Vilnius", "LT", None, 5),
    (date(2020, 6, 12), "Houston trade mission", "休士頓經貿訪問團", None, "Houston", "US", None, 4),
    (date(2020, 6, 18), "Ulaanbaatar city delegation", "烏蘭巴托市訪問團", None, "Ulaanbaatar", "MN", None, 8),
    (date(2020, 6, 30), "Gold Coast tourism delegation", "黃金海岸觀光訪問團", None, "Gold Coast", "AU", None, 9),
]
SIX_OFFICES = "Representatives of six countries' offices in Taiwan (NZ, AU, UK, US, CA, SG)"

CONFERENCES = [
    (datetime(2020, 4, 10, 14, 0), "CITYNET meeting", "城市網（CITYNET）會議", "citynet", "Seoul", True, ""),
    (datetime(2020, 4, 21, 14, 0), "UCLG ASPAC meeting", "城市與地方政府聯盟亞太分會（UCLG ASPAC）會議", "uclg_aspac",
     "Jakarta", True, ""),
    (datetime(2020, 4, 24, 15, 0), "Fighting COVID-19: lessons from Taiwan", "對抗新冠肺炎：臺灣的啟示", "aim", "Makati",
     False, "COVID-19"),
    (datetime(2020, 5, 7, 21, 0), "Sister Cities Diplomacy under COVID-19: Looking to the New Normal",
     "新冠疫情下之姊妹市城市外交：放眼新常態", "atlanta", "Atlanta", False, "COVID-19"),
    (datetime(2020, 5, 25, 16, 0), "City governments in crisis", "危機中的市政府", "slovak", "Bratislava", False,
     "COVID-19"),
    (datetime(2020, 5, 29, 15, 0), "UCLG World Council meeting", "城市與地方政府聯盟（UCLG）理事會議", "uclg",
     "Barcelona", True, ""),
]


def load_events(loader) -> None:
    """Create the 2020 events (skipping any already on file)."""
    c, o, p = loader.cities, loader.orgs, loader.people
    ensure = loader._ensure
    trip = ensure("delegations", {"title_en": "Mayor's visit to Europe 2020"}, {
        "title_zh": "柯市長率團訪問歐洲 4 國 4 城市", "status": "held", "start_on": date(2020, 1, 12),
        "end_on": date(2020, 1, 22), "leader_person_id": p["ko"], "leader_name": "柯文哲 Ko Wen-je",
        "leader_title": "Mayor of Taipei 臺北市長", "headcount": 53, "headcount_approx": True, "dignitaries_count": 30,
        "dignitaries_approx": True,
        "purposes": "Sister-city pact with Prague; reaffirm ties with Riga; e-government (Tallinn); "
                    "5G and long-term care (Helsinki)",
        "outcomes": "1 sister-city pact (Prague); 3 MOUs witnessed (zoo exchange, tourism, smart city)",
        "notes": "About 53 people: city officials and business representatives (本府代表團暨本市民間企業代表).",
        "itinerary": [{"city_id": c["Prague"], "arrive_on": date(2020, 1, 13), "purpose": "Sister-city signing"},
                      {"city_id": c["Riga"], "purpose": "Reaffirm sister-city ties"},
                      {"city_id": c["Tallinn"], "purpose": "e-government"},
                      {"city_id": c["Helsinki"], "purpose": "5G; long-term care"}],
        "people": [{"person_id": p["ko"], "role": "member"}, {"person_id": p["hrib"], "role": "met"}]})
    prague_pact = loader._find(writes.get_kind("partnerships").model, city_id=c["Prague"])
    for en, zh, topic in (("Zoo exchange MOU", "動物園交流合作備忘錄", "zoo"),
                          ("Tourism cooperation MOU", "觀光合作備忘錄", "tourism"),
                          ("Smart city MOU", "智慧城市合作備忘錄", "smart city")):
        ensure("agreements", {"title_en": en}, {
            "title_zh": zh, "topic": topic, "counterpart_city_id": c["Prague"], "signed_on": date(2020, 1, 13),
            "status": "signed", "mode": "in_person", "signed_place_city_id": c["Prague"],
            "partnership_id": prague_pact, "delegation_id": trip,
            "notes": "Witnessed by both mayors during the visit (見證兩市簽署)."})
    ensure("agreements", {"title_en": "Staff exchange agreement with Kasama"}, {
        "title_zh": "臺北市與笠間市人才交流協議", "topic": "staff exchange", "counterpart_city_id": c["Kasama"],
        "counterpart_org_id": o["kasama"], "signed_on": date(2020, 1, 3), "status": "signed", "mode": "exchange"})
    for day, en, zh, leader, city, cc, org, count in VISITS:
        person = loader.s.get(writes.get_kind("people").model, p[leader]) if leader else None
        ensure("visits", {"title_en": en}, {
            "title_zh": zh, "status": "held", "start_on": day, "end_on": day, "origin_city_id": c[city],
            "country_code": cc, "organisation_id": o[org] if org else None, "headcount": count,
            "leader_person_id": person.id if person else None, "leader_name": person.name_en if person else "",
            "leader_title": person.title_en if person else "", "host": "Secretariat, Taipei City Government",
            "people": [{"person_id": person.id}] if person else [],
            "notes": ILLUSTRATIVE if person else STAND_IN})
    ensure("visits", {"title_en": SIX_OFFICES}, {
        "title_zh": "紐西蘭、澳洲、英國、美國、加拿大、新加坡等六國駐華辦事處代表連袂拜會", "status": "held",
        "start_on": date(2020, 5, 29), "end_on": date(2020, 5, 29), "origin_city_id": c["Taipei"], "headcount": 6,
        "host": "柯文哲 Ko Wen-je", "purpose": "Exchange of views on Taipei's COVID-19 response"})
    ensure("visits", {"title_en": "Manila city officials (cancelled)"}, {
        "title_zh": "馬尼拉市官員訪問團（取消）", "status": "cancelled", "status_reason": "COVID-19",
        "start_on": date(2020, 3, 20), "end_on": date(2020, 3, 20), "origin_city_id": c["Manila"],
        "country_code": "PH", "headcount": 10, "notes": "Demo: a cancelled plan, not counted as held."})
    for when, en, zh, org, city, switched, topic in CONFERENCES:
        ensure("conferences", {"title_en": en}, {
            "title_zh": zh, "status": "held", "start_on": when.date(), "end_on": when.date(), "starts_at": when,
            "timezone": OFFICE_TIME_ZONE, "organiser_org_id": o[org], "organiser_city_id": c[city], "mode": "video",
            "switched_to_video": switched, "topic": topic or "city cooperation",
            "our_role": "participant" if org != "atlanta" else "invited sister city",
            "participant_cities_count": 10 if org == "atlanta" else None})
    ensure("forums", {"title_en": "2020 Taipei–Shanghai City Forum"}, {
        "title_zh": "2020 臺北上海城市論壇", "status": "held", "start_on": date(2020, 7, 22), "end_on": date(2020, 7, 22),
        "counterpart_city_id": c["Shanghai"], "mode": "video",
        "theme": "Epidemic prevention and economic cooperation (城市防疫交流與經濟合作)",
        "notes": "First held by video.", "subforums": [
            {"title_en": "Health and medicine", "title_zh": "衛生醫療"},
            {"title_en": "Industry and economic exchange", "title_zh": "產業經濟交流"},
            {"title_en": "Smart transport", "title_zh": "智慧交通"},
            {"title_en": "Regional governance and cooperation", "title_zh": "區域治理與合作"}]})
    kind = writes.get_kind("exchanges")
    if loader._find(kind.model, title_en="Taipei–Kasama staff exchange") is None:
        pid = ensure("exchanges", {"title_en": "Taipei–Kasama staff exchange"}, {
            "title_zh": "臺北市與笠間市人才交流計畫", "status": "planned", "start_on": date(2020, 4, 1),
            "end_on": date(2020, 9, 30), "counterpart_city_id": c["Kasama"],
            "agreement_id": loader._find(writes.get_kind("agreements").model,
                                         title_en="Staff exchange agreement with Kasama"),
            "description": "One official of the Department of Transportation's Public Transportation Office.",
            "cohorts": [{"planned_start": date(2020, 4, 1), "planned_end": date(2020, 9, 30), "participants_count": 1,
                         "participants": "Public Transportation Office, Department of Transportation (交通局公共運輸處)",
                         "status": "postponed", "status_reason": "COVID-19; postponed to 2021 (110 年)"}]})
        writes.change_status(loader.actor, "exchanges", pid, "postponed", 1, session=loader.s,  # just created
                             reason="COVID-19: both cities agreed to postpone the first cohort to 2021 (110 年)")
    ensure("meetings", {"title_en": "International Affairs Committee, 1st meeting of 2020"}, {
        "title_zh": "臺北市政府國際事務委員會 109 年第 1 次會議", "status": "held", "start_on": date(2020, 4, 8),
        "end_on": date(2020, 4, 8), "meeting_number": 1, "agenda": [
            {"title": "Results of the mayor's 2020 visit to Europe (109 年柯市長訪歐成果)", "presenter": "Secretariat"},
            {"title": "Committee work in the first quarter (本會第 1 季工作成果)", "presenter": "Secretariat"},
            {"title": "2020 Taipei Lantern Festival (2020 臺北國際燈節)",
             "presenter": "Department of Information and Tourism (觀傳局)"},
            {"title": "Taiwan's experience of taking part in the WHO (參與世界衛生組織經驗)",
             "presenter": "高英茂 Kao Ying-mao"}]})
    partner_cities = [c[row["city"]] for row in loader.partner_rows]
    ensure("letters", {"title_en": "Mayor's letter: Taipei's COVID-19 platform and SOP"}, {
        "title_zh": "市長通函：本府英文版防疫平台連結及防疫資訊 SOP", "status": "held", "start_on": date(2020, 4, 21),
        "end_on": date(2020, 4, 21), "sender": "柯文哲 Ko Wen-je", "cities_reached": 70, "missions_reached": 60,
        "summary": "The English COVID-19 platform link and SOP, sent to 70+ partner cities and 60+ foreign missions "
                   "in Taiwan (70 餘個國際友好城市及 60 餘個駐華機構).",
        "recipients": [{"city_id": cid} for cid in partner_cities]})
