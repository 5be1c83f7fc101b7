"""Places and parties: countries, cities, organisations, people."""

from sqlmodel import Field, SQLModel

from crm.models.base import Record


class Country(SQLModel, table=True):
    """Reference data (ISO 3166); display names come from Babel at run time."""

    code: str = Field(primary_key=True, max_length=2)
    iso3: str = Field(max_length=3, index=True)
    continent: str = Field(default="", max_length=2)
    name_en: str = ""
    name_zh: str = ""


class City(Record, table=True):
    name_en: str = Field(default="", index=True)
    name_zh: str = ""
    name_native: str = ""
    country_code: str = Field(default="", foreign_key="country.code", index=True, max_length=2)
    admin_area: str = ""
    latitude: float | None = None
    longitude: float | None = None
    coord_source: str = ""  # "gazetteer" | "manual" | ""
    geonames_id: int | None = Field(default=None, index=True)
    population: int | None = None


class Organisation(Record, table=True):
    name_en: str = Field(default="", index=True)
    name_zh: str = ""
    name_native: str = ""
    acronym: str = ""
    kind: str = Field(default="other", index=True)
    country_code: str | None = Field(default=None, foreign_key="country.code", max_length=2)
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    website: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""


class Person(Record, table=True):
    name_en: str = Field(default="", index=True)
    name_zh: str = ""
    name_native: str = ""
    title_en: str = ""
    title_zh: str = ""
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    country_code: str | None = Field(default=None, foreign_key="country.code", max_length=2)
    email: str = ""
    phone: str = ""
    address: str = ""
    form_of_address: str = ""
    protocol_notes: str = ""
    is_dignitary: bool = False
