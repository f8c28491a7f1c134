#!/usr/bin/env bash
# Set everything up from the lock file and run the whole test suite: lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "uv==0.13.8"
python3 -m uv sync --frozen --quiet
python3 -m uv run --frozen ruff check .
python3 -m uv run --frozen mypy
python3 -m uv run --frozen pytest -q "$@"
