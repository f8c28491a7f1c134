"""Everything the bot says goes through here: thread replies, the scorecard, the report file."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from agent.slack.store import ThreadKey
from agent.slack.text import split_text

log = logging.getLogger(__name__)

#: Slack shows long messages collapsed and cuts them at 40k characters; parts this size
#: stay readable and leave room for the part label.
PART_CHARS = 3500


class ThreadPoster:
    def __init__(self, client: WebClient) -> None:
        self.client = client

    def start_thread(self, channel: str, text: str) -> str:
        """Post a top-level message whose replies become the interview thread; its ts."""
        response = self.client.chat_postMessage(channel=channel, text=text)
        return str(response["ts"])

    def say(self, key: ThreadKey, text: str, blocks: list[dict[str, Any]] | None = None,
            markdown: bool = True) -> None:
        self.client.chat_postMessage(channel=key.channel, thread_ts=key.thread_ts, text=text,
                                     blocks=blocks, mrkdwn=markdown, unfurl_links=False,
                                     unfurl_media=False)

    def upload_report(self, key: ThreadKey, report: str, filename: str, title: str) -> str:
        """Upload the Markdown report into the thread; post it in parts if uploads fail.

        Returns ``"file"`` or ``"parts"``, which is how it went out.
        """
        try:
            self.client.files_upload_v2(channel=key.channel, thread_ts=key.thread_ts,
                                        content=report, filename=filename, title=title,
                                        snippet_type="markdown")
            return "file"
        except (SlackApiError, SlackRequestError) as exc:
            # Usually a missing files:write scope; the thread still gets the whole report.
            log.warning("report upload failed (%s); posting it in parts", exc)
        parts = split_text(report, PART_CHARS)
        for n, part in enumerate(parts, start=1):
            self.say(key, f"{title} ({n}/{len(parts)})\n{part}", markdown=False)
        return "parts"
