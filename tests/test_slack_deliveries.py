"""The Slack delivery log on SQLite and on PostgreSQL: each delivery taken once by any
worker, and the unfinished deliveries of a worker that stopped taken over by another."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.slack.store import SlackStore
from agent.storage.postgres import shared_postgres

Stores = Callable[[], tuple[SlackStore, SlackStore]]


@pytest.fixture(params=["sqlite", "postgres"])
def two_workers(request: pytest.FixtureRequest, tmp_path: Path) -> Stores:
    """Two workers' stores on one database."""
    def make() -> tuple[SlackStore, SlackStore]:
        if request.param == "sqlite":
            return SlackStore(tmp_path / "slack.sqlite"), SlackStore(tmp_path / "slack.sqlite")
        url = request.getfixturevalue("postgres_url")
        return SlackStore(db=shared_postgres(url)), SlackStore(db=shared_postgres(url))
    return make


def test_a_delivery_is_taken_once_by_any_worker(two_workers: Stores) -> None:
    a, b = two_workers()
    assert a.first_delivery("Ev1", '{"event_id": "Ev1"}')
    assert not b.first_delivery("Ev1", '{"event_id": "Ev1"}')
    assert not a.first_delivery("Ev1")


def test_a_stopped_workers_unfinished_deliveries_are_taken_over(two_workers: Stores) -> None:
    dead, alive = two_workers()
    dead.beat()
    alive.beat()
    assert dead.first_delivery("Ev1", '{"n": 1}') and dead.first_delivery("Ev2", '{"n": 2}')
    assert dead.first_delivery("Ev3", '{"n": 3}')
    dead.finished("Ev2")
    time.sleep(0.3)
    alive.beat()  # the dead one stopped beating 0.3 s ago
    assert alive.claim_orphans(dead_after=10) == []  # not yet taken for dead
    assert alive.claim_orphans(dead_after=0.2) == [("Ev1", '{"n": 1}'), ("Ev3", '{"n": 3}')]
    assert alive.claim_orphans(dead_after=0.2) == []  # claimed once
    assert alive.taken_over() == 2


def test_a_live_workers_deliveries_stay_with_it(two_workers: Stores) -> None:
    busy, other = two_workers()
    assert busy.first_delivery("Ev9", '{"n": 9}')
    time.sleep(0.3)
    busy.beat()
    assert other.claim_orphans(dead_after=0.2) == []
