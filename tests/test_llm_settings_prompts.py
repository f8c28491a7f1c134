"""LLM settings (env over config file over defaults) and prompts as versioned data."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.app import configured_engine
from agent.errors import UserError
from agent.llm.prompts import Prompt, PromptError, load_prompt, prompt_names
from agent.llm.settings import DEFAULT_MODEL, LLMSettings, llm_configured, load_settings
from agent.paths import prompts_dir

ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "MATURITY_MODEL", "AZURE_OPENAI_ENDPOINT",
       "AZURE_OPENAI_API_KEY", "OPENAI_API_VERSION", "MATURITY_LLM_TIMEOUT",
       "MATURITY_LLM_MAX_RETRIES", "MATURITY_LLM_STRUCTURED_METHOD",
       "MATURITY_LLM_CONTEXT_TOKENS", "MATURITY_LLM_MAX_TOKENS", "MATURITY_ENGINE")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text)


def test_defaults_without_env_or_file(home: Path) -> None:
    s = load_settings(home)
    assert s.model == DEFAULT_MODEL and s.api_key is None and s.base_url is None
    assert s.temperature == 0 and s.method() == "json_schema" and s.is_openai
    assert not llm_configured()


def test_env_wins_over_config_file_and_file_over_defaults(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(home, '[llm]\nmodel = "from-file"\ntimeout_s = 5\ncontext_tokens = 8192\n'
                       '[llm.prices."from-file"]\nprompt = 1.0\ncompletion = 2.0\n')
    s = load_settings(home)
    assert (s.model, s.timeout_s, s.context_tokens) == ("from-file", 5, 8192)
    assert s.cost(1_000_000, 500_000) == pytest.approx(2.0)
    assert s.prices["gpt-4.1-mini"].prompt == 0.40  # the file extends the default table
    monkeypatch.setenv("MATURITY_MODEL", "from-env")
    monkeypatch.setenv("MATURITY_LLM_TIMEOUT", "7.5")
    s = load_settings(home)
    assert (s.model, s.timeout_s) == ("from-env", 7.5)
    assert load_settings(home, model="explicit").model == "explicit"


def test_api_key_is_secret_and_never_read_from_a_file(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value-123")
    s = load_settings(home)
    assert "sk-secret" not in repr(s) and "sk-secret" not in str(s.model_dump())
    assert llm_configured()
    write_config(home, '[llm]\napi_key = "sk-in-a-file"\n')
    with pytest.raises(UserError, match="OPENAI_API_KEY"):
        load_settings(home)


@pytest.mark.parametrize(("text", "message"), [
    ("[llm\nmodel=", "cannot read"),
    ('llm = "x"\n', "must be a table"),
    ("[llm]\nmax_retries = 99\n", "max_retries"),
    ('[llm]\nstructured_method = "xml"\n', "structured_method"),
])
def test_bad_config_is_a_user_error(home: Path, text: str, message: str) -> None:
    write_config(home, text)
    with pytest.raises(UserError, match=message):
        load_settings(home)


def test_structured_method_per_endpoint(home: Path) -> None:
    assert load_settings(home, base_url="https://api.openai.com/v1").method() == "json_schema"
    local = load_settings(home, base_url="http://127.0.0.1:8765/v1")
    assert local.method() == "function_calling" and not local.is_openai
    azure = load_settings(home, azure_endpoint="https://x.openai.azure.com", api_version="v")
    assert azure.method() == "json_schema" and azure.is_azure
    forced = load_settings(home, base_url="http://127.0.0.1:1/v1",
                           structured_method="json_schema")
    assert forced.method() == "json_schema"


def test_prices_match_snapshots_by_prefix_and_local_models_cost_nothing(home: Path) -> None:
    assert load_settings(home, model="gpt-4.1-mini-2025-04-14").price() == (
        LLMSettings.model_validate({"model": "x"}).prices["gpt-4.1-mini"])
    assert load_settings(home, model="smollm2-135m").cost(10_000, 10_000) == 0.0
    assert load_settings(home, model="gpt-4.1-mini").cost(1_000_000, 0) == pytest.approx(0.40)


def test_configured_engine_follows_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    assert configured_engine() == "offline"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert configured_engine() == "llm"
    monkeypatch.setenv("MATURITY_ENGINE", "offline")
    assert configured_engine() == "offline"
    assert configured_engine("llm") == "llm"
    with pytest.raises(UserError):
        configured_engine("magic")


# --- prompts -------------------------------------------------------------------------

def test_every_prompt_renders_with_its_declared_variables() -> None:
    names = prompt_names()
    assert {"extract_evidence", "repair_structured"} <= set(names)
    for name in names:
        prompt = load_prompt(name)
        values = {v: f"<{v} value>" for v in prompt.variables}
        messages = prompt.render(**values)
        text = "\n".join(content for _, content in messages)
        assert "{{" not in text and all(f"<{v} value>" in text for v in prompt.variables)
        assert {role for role, _ in messages} <= {"system", "user", "assistant"}
        assert prompt.tag.startswith(f"{name}@{prompt.version}#") and len(prompt.digest) == 8


def test_render_rejects_missing_and_undeclared_values() -> None:
    prompt = load_prompt("repair_structured")
    with pytest.raises(PromptError, match="missing"):
        prompt.render()
    with pytest.raises(PromptError, match="undeclared"):
        prompt.render(error="x", extra="y")


def test_rendering_is_one_pass_so_data_cannot_inject_placeholders() -> None:
    prompt = load_prompt("repair_structured")
    (_, content), = prompt.render(error="{{ error }} and {{ secret }}")
    assert "{{ error }} and {{ secret }}" in content


@pytest.mark.parametrize(("body", "message"), [
    ("id: bad\nversion: 1\ndescription: d\nvariables: []\nmessages:\n"
     "  - {role: user, content: 'hi {{ who }}'}\n", "undeclared"),
    ("id: bad\nversion: 1\ndescription: d\nvariables: [who, never]\nmessages:\n"
     "  - {role: user, content: 'hi {{ who }}'}\n", "unused"),
    ("id: bad\ndescription: d\nmessages:\n  - {role: user, content: hi}\n", "version"),
    ("id: other\nversion: 1\ndescription: d\nmessages:\n  - {role: user, content: hi}\n",
     "must be 'bad'"),
    ("id: bad\nversion: 1\ndescription: d\nmessages:\n  - {role: robot, content: hi}\n",
     "role|Input should be"),
])
def test_broken_prompt_files_fail_to_load(tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / "bad.yaml").write_text(body)
    with pytest.raises(PromptError, match=message):
        load_prompt("bad", tmp_path)


def test_a_prompt_edit_changes_the_recorded_tag(tmp_path: Path) -> None:
    source = (prompts_dir() / "repair_structured.yaml").read_text()
    (tmp_path / "repair_structured.yaml").write_text(source + "\n# edited\n")
    edited = load_prompt("repair_structured", tmp_path)
    original = load_prompt("repair_structured")
    assert isinstance(edited, Prompt) and edited.version == original.version
    assert edited.tag != original.tag
