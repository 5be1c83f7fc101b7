"""The app's pages, in navigation sections, with the roles that see each (no streamlit here)."""

from dataclasses import dataclass

from crm.models.kinds import KINDS, ROLES

ALL = ROLES
WRITERS = ("admin", "staff")
ADMIN = ("admin",)


@dataclass(frozen=True)
class PageSpec:
    name: str  # file pages/<name>.py, URL path, title key page.<name>
    icon: str
    roles: tuple[str, ...] = ALL
    default: bool = False


SECTIONS: dict[str, list[PageSpec]] = {
    "nav.leadership": [
        PageSpec("dashboard", ":material/dashboard:", default=True),
        PageSpec("map", ":material/public:"),
        PageSpec("timeline", ":material/timeline:"),
        PageSpec("calendar", ":material/calendar_month:"),
        PageSpec("inbox", ":material/inbox:"),
        PageSpec("activity", ":material/notifications:"),
    ],
    "nav.records": [  # every record kind has its page (crm.models.kinds): records first, then the entities
        *(PageSpec(k.name, k.icon) for k in sorted(KINDS.values(), key=lambda k: k.entity)),
    ],
    "nav.documents": [
        PageSpec("briefings", ":material/description:"),
        PageSpec("report", ":material/summarize:"),
    ],
    "nav.admin": [
        PageSpec("import", ":material/upload_file:", WRITERS),
        PageSpec("merge", ":material/merge:", WRITERS),
        PageSpec("audit", ":material/history:", ADMIN),
        PageSpec("users", ":material/manage_accounts:", ADMIN),
        PageSpec("settings", ":material/settings:", ADMIN),
    ],
}


def pages_for(role: str) -> dict[str, list[PageSpec]]:
    """The sections and pages a role may open (empty sections left out)."""
    visible = {section: [p for p in specs if role in p.roles] for section, specs in SECTIONS.items()}
    return {section: specs for section, specs in visible.items() if specs}


def all_pages() -> list[PageSpec]:
    return [p for specs in SECTIONS.values() for p in specs]
