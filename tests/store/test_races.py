"""Writes that used to be blind (revert, restore, audit undo, merge, undo of a merge) raced for real: two threads, two
sessions, the same version, at the same moment, on SQLite and PostgreSQL. Of each pair exactly one succeeds, the
other is refused, and no record's version number is ever used twice.

The figures go to test-artifacts/safety-figures.json with the other safety figures.
"""

import json
import os
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from crm import models as m
from crm.errors import LiaisonError
from crm.models.kinds import KINDS
from crm.records import audit, merge
from crm.records.queries import get_record, history
from crm.store import writes
from tests.support.apptest import ROOT

ROUNDS = int(os.environ.get("LIAISON_RACE_ROUNDS", "10"))  # pairs per kind of write (more: a longer, surer run)


def _figure(name: str, **values) -> None:
    path = ROOT / "test-artifacts" / "safety-figures.json"
    path.parent.mkdir(exist_ok=True)
    old = json.loads(path.read_text()) if path.exists() else {}
    old[name] = values
    path.write_text(json.dumps(old, indent=1, ensure_ascii=False))


def _pairs(rounds: int, prepare: Callable[[int], tuple], act: Callable[..., object]) -> dict:
    """`rounds` times: `prepare(n)` sets a round up; two threads then call `act(*its arguments)` at the same moment."""
    outcome: dict = {"rounds": rounds, "one_won": 0, "both_won": 0, "none_won": 0, "refusals": {}, "errors": []}
    for n in range(rounds):
        args = prepare(n)
        barrier = threading.Barrier(2)
        results: list = [None, None]

        def run(i: int, args=args, barrier=barrier, results=results) -> None:
            barrier.wait()
            try:
                act(*args)
                results[i] = "won"
            except LiaisonError as exc:  # a refusal, in the user's language
                results[i] = type(exc).__name__
            except Exception as exc:  # noqa: BLE001 - anything else is a figure of its own
                results[i] = exc

        threads = [threading.Thread(target=run, args=(i,)) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        won = results.count("won")
        outcome[{0: "none_won", 1: "one_won", 2: "both_won"}[won]] += 1
        for r in results:
            if isinstance(r, str) and r != "won":
                outcome["refusals"][r] = outcome["refusals"].get(r, 0) + 1
            elif isinstance(r, Exception):
                outcome["errors"].append(f"{type(r).__name__}: {str(r)[:200]}")
    return outcome


def _repeated_versions(engine) -> list:
    """(kind, record, version) claimed by more than one audit entry, and records whose stored version is not
    their last audited one."""
    a = m.AuditEntry
    records = (col(a.record_id).is_not(None), col(a.kind).in_(list(KINDS)))
    with Session(engine) as s:
        repeated = s.execute(select(a.kind, a.record_id, a.version).where(*records)
                             .group_by(a.kind, a.record_id, a.version).having(func.count() > 1)).all()
        last = s.execute(select(a.kind, a.record_id, func.max(a.version)).where(*records)
                         .group_by(a.kind, a.record_id)).all()
    behind = [(k, rid, v) for k, rid, v in last if (get_record(k, rid) or {}).get("version") != v]
    return [tuple(r) for r in repeated] + behind


def _check(engine, name: str, outcome: dict) -> None:
    _figure(f"blind_{name}_{engine.dialect.name}", **outcome)
    assert outcome["one_won"] == outcome["rounds"], outcome
    assert outcome["errors"] == [], outcome
    assert _repeated_versions(engine) == []


def _city(admin, name: str) -> int:
    return writes.create(admin, "cities", {"name_en": name, "country_code": "CZ"})


def test_two_reverts_of_one_version(engine, admin, staff):
    cid = _city(admin, "Race")

    def prepare(n: int) -> tuple:
        version = writes.update(staff, "cities", cid, {"notes": f"round {n}"}, get_record("cities", cid)["version"])
        return history("cities", cid)[0]["id"], version

    outcome = _pairs(ROUNDS, prepare, lambda entry, version: writes.revert(admin, entry, version))
    _check(engine, "revert", outcome)
    assert outcome["refusals"] == {"StaleRecord": ROUNDS}


def test_two_restores_of_one_deleted_version(engine, admin, staff):
    cid = _city(admin, "Race")

    def prepare(n: int) -> tuple:
        version = get_record("cities", cid)["version"]
        writes.delete(staff, "cities", cid, version)
        return (version + 1,)

    outcome = _pairs(ROUNDS, prepare, lambda version: writes.restore(admin, "cities", cid, version))
    _check(engine, "restore", outcome)
    assert outcome["refusals"] == {"StaleRecord": ROUNDS} and get_record("cities", cid)["deleted_at"] is None


def test_two_audit_undos_of_one_entry(engine, admin, staff):
    cid = _city(admin, "Race")

    def prepare(n: int) -> tuple:
        writes.update(staff, "cities", cid, {"name_native": f"Závod {n}"}, get_record("cities", cid)["version"])
        entry = audit.get_entry(history("cities", cid)[0]["id"])
        return entry["id"], entry["record_version"]

    outcome = _pairs(ROUNDS, prepare, lambda entry, version: audit.undo(admin, entry, version))
    _check(engine, "audit_undo", outcome)
    assert outcome["refusals"] == {"StaleRecord": ROUNDS}


def test_two_merges_of_one_pair(engine, admin):
    def prepare(n: int) -> tuple:
        keep, dup = _city(admin, f"Keep {n}"), _city(admin, f"Dup {n}")
        writes.create(admin, "people", {"name_en": f"Mayor {n}", "city_id": dup})
        return keep, dup

    outcome = _pairs(ROUNDS, prepare, lambda keep, dup: merge.merge(admin, "cities", keep, dup, versions=(1, 1)))
    _check(engine, "merge", outcome)
    assert outcome["refusals"] == {"StaleRecord": ROUNDS}
    assert len(merge.recent_merges(limit=50)) == ROUNDS


def test_two_undos_of_one_merge(engine, admin):
    def prepare(n: int) -> tuple:
        keep, dup = _city(admin, f"Keep {n}"), _city(admin, f"Dup {n}")
        writes.create(admin, "people", {"name_en": f"Mayor {n}", "city_id": dup})
        return (merge.merge(admin, "cities", keep, dup, versions=(1, 1)).batch_id,)

    outcome = _pairs(ROUNDS, prepare, lambda batch_id: merge.undo_merge(admin, batch_id))
    _check(engine, "undo_merge", outcome)
    assert sum(outcome["refusals"].values()) == ROUNDS  # StaleRecord, or "already undone" when it came second
    assert all(b["undone_at"] is not None for b in merge.recent_merges(limit=50))


@pytest.mark.parametrize("step", ["revert", "restore"])
def test_a_blind_write_is_no_longer_possible(engine, admin, step):
    """Without the version the caller read there is no write (it raised nothing and bumped blindly before)."""
    cid = _city(admin, "Blind")
    writes.update(admin, "cities", cid, {"notes": "x"}, 1)
    entry = history("cities", cid)[0]["id"]
    if step == "restore":
        writes.delete(admin, "cities", cid, 2)
    with pytest.raises(TypeError):
        if step == "revert":
            writes.revert(admin, entry)  # type: ignore[call-arg]
        else:
            writes.restore(admin, "cities", cid)  # type: ignore[call-arg]
    assert get_record("cities", cid)["version"] == (2 if step == "revert" else 3)
