"""Scan data folders for API keys and tokens that must never be written to disk.

Usage: python scripts/secrets_scan.py [PATH ...] [--secret VALUE ...]
Default paths: MATURITY_HOME (logs, reports, sessions and history SQLite, the index)
and evals/cassettes. Exit 1 and one line per finding (the secret itself masked) when
anything is found, else 0.

Two kinds of check: shapes that are secrets wherever they occur (OpenAI ``sk-`` keys,
Slack ``xox?-`` tokens, ``Bearer`` credentials, Authorization and API-key headers with
a real value), and exact values a caller knows are secret (``--secret``, plus the
values of OPENAI_API_KEY, SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_SIGNING_SECRET
when set), which catches secrets of any shape. SQLite files (and their -wal journals)
are scanned as raw bytes, so text inside a database page is found too; ``.gz`` files
(the recorded cassettes) are decompressed first.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET_VARIABLES = ("OPENAI_API_KEY", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")
MAX_FILE_BYTES = 64 * 1024 * 1024

# Values tests and docs use in place of a credential.
_PLACEHOLDER = re.compile(rb"(?i)redacted|filtered|dummy|placeholder|example|^(.)\1*$")
PATTERNS: dict[str, re.Pattern[bytes]] = {
    "openai-key": re.compile(rb"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"),
    "slack-token": re.compile(rb"\bxox[abposre]-[A-Za-z0-9-]{10,}|\bxapp-\d-[A-Za-z0-9-]{10,}"),
    "bearer": re.compile(rb"(?i)\bbearer[ \t]+([A-Za-z0-9._~+/=-]{16,})"),
    # A header or setting named like a credential, with a credential-like value (YAML
    # cassettes put the value on the next line as a list item).
    "auth-header": re.compile(
        rb"(?i)\b(?:authorization|x-api-key|api[-_]?key|openai-api-key)[\"']?[ \t]*[:=][ \t]*"
        rb"(?:\r?\n[ \t]*-[ \t]*)?[\"']?(?:(?:bearer|basic|token)[ \t]+)?"
        rb"([A-Za-z0-9._~+/=-]{12,})"
    ),
}


@dataclass(frozen=True)
class Finding:
    path: Path
    kind: str
    excerpt: str  # masked: enough to find it, not enough to use it

    def __str__(self) -> str:
        return f"{self.path}: {self.kind}: {self.excerpt}"


def _mask(value: bytes) -> str:
    text = value.decode("latin-1")
    return text[:8] + "…" if len(text) > 8 else "…"


def _is_placeholder(value: bytes) -> bool:
    return bool(_PLACEHOLDER.search(value))


def scan_bytes(data: bytes, path: Path, secrets: Iterable[str] = ()) -> list[Finding]:
    found: list[Finding] = []
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(data):
            value = match.group(match.lastindex or 0)
            if kind in ("auth-header", "bearer") and _is_placeholder(value):
                continue
            found.append(Finding(path, kind, _mask(match.group(0))))
    for secret in secrets:
        if len(secret) >= 8 and secret.encode() in data:
            found.append(Finding(path, "known-secret", _mask(secret.encode())))
    return found


def files_under(paths: Iterable[Path]) -> Iterator[Path]:
    for root in paths:
        if root.is_file():
            yield root
        elif root.is_dir():
            yield from sorted(p for p in root.rglob("*") if p.is_file())


def scan(paths: Iterable[Path], secrets: Iterable[str] = ()) -> list[Finding]:
    """Every finding in the files under ``paths``; unreadable files are skipped."""
    known = [s for s in secrets if s]
    findings: list[Finding] = []
    for path in files_under(paths):
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                continue
            data = path.read_bytes()
            if path.suffix == ".gz":  # recorded cassettes are gzipped YAML
                data = gzip.decompress(data)
        except (OSError, EOFError, gzip.BadGzipFile):
            continue
        findings += scan_bytes(data, path, known)
    return findings


def secrets_from_environment() -> list[str]:
    return [os.environ[name] for name in SECRET_VARIABLES if os.environ.get(name)]


def default_paths() -> list[Path]:
    sys.path.insert(0, str(ROOT))
    from agent.paths import maturity_home

    return [maturity_home(), ROOT / "evals" / "cassettes"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--secret", action="append", default=[],
                        help="a value that must not appear anywhere (repeatable)")
    args = parser.parse_args(argv)
    paths = args.paths or default_paths()
    findings = scan(paths, [*args.secret, *secrets_from_environment()])
    for finding in findings:
        print(finding)
    scanned = sum(1 for _ in files_under(paths))
    print(f"{len(findings)} finding(s) in {scanned} file(s) under "
          f"{', '.join(str(p) for p in paths)}", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
