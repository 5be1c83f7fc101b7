"""The record-kind registry is the one list of kinds: every generic part reads it, and each kind has its four files."""

from pathlib import Path

from crm.commands.export import EXPORT_KINDS
from crm.documents.briefings.build import UPCOMING_KINDS
from crm.documents.briefings.ties import HISTORY_KINDS
from crm.documents.calendar import CALENDAR_KINDS
from crm.documents.exports import CHILD_COLUMNS
from crm.i18n import t
from crm.imports.columns import COLUMNS, IMPORT_KINDS
from crm.models.kinds import KINDS, kind_colors, kind_names
from crm.records.dossier import CITY_KINDS
from crm.records.formspec import spec_for
from crm.records.merge import MERGE_KINDS
from crm.views.navigation import all_pages
from crm.views.timeline import KIND_ORDER

ROOT = Path(__file__).resolve().parents[2]


def test_flags_pick_the_kinds_the_office_expects():
    assert kind_names(entity=True) == MERGE_KINDS == ("cities", "organisations", "people")
    assert set(CALENDAR_KINDS) == set(UPCOMING_KINDS) == {"delegations", "visits", "conferences", "forums",
                                                          "exchanges", "meetings"}
    assert "letters" in HISTORY_KINDS and "meetings" not in HISTORY_KINDS
    assert set(CITY_KINDS) == set(KINDS) - set(MERGE_KINDS)
    assert KIND_ORDER[:7] == kind_names(is_event=True) and kind_colors()["signings"] == kind_colors()["partnerships"]


def test_every_kind_has_its_page_spec_catalog_import_and_export():
    pages = {p.name: p for p in all_pages()}
    for name, kind in KINDS.items():
        assert (ROOT / "pages" / f"{name}.py").exists() and pages[name].icon == kind.icon, name
        assert spec_for(name).kind == name
        assert t(f"kind.{name}", "en") != f"kind.{name}" and t(f"kind.{name}", "zh-TW") != f"kind.{name}"
        assert name in IMPORT_KINDS and COLUMNS[name] and name in EXPORT_KINDS
        if kind.summary_child:
            assert CHILD_COLUMNS[name] in {c.key for c in kind.children}


def test_a_kind_added_to_the_registry_reaches_every_flag(monkeypatch):
    from dataclasses import replace

    throwaway = replace(KINDS["meetings"], name="briefing_calls")
    monkeypatch.setitem(KINDS, "briefing_calls", throwaway)
    assert "briefing_calls" in kind_names(scheduled=True) and "briefing_calls" in kind_names(entity=False)
    assert kind_colors()["briefing_calls"] == throwaway.color
