"""Who is speaking: names and job titles from Slack profiles, and who fits a question best."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from agent.slack.store import Participant
from agent.transcripts.roles import categorise_role

log = logging.getLogger(__name__)

#: Role answers longer than this are not a job title; we keep the start.
MAX_ROLE_CHARS = 80


@dataclass(frozen=True)
class Profile:
    name: str
    title: str | None


class ProfileDirectory:
    """``users.info`` with a cache: one lookup per person per hour, not per message."""

    def __init__(self, client: WebClient, ttl_s: float = 3600.0) -> None:
        self._client = client
        self._ttl_s = ttl_s
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, Profile]] = {}

    def profile(self, user_id: str) -> Profile:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(user_id)
        if hit and now - hit[0] < self._ttl_s:
            return hit[1]
        profile = self._lookup(user_id)
        with self._lock:
            self._cache[user_id] = (now, profile)
        return profile

    def _lookup(self, user_id: str) -> Profile:
        try:
            user = self._client.users_info(user=user_id).get("user") or {}
        except SlackApiError as exc:
            # Without users:read (or for a deleted user) we still interview them: the
            # id stands in for the name and we ask for the role in the thread.
            log.warning("users.info for %s failed: %s", user_id, exc.response.get("error"))
            return Profile(user_id, None)
        fields = user.get("profile") or {}
        name = (fields.get("real_name") or user.get("real_name")
                or fields.get("display_name") or user.get("name") or user_id)
        return Profile(str(name).strip() or user_id, clean_role(fields.get("title")))


def clean_role(text: str | None) -> str | None:
    role = " ".join((text or "").split()).strip(" .")
    return role[:MAX_ROLE_CHARS] or None


def best_fit(people: Sequence[Participant], for_roles: Sequence[str]) -> Participant | None:
    """The first person whose role falls in the earliest fitting category, if any."""
    for category in for_roles:
        for person in people:
            if person.role and categorise_role(person.role) == category:
                return person
    return None


def unique_name(name: str, user_id: str, people: Sequence[Participant]) -> str:
    """Two people called Sam in one thread stay two speakers in the evidence."""
    taken = {p.name for p in people if p.user_id != user_id}
    return name if name not in taken else f"{name} ({user_id})"
