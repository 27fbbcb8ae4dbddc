"""Reading and editing dotenv text (vtex.env) exactly as Node's dotenv 16 reads it."""

from faststore_desktop.core.dotenv.document import (
    DotenvDocument,
    DotenvItem,
    LineKind,
    parse_dotenv,
)
from faststore_desktop.core.dotenv.errors import (
    DotenvEditError,
    DotenvError,
    InvalidDotenvKeyError,
    UnrepresentableValueError,
)
from faststore_desktop.core.dotenv.grammar import parse_values

__all__ = [
    "DotenvDocument",
    "DotenvEditError",
    "DotenvError",
    "DotenvItem",
    "InvalidDotenvKeyError",
    "LineKind",
    "UnrepresentableValueError",
    "parse_dotenv",
    "parse_values",
]
