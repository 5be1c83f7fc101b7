"""All tables. Import from here so SQLModel.metadata knows every one."""

from crm.models.base import Child, Record, utcnow
from crm.models.drafts import FormDraft, ReportDraft
from crm.models.events import (
    AgendaItem,
    Cohort,
    CommitteeMeeting,
    Conference,
    ConferencePerson,
    Delegation,
    DelegationPerson,
    DelegationStop,
    EventRecord,
    ExchangeProgramme,
    Forum,
    LetterRecipient,
    OutreachLetter,
    SubForum,
    Visit,
    VisitPerson,
)
from crm.models.lists import ListPreference, RecordOwner, SavedView, Tag, TagLink
from crm.models.places import City, Country, Organisation, Person
from crm.models.system import (
    AuditEntry,
    ImportBatch,
    ImportReportRow,
    LoginThrottle,
    Setting,
    SetupCode,
    StatusChange,
    User,
    WebSession,
)
from crm.models.ties import Agreement, Partnership, Signing

__all__ = [
    "AgendaItem", "Agreement", "AuditEntry", "Child", "City", "Cohort", "CommitteeMeeting", "Conference",
    "ConferencePerson", "Country", "Delegation", "DelegationPerson", "DelegationStop", "EventRecord",
    "ExchangeProgramme", "FormDraft", "Forum", "ImportBatch", "ImportReportRow", "LetterRecipient", "ListPreference",
    "LoginThrottle", "Organisation", "OutreachLetter", "Partnership", "Person", "Record", "RecordOwner",
    "ReportDraft", "SavedView", "Setting", "SetupCode", "Signing", "StatusChange", "SubForum", "Tag", "TagLink",
    "User", "Visit", "VisitPerson", "WebSession", "utcnow",
]
