#!/usr/bin/env bash
# Set everything up from the lock file and run the main job on the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "uv==0.13.8"
python3 -m uv sync --frozen --quiet
python3 -m uv run --frozen maturity score examples/northwind-assessment.txt --format md "$@"
