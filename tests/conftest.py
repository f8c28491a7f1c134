"""Shared fixtures: a data folder per test, one real knowledge index per session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from agent.app import Services, build_services
from agent.retrieval.embedder import HashingEmbedder, default_embedder

if TYPE_CHECKING:
    from agent.assessment.model import Assessment
    from agent.interview import Interviewer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def real_index_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MATURITY_HOME with the bundled packs indexed by the real embedder, built once."""
    home = tmp_path_factory.mktemp("real-home")
    build_services(home).index()
    return home


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty MATURITY_HOME for this test, also set in the environment."""
    path = tmp_path / "home"
    monkeypatch.setenv("MATURITY_HOME", str(path))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("MATURITY_ENGINE", raising=False)
    return path


@pytest.fixture
def indexed_home(home: Path, real_index_home: Path) -> Path:
    """A private copy of the session's real index, so a test may change it freely."""
    shutil.copytree(real_index_home, home)
    return home


@pytest.fixture
def services(indexed_home: Path) -> Services:
    return build_services(indexed_home, embedder_factory=default_embedder)


@pytest.fixture
def artefacts(tmp_path: Path) -> Path:
    """Where a test leaves files worth looking at (PDFs, screenshots): MATURITY_ARTIFACTS
    if set, so a person can open them afterwards, else the test's own folder."""
    configured = os.environ.get("MATURITY_ARTIFACTS")
    folder = Path(configured) if configured else tmp_path / "artefacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def fake_services(home: Path) -> Services:
    """Services with the deterministic hashing embedder: fast, for plumbing tests."""
    return build_services(home, embedder_factory=HashingEmbedder)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run ``maturity ARGS`` in-process: (exit code, stdout, stderr)."""
    from agent.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def interviewer(services: Services) -> Iterator[Interviewer]:
    """The real interview core (offline engine) on this test's MATURITY_HOME."""
    from agent.interview import Interviewer

    with Interviewer(services) as core:
        yield core


@pytest.fixture(scope="session")
def example_assessment(real_index_home: Path) -> Assessment:
    """The bundled example transcript scored offline once per session (reports, history)."""
    from agent.assessment.pipeline import assess
    from agent.engines.offline import OfflineEngine
    from agent.transcripts import read_transcripts

    services = build_services(real_index_home, embedder_factory=default_embedder)
    transcripts = read_transcripts([ROOT / "examples" / "northwind-assessment.txt"])
    return assess(transcripts, services.registry.get("enterprise-ai"),
                  OfflineEngine(services.index()), services.clock())


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[object]:
    """A real PostgreSQL server for the session (tests/postgres_cluster.py); skips when
    PostgreSQL is not installed (scripts/test.sh installs it as root)."""
    from tests.postgres_cluster import Cluster, binaries

    found = binaries()
    if found is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    cluster = Cluster(found)
    try:
        cluster.start()
    except Exception as exc:
        cluster.stop()
        pytest.skip(f"could not start a throwaway PostgreSQL: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh database on the session's server, set as MATURITY_DATABASE_URL."""
    from agent.storage.postgres import close_all
    from tests.postgres_cluster import Cluster

    assert isinstance(postgres_cluster, Cluster)
    url = postgres_cluster.new_database()
    monkeypatch.setenv("MATURITY_DATABASE_URL", url)
    yield url
    close_all()


CHROMA = Path(sys.executable).parent / "chroma"


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"chroma run exited: {log.read_text(errors='replace')[-2000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail("chroma run did not start listening within 60 s")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server (`chroma run`) on a free localhost port, for this module."""
    from tests.postgres_cluster import free_port

    if not CHROMA.exists():
        pytest.skip("the chroma CLI is not installed")
    folder = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(folder / "data"), "--host", "127.0.0.1",
             "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    try:
        _wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)
