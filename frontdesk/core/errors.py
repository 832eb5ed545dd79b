"""Errors a user can act on, as opposed to bugs.

Services raise :class:`RuleError` (or a subclass) with a message already in the
user's language; the GUI shows it in a plain dialog and the CLI prints it to stderr
and exits with code 1. Anything else is a bug and is reported as such.
"""

from __future__ import annotations


class FrontdeskError(Exception):
    """Base of every error whose message is meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class RuleError(FrontdeskError):
    """A rule refused the request (wrong input, a limit, a conflict)."""


class NotFoundError(RuleError):
    """The record the user named does not exist."""


class PermissionDenied(RuleError):
    """The operator's role does not allow this action."""


class AuthenticationError(RuleError):
    """Wrong username or password, or a locked/inactive account."""


class DatabaseError(FrontdeskError):
    """The database cannot be used as it is (unreachable, read-only, corrupt, too new)."""


class DatabaseMissing(DatabaseError):
    """The SQLite file named does not exist (and this command does not create databases)."""


class DatabaseTooNew(DatabaseError):
    """The database was written by a newer version of the program."""
