"""The Slack app's credentials and where its Web API lives, read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass

from agent.errors import UserError

SLACK_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class SlackSettings:
    signing_secret: str
    bot_token: str
    api_url: str = SLACK_API_URL

    def __repr__(self) -> str:  # never print the secrets
        return f"SlackSettings(api_url={self.api_url!r})"


def slack_settings_from_env() -> SlackSettings:
    """Credentials from SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN; a fixable error if missing."""
    secret = os.environ.get("SLACK_SIGNING_SECRET", "").strip()
    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    missing = [name for name, value in (("SLACK_SIGNING_SECRET", secret),
                                        ("SLACK_BOT_TOKEN", token)) if not value]
    if missing:
        raise UserError(
            f"{' and '.join(missing)} not set; copy the signing secret (Basic Information) "
            "and the bot token (OAuth & Permissions) from your Slack app and export them"
        )
    return SlackSettings(secret, token, api_base_url(os.environ.get("MATURITY_SLACK_API_URL")))


def api_base_url(configured: str | None) -> str:
    """The Web API base URL with the trailing slash the client joins method names onto."""
    url = (configured or "").strip() or SLACK_API_URL
    if not url.startswith(("http://", "https://")):
        raise UserError(f"MATURITY_SLACK_API_URL {url!r} is not an http(s) URL; "
                        "set it to the Web API base, e.g. https://slack.com/api/")
    return url if url.endswith("/") else url + "/"
