"""Prompts as versioned data: ``prompts/<name>.yaml`` rendered with declared variables.

A prompt file holds ``id``, ``version``, ``description``, ``variables`` (the names it
may use) and ``messages`` (role + content). Content refers to a variable as
``{{ name }}``. Loading fails if the content uses an undeclared name or declares one it
never uses; rendering fails if a value is missing or not declared. Rendering is one
pass: a value that itself contains ``{{ x }}`` (a transcript, say) is never expanded.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from agent.errors import UserError
from agent.paths import prompts_dir

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class PromptError(UserError):
    """A prompt file that does not load, or a render with the wrong variables."""


class PromptMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Literal["system", "user", "assistant"]
    content: str = Field(min_length=1)


class Prompt(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: str = Field(min_length=1)
    description: str
    variables: list[str] = []
    messages: list[PromptMessage] = Field(min_length=1)
    #: First 8 hex digits of the file's SHA-256: an edit without a version bump still shows.
    digest: str = ""

    @model_validator(mode="after")
    def _declared_is_used(self) -> Prompt:
        used = {m for msg in self.messages for m in PLACEHOLDER.findall(msg.content)}
        declared = set(self.variables)
        if len(declared) != len(self.variables):
            raise ValueError("variables lists a name twice")
        bad = [v for v in self.variables if not NAME.match(v)]
        if bad:
            raise ValueError(f"variable {bad[0]!r} must be lowercase letters, digits and _")
        if used - declared:
            raise ValueError(f"uses undeclared variable(s) {sorted(used - declared)}")
        if declared - used:
            raise ValueError(f"declares unused variable(s) {sorted(declared - used)}")
        return self

    @property
    def tag(self) -> str:
        """What an assessment records: ``id@version#digest``."""
        return f"{self.id}@{self.version}#{self.digest}"

    def render(self, **values: object) -> list[tuple[str, str]]:
        """The messages as (role, content) with every placeholder filled."""
        missing = [v for v in self.variables if v not in values]
        extra = sorted(set(values) - set(self.variables))
        if missing or extra:
            problem = f"missing {missing}" if missing else f"undeclared {extra}"
            raise PromptError(f"prompt {self.id!r}: {problem} variable(s)")
        text = {k: str(v) for k, v in values.items()}
        return [(m.role, PLACEHOLDER.sub(lambda hit: text[hit.group(1)], m.content))
                for m in self.messages]


def prompt_names(folder: Path | None = None) -> list[str]:
    return sorted(p.stem for p in (folder or prompts_dir()).glob("*.yaml"))


def load_prompt(name: str, folder: Path | None = None) -> Prompt:
    return _load(name, folder or prompts_dir())


@lru_cache(maxsize=64)
def _load(name: str, folder: Path) -> Prompt:
    path = folder / f"{name}.yaml"
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw)
    except FileNotFoundError:
        raise PromptError(f"no prompt {name!r} in {folder}; reinstall maturity") from None
    except (OSError, yaml.YAMLError) as exc:
        raise PromptError(f"prompt file {path} does not load: {exc}") from None
    if not isinstance(data, dict):
        raise PromptError(f"prompt file {path} must be a mapping")
    if "version" in data:
        data["version"] = str(data["version"])  # `version: 1` is fine in YAML
    try:
        prompt = Prompt.model_validate({**data, "digest": hashlib.sha256(raw).hexdigest()[:8]})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = ".".join(str(p) for p in first["loc"])
        raise PromptError(f"prompt file {path}: {field + ': ' if field else ''}{first['msg']}"
                          ) from None
    if prompt.id != name:
        raise PromptError(f"prompt file {path} has id {prompt.id!r}; it must be {name!r}")
    return prompt
