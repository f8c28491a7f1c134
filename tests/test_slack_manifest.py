"""The Slack app manifest asks for what the bot uses, and nothing is left out."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# The Web API methods the bot calls and the bot scope each needs.
SCOPES = {"chat_postMessage": "chat:write", "users_info": "users:read",
          "files_upload_v2": "files:write"}
EVENT_SUBSCRIPTIONS = {"app_mention": {"app_mention"},
                       "message": {"message.channels", "message.groups"}}


def _calls_in(folder: Path) -> set[str]:
    names = set()
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
    return names


def test_the_manifest_covers_every_event_scope_and_command_the_bot_uses() -> None:
    manifest = yaml.safe_load((ROOT / "slack" / "manifest.yaml").read_text())
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    used = _calls_in(ROOT / "agent" / "slack")
    for method, scope in SCOPES.items():
        assert method in used and scope in scopes, method
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    for needed in EVENT_SUBSCRIPTIONS.values():
        assert needed <= events
    assert {"app_mentions:read", "channels:history", "groups:history", "commands"} <= scopes
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/maturity"
    assert command["url"].endswith("/slack/events")
    assert manifest["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert manifest["settings"]["socket_mode_enabled"] is False
