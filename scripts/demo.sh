#!/usr/bin/env bash
# Set everything up from the lock file and run the main job.
# At a terminal: the interview (Textual chat) on the default framework, enterprise-ai.
# Without a terminal (a pipe, CI): score the bundled example transcript instead, since an
# interview needs someone to answer.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "uv==0.13.8"
python3 -m uv sync --frozen --quiet
if [ -t 0 ] && [ -t 1 ]; then
  exec python3 -m uv run --frozen maturity interview "$@"
fi
exec python3 -m uv run --frozen maturity score examples/northwind-assessment.txt --format md "$@"
