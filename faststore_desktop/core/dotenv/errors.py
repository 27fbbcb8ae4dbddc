"""Typed errors of dotenv editing. Each message is fit to show a user and names the key only."""

from __future__ import annotations


class DotenvError(Exception):
    """Base of the dotenv errors; `message` is user-facing and never holds a value."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


class InvalidDotenvKeyError(DotenvError):
    """The key is one Node's dotenv cannot read or keeps out of its result."""


class UnrepresentableValueError(DotenvError):
    """No spelling of the value reads back exactly through Node's dotenv at that place."""


class DotenvEditError(DotenvError):
    """The edit would change how Node's dotenv reads other lines of the file."""
