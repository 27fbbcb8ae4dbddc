"""Reading the text of a bulk edit: dotenv (vtex.env, .env) or a flat JSON object
(secrets.revealed.json), into key/value pairs and the findings about the text itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from faststore_desktop.core import legacy
from faststore_desktop.core.dotenv import parse_dotenv
from faststore_desktop.core.validation import Finding


@dataclass(frozen=True, slots=True)
class BulkInput:
    values: dict[str, str] = field(repr=False)
    findings: tuple[Finding, ...]


def read_bulk_text(text: str, name: str = "") -> BulkInput:
    """JSON when the file is .json or the text starts with "{", dotenv otherwise."""
    if name.lower().endswith(".json") or text.lstrip().startswith("{"):
        revealed = legacy.parse_revealed(text, name or legacy.REVEALED_FILE)
        return BulkInput(dict(revealed.values), revealed.findings)
    document = parse_dotenv(text)
    return BulkInput(document.values(), tuple(document.findings))
