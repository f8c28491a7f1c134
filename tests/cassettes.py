"""Recorded LLM traffic for the eval gate: one gzip-compressed vcrpy cassette per case.

Requests match on method, path and body, so a changed prompt, model, schema or transcript
misses its cassette. Every request header is dropped before a cassette is written (the
key travels in one) and responses keep only their content type, which the client needs
to parse them.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import vcr
from vcr.persisters.filesystem import CassetteNotFoundError
from vcr.serialize import deserialize, serialize

from agent.paths import evals_dir

RECORD_COMMAND = "bash scripts/record_cassettes.sh"
KEEP_RESPONSE_HEADERS = {"content-type"}


def cassettes_dir() -> Path:
    return evals_dir() / "cassettes"


def recording() -> bool:
    """MATURITY_RECORD=1 re-records every cassette; =new records only the missing ones
    (a resumed recording, or cases added since), replaying the rest."""
    return os.environ.get("MATURITY_RECORD") in ("1", "new")


def _record_mode() -> str:
    return {"1": "all", "new": "once"}.get(os.environ.get("MATURITY_RECORD", ""), "none")


def recorded_with() -> dict[str, Any]:
    """Which model and endpoint made the cassettes (written by the recording script)."""
    path = cassettes_dir() / "recorded_with.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


class GzipPersister:
    @classmethod
    def load_cassette(cls, cassette_path: str, serializer: Any) -> Any:
        path = Path(cassette_path)
        if not path.is_file():
            raise CassetteNotFoundError()
        return deserialize(gzip.decompress(path.read_bytes()).decode("utf-8"), serializer)

    @staticmethod
    def save_cassette(cassette_path: str, cassette_dict: Any, serializer: Any) -> None:
        path = Path(cassette_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = gzip.compress(serialize(cassette_dict, serializer).encode("utf-8"), mtime=0)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)


def _scrub_request(request: Any) -> Any:
    request.headers = {}
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {k: v for k, v in response.get("headers", {}).items()
                           if k.lower() in KEEP_RESPONSE_HEADERS}
    return response


def make_vcr() -> vcr.VCR:
    recorder = vcr.VCR(
        record_mode=_record_mode(),
        match_on=("method", "path", "body"),
        before_record_request=_scrub_request,
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )
    recorder.register_persister(GzipPersister)
    return recorder


def cassette_path(case_id: str) -> Path:
    return cassettes_dir() / f"{case_id}.yaml.gz"
