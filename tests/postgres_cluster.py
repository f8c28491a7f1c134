"""A throwaway PostgreSQL server for the tests: ``initdb`` in a temporary folder, started
on a free port, trust authentication on 127.0.0.1 only, stopped and deleted at the end.

Debian's ``postgresql`` package provides the binaries (scripts/test.sh installs it as
root, as it does chromium). PostgreSQL refuses to run as root, so as root the cluster
belongs to the ``postgres`` system user and its commands run through ``runuser``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg


def binaries() -> Path | None:
    """The folder with initdb and pg_ctl, or None when PostgreSQL is not installed."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="maturity-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> str:
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "maturity", "--auth=trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        options = [f"port = {self.port}", f"unix_socket_directories = '{self.folder}'",
                   "listen_addresses = '127.0.0.1'", "fsync = off", "synchronous_commit = off",
                   "full_page_writes = off", "max_connections = 200"]
        # The options go into postgresql.auto.conf, so a restart keeps the port.
        (self.data / "postgresql.auto.conf").write_text(
            "".join(f"{line}\n" for line in options), encoding="utf-8")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-w", "-t", "60", "start")
        return self.url("postgres")

    def restart(self) -> None:
        """Stop the server and start it again: every connection is dropped. (A fast stop:
        the throwaway cluster commits asynchronously, so a crash would lose the last
        transactions, which is not what a restart test is about.)"""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-w", "-t", "60", "start")

    def url(self, database: str) -> str:
        return f"postgresql://maturity@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database on the cluster; its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")  # a generated name, safe to inline
        return self.url(name)

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
