#!/usr/bin/env bash
# Set everything up from the lock file and run the whole test suite: lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "uv==0.13.8"
python3 -m uv sync --frozen --quiet
# The HTML report test renders in headless Chromium; on a Debian machine run as root
# (as CI is), install it when missing. Elsewhere that one test skips with the reason.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
        >/dev/null 2>&1 || echo "note: could not install chromium; the browser test will skip" >&2
fi
python3 -m uv run --frozen ruff check .
python3 -m uv run --frozen mypy
python3 -m uv run --frozen pytest -q "$@"
