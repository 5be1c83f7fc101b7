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
from crm.models.files import FileChunk, FileContent, FileThumb, RecordFile
from crm.models.lists import ListPreference, RecordOwner, SavedView, Tag, TagLink
from crm.models.places import City, Country, Organisation, Person
from crm.models.reminders import CalendarFeed, InboxRead, SentReminder
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
    "AgendaItem", "Agreement", "AuditEntry", "CalendarFeed", "Child", "City", "Cohort", "CommitteeMeeting",
    "Conference", "ConferencePerson", "Country", "Delegation", "DelegationPerson", "DelegationStop", "EventRecord",
    "ExchangeProgramme", "FileChunk", "FileContent", "FileThumb", "FormDraft", "Forum", "ImportBatch",
    "ImportReportRow", "InboxRead", "LetterRecipient", "ListPreference", "LoginThrottle", "Organisation",
    "OutreachLetter", "Partnership", "Person", "Record", "RecordFile", "RecordOwner", "ReportDraft", "SavedView",
    "SentReminder", "Setting", "SetupCode", "Signing", "StatusChange", "SubForum", "Tag", "TagLink", "User", "Visit",
    "VisitPerson", "WebSession", "utcnow",
]
