"""The demo data set: the 2020 H1 facts of the Taipei Secretariat's report (section 三).

Figures are the report's own. Where the report gives no date for a named visit, the date is
illustrative and the record's note says so; the report's totals (14 groups, 94 people) hold.
"""

# (name_en, name_zh, name_native, iso2) of cities the events need besides the partner cities.
EVENT_CITIES = [
    ("Taipei", "臺北", "臺北市", "TW"), ("Tallinn", "塔林", "Tallinn", "EE"), ("Helsinki", "赫爾辛基", "Helsinki", "FI"),
    ("Kasama", "笠間市", "笠間市", "JP"), ("Shanghai", "上海", "上海", "CN"), ("Jakarta", "雅加達", "Jakarta", "ID"),
    ("Barcelona", "巴塞隆納", "Barcelona", "ES"), ("Makati", "馬卡蒂", "Makati", "PH"),
    ("Bratislava", "布拉提斯拉瓦", "Bratislava", "SK"), ("Charlottesville", "夏洛特鎮", "", "US"),
    ("Singapore", "新加坡", "Singapore", "SG"),
]

# (key, name_en, name_zh, acronym, kind, city)
ORGANISATIONS = [
    ("tcg", "Taipei City Government", "臺北市政府", "TCG", "city_government", "Taipei"),
    ("citynet", "CITYNET", "城市網", "CITYNET", "international_organisation", "Seoul"),
    ("uclg", "United Cities and Local Governments", "城市與地方政府聯盟", "UCLG", "international_organisation",
     "Barcelona"),
    ("uclg_aspac", "UCLG Asia-Pacific", "城市與地方政府聯盟亞太分會", "UCLG ASPAC", "international_organisation",
     "Jakarta"),
    ("aim", "Asian Institute of Management", "菲律賓亞洲管理學院", "AIM", "university", "Makati"),
    ("snu", "Seoul National University", "首爾大學", "SNU", "university", "Seoul"),
    ("uva", "University of Virginia", "維吉尼亞大學", "UVA", "university", "Charlottesville"),
    ("honduras", "Embassy of Honduras in Taipei", "宏都拉斯駐臺大使館", "", "foreign_mission", "Taipei"),
    ("singapore", "Singapore Trade Office in Taipei", "新加坡駐台北商務辦事處", "", "foreign_mission", "Taipei"),
    ("nz", "New Zealand Commerce and Industry Office", "紐西蘭商工辦事處", "NZCIO", "foreign_mission", "Taipei"),
    ("au", "Australian Office Taipei", "澳洲辦事處", "", "foreign_mission", "Taipei"),
    ("uk", "British Office Taipei", "英國在台辦事處", "", "foreign_mission", "Taipei"),
    ("us", "American Institute in Taiwan", "美國在台協會", "AIT", "foreign_mission", "Taipei"),
    ("ca", "Canadian Trade Office in Taipei", "加拿大駐台北貿易辦事處", "CTOT", "foreign_mission", "Taipei"),
    ("prague", "Prague City Hall", "布拉格市政府", "", "city_government", "Prague"),
    ("lima", "Municipality of Lima", "利馬市政府", "", "city_government", "Lima"),
    ("kasama", "Kasama City", "笠間市役所", "", "city_government", "Kasama"),
    ("atlanta", "City of Atlanta", "亞特蘭大市政府", "", "city_government", "Atlanta"),
    ("slovak", "Slovak Tech Forum", "斯洛伐克科技論壇平台", "", "ngo", "Bratislava"),
    ("shanghai", "Shanghai Municipal People's Government", "上海市政府", "", "city_government", "Shanghai"),
    ("ia_committee", "Taipei City International Affairs Committee", "臺北市政府國際事務委員會", "",
     "city_government", "Taipei"),
]

# (key, name_en, name_zh, name_native, title_en, title_zh, organisation key, form of address)
PEOPLE = [
    ("ko", "Ko Wen-je", "柯文哲", "柯文哲", "Mayor of Taipei", "臺北市長", "tcg", "Mayor Ko"),
    ("hrib", "Zdeněk Hřib", "賀吉普", "Zdeněk Hřib", "Mayor of Prague", "布拉格市長", "prague", "Mayor Hřib"),
    ("munoz", "Jorge Muñoz Wells", "", "Jorge Muñoz Wells", "Mayor of Lima", "利馬市長", "lima", "Mayor Muñoz"),
    ("yang", "Yang Il-mo", "楊一模", "양일모", "Professor", "教授", "snu", "Professor Yang"),
    ("lin", "Shiao-Ru Lin", "林夏如", "林夏如", "Professor", "教授", "uva", "Professor Lin"),
    ("bautista", "Eny Bautista", "", "Eny Bautista", "Ambassador of Honduras", "宏都拉斯駐臺大使",
     "honduras", "Your Excellency"),
    ("yip", "Yip Wei Kiat", "", "Yip Wei Kiat", "Representative", "代表", "singapore", "Mr Yip"),
    ("kao", "Kao Ying-mao", "高英茂", "高英茂", "Member, International Affairs Committee", "國際事務委員會委員",
     "ia_committee", "Professor Kao"),
]
