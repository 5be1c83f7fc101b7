"""The per-process read cache: kept until any write, from this process or another."""

import subprocess
import sys

from crm.periods import parse_period
from crm.store import cache
from crm.views.counts import period_counts

H1 = parse_period("2020H1")


def _visit(actor, title="Cached?", day="2020-03-01"):
    from crm.store import writes

    return writes.create(actor, "visits", {"title_en": title, "status": "held", "start_on": day, "headcount": 4})


def test_a_result_is_kept_until_a_write_then_read_again(db_url, admin):
    calls = []

    @cache.cached
    def groups(period):
        calls.append(period)
        return period_counts.uncached(period).visits_groups

    assert groups(H1) == 0 and groups(H1) == 0
    assert len(calls) == 1
    _visit(admin)
    assert groups(H1) == 1 and len(calls) == 2
    assert period_counts(H1).visits_groups == 1


def test_results_are_copies_and_a_callers_session_bypasses_the_cache(db_url, admin):
    from crm.store.writes import in_one_transaction

    first = period_counts(H1)
    first.visits_groups = 99
    assert period_counts(H1).visits_groups == 0

    def inside(session):
        from crm.store import writes

        writes.create(admin, "visits", {"title_en": "x", "status": "held", "start_on": "2020-02-02"}, session=session)
        session.flush()
        return period_counts(H1, session=session).visits_groups

    assert in_one_transaction(inside) == 1
    assert period_counts(H1).visits_groups == 1


def test_a_write_by_another_process_is_seen_after_the_version_ttl(sqlite_url, admin, monkeypatch):
    assert period_counts(H1).visits_groups == 0
    code = ("from crm.accounts.users import ensure_local_user; from crm.store import writes; "
            "writes.create(ensure_local_user(), 'visits', {'title_en': 'elsewhere', 'status': 'held', "
            "'start_on': '2020-04-04'})")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=cache.__file__.rsplit("/crm/", 1)[0])
    monkeypatch.setattr(cache, "VERSION_TTL", 0.0)
    assert period_counts(H1).visits_groups == 1


def test_each_database_keeps_its_own_results(sqlite_url, admin, demo_template, monkeypatch, tmp_path):
    import shutil

    assert period_counts(H1).visits_groups == 0
    demo = tmp_path / "other.db"
    shutil.copy(demo_template, demo)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{demo}")
    assert period_counts(H1).visits_groups > 0


def test_immutable_results_are_handed_out_as_kept_and_mutable_ones_copied():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Point:
        x: int

    points = (Point(1), Point(2))
    assert cache._copy(points) is points and cache._copy((points, 2))[0] is points
    rows = [{"a": 1}]
    assert cache._copy(rows) == rows and cache._copy(rows)[0] is not rows[0]
    nested = ([1], 2)  # a tuple holding a list may be changed through the list: copied
    assert cache._copy(nested) is not nested and cache._copy(nested)[0] is not nested[0]
    listed = [Point(1), Point(2)]  # a list of frozen values: a new list, the same (immutable) items
    copied = cache._copy(listed)
    assert copied == listed and copied is not listed and copied[0] is listed[0]
