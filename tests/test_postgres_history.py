"""The history on a real PostgreSQL server: same behaviour as on SQLite, shared by
installations with different MATURITY_HOMEs, and a clear stop when the server is gone."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.assessment.model import Assessment
from agent.errors import UserError
from agent.history.store import HistoryStore, history_store
from agent.storage.postgres import Postgres, shared_postgres

ROOT = Path(__file__).resolve().parents[1]


def test_save_list_resolve_and_revise(postgres_url: str,
                                      example_assessment: Assessment) -> None:
    store = HistoryStore(db=shared_postgres(postgres_url))
    first = store.save(example_assessment, "score", engagement="Acme Bank")
    second = store.save(example_assessment, "score")
    assert [e.id for e in store.list()] == [first, second]  # saving order kept
    assert store.resolve(first[:5]) == first
    assert store.get(first).levels() == example_assessment.levels()
    assert store.engagement_names() == ["Acme Bank"]
    assert [e.id for e in store.list(engagement="Acme Bank")] == [first]
    with pytest.raises(UserError, match="no assessment"):
        store.resolve("ffffffffff")


def test_two_stores_on_one_database_migrate_once(postgres_url: str) -> None:
    # Two "workers" opening the store at once must neither fail nor apply a step twice.
    import threading

    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            HistoryStore(db=Postgres(postgres_url, max_connections=2))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    import psycopg

    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute("SELECT component, version FROM maturity_migrations"
                            " WHERE component = 'history'").fetchall()
    assert rows == [("history", 1)]


def test_history_shared_across_homes(postgres_url: str, tmp_path: Path,
                                     real_index_home: Path,
                                     cli: Callable[..., tuple[int, str, str]],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(real_index_home, one)
    monkeypatch.setenv("MATURITY_HOME", str(one))
    code, out, err = cli("score", str(ROOT / "examples" / "northwind-assessment.txt"),
                         "--format", "json", "--engagement", "Northwind")
    assert code == 0, err
    monkeypatch.setenv("MATURITY_HOME", str(two))
    code, out, err = cli("history", "--format", "json")
    assert code == 0, err
    assert '"engagement": "Northwind"' in out
    assert not (one / "history.sqlite").exists() and not (two / "history.sqlite").exists()


@pytest.mark.parametrize("command", [
    ["history"],
    ["sessions", "list"],
    ["score", str(ROOT / "examples" / "northwind-assessment.txt"), "--out", "{out}"],
    ["interview", "--plain", "--name", "Ada", "--role", "CTO", "--out", "{out}"],
])
def test_unreachable_server_is_one_line_and_writes_nothing(tmp_path: Path,
                                                           command: list[str]) -> None:
    from tests.postgres_cluster import free_port

    home, out = tmp_path / "home", tmp_path / "report.md"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MATURITY_HOME": str(home),
           "MATURITY_DATABASE_URL": f"postgresql://maturity@127.0.0.1:{free_port()}/x"}
    args = [a.replace("{out}", str(out)) for a in command]
    done = subprocess.run([sys.executable, "-m", "agent", *args], cwd=ROOT, env=env,
                          input="We use MLflow.\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot use the PostgreSQL database at 127.0.0.1" in lines[0]
    assert "Traceback" not in done.stderr
    assert not out.exists()
    assert not home.exists() or not list(home.rglob("*.sqlite"))


def test_history_store_follows_the_environment(postgres_url: str, tmp_path: Path) -> None:
    from agent.app import build_services

    store = history_store(build_services(tmp_path / "home"))
    assert store.db is not None and store.path is None


def test_a_restarted_server_costs_a_reconnect_not_an_error(
        postgres_url: str, postgres_cluster: object, example_assessment: Assessment) -> None:
    from tests.postgres_cluster import Cluster

    assert isinstance(postgres_cluster, Cluster)
    store = HistoryStore(db=shared_postgres(postgres_url))
    first = store.save(example_assessment, "score")
    postgres_cluster.restart()
    assert [e.id for e in store.list()] == [first]
