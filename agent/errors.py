"""Errors a user can fix. The CLI turns them into exit code 2 and one line on stderr."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or usage: the message says what is wrong and what to do."""


class PackError(UserError):
    """A framework pack or crosswalk that does not load or validate."""
