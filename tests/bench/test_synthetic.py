"""Synthetic bench data: labelled, deterministic, searchable, one audit entry, on both engines."""

import json
import shutil

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from crm import models as m
from crm.bench.synthetic import SETTING, generate, sizes
from crm.models.kinds import KINDS


def _count(session, model, *where) -> int:
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def test_generates_every_kind_labelled_with_one_audit_entry(engine, admin):
    message = generate(400, seed=3)
    assert "400 engagements" in message
    want = sizes(400)
    with Session(engine) as s:
        for name, kind in KINDS.items():
            total = _count(s, kind.model)
            assert total > 0, name
            assert _count(s, kind.model, kind.model.is_demo.is_(False)) == 0, name
            if name in want and name != "cities":
                assert total == want[name], name
        assert _count(s, m.Visit) > _count(s, m.Delegation) > _count(s, m.OutreachLetter)
        assert _count(s, m.Person, m.Person.name_en.startswith("[SYN] ")) == want["people"]
        assert _count(s, m.Visit, m.Visit.title_zh.startswith("[SYN] ")) == want["visits"]
        for model in (m.DelegationStop, m.Signing, m.SubForum, m.Cohort, m.AgendaItem, m.LetterRecipient):
            assert _count(s, model) > 0, model
        years = s.execute(select(func.min(m.Visit.start_on), func.max(m.Visit.start_on))).one()
        assert years[1].year - years[0].year >= 25
        statuses = set(s.execute(select(m.Visit.status).distinct()).scalars())
        assert {"held", "postponed", "cancelled"} <= statuses <= set(KINDS["visits"].statuses)
        audit = s.execute(select(m.AuditEntry)).scalars().all()
        assert [(a.action, a.kind) for a in audit if a.kind != "users"] == [("import", "synthetic")]
        info = json.loads(s.get(m.Setting, SETTING).value)
        assert info["n"] == 400 and info["seed"] == 3
        zh_named = _count(s, m.City, m.City.name_zh != "")
        assert zh_named >= _count(s, m.City) * 0.6


def test_a_second_run_adds_nothing_and_the_write_path_still_works(engine, admin):
    generate(100, seed=1)
    with Session(engine) as s:
        before = _count(s, m.Visit)
    assert "nothing added" in generate(100, seed=1)
    from crm.store import writes

    new_id = writes.create(admin, "visits", {"title_en": "After the bench data"})
    with Session(engine) as s:
        assert _count(s, m.Visit) == before + 1
        assert new_id > s.execute(select(func.max(m.Visit.id)).where(m.Visit.is_demo.is_(True))).scalar()


def test_search_keys_match_what_the_write_path_computes(engine):
    from crm.store.search import search_text_for

    generate(300, seed=5)
    with Session(engine) as s:
        for name, kind in KINDS.items():
            for record in s.execute(select(kind.model).order_by(kind.model.id).limit(3)).scalars():
                expected = set(search_text_for(s, kind, record).split(" | "))
                assert set(record.search_text.split(" | ")) == expected, (name, record.id)


def test_search_finds_synthetic_records_in_either_language(engine):
    from crm.records.queries import list_records

    generate(300, seed=2)
    with Session(engine) as s:
        org, city = s.execute(select(m.Organisation, m.City).join(m.City, m.City.id == m.Organisation.city_id)
                              .where(m.City.name_zh != "").order_by(m.Organisation.id)).first()
    by_en = list_records("organisations", q=city.name_en.upper())
    by_zh = list_records("organisations", q=city.name_zh)
    assert org.id in {r["id"] for r in by_en.rows} and org.id in {r["id"] for r in by_zh.rows}


def test_same_seed_same_data(sqlite_template, tmp_path):
    from crm.store.engine import make_engine

    titles = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.db"
        shutil.copy(sqlite_template, path)
        engine = make_engine(f"sqlite:///{path}")
        generate(150, seed=9, engine=engine)
        with Session(engine) as s:
            titles.append(s.execute(select(m.Visit.title_en, m.Visit.start_on, m.Visit.headcount)
                                    .order_by(m.Visit.id)).all())
        engine.dispose()
    assert titles[0] == titles[1] and len(titles[0]) == sizes(150)["visits"]


def test_refuses_nonsense_sizes(sqlite_url):
    with pytest.raises(ValueError):
        generate(0)


def test_the_demo_command_generates_synthetic_data(sqlite_url, capsys):
    from crm.commands.cli import main

    assert main(["demo", "--synthetic", "80", "--seed", "4"]) == 0
    assert "80 engagements" in capsys.readouterr().out
    assert main(["demo", "--synthetic", "80"]) == 0
    assert "nothing added" in capsys.readouterr().out
