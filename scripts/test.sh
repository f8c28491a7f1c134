#!/usr/bin/env bash
# Set everything up from the lock file and run the whole test suite: lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "uv==0.13.8"
python3 -m uv sync --frozen --quiet
# The HTML and PDF report tests render in headless Chromium and rasterise the PDF with
# poppler; the scale-out tests start a throwaway PostgreSQL cluster (initdb on a free
# port, stopped at the end; see tests/postgres_cluster.py) and a real `chroma run`. On a
# Debian machine run as root (as CI is), install them when missing. Elsewhere those
# tests skip with the reason.
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
    || missing="$missing postgresql"
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing; } \
        >/dev/null 2>&1 || echo "note: could not install$missing; the tests that need them will skip" >&2
fi
python3 -m uv run --frozen ruff check .
python3 -m uv run --frozen mypy
python3 -m uv run --frozen pytest -q "$@"
