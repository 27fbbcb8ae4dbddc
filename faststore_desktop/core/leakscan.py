"""Find the values of entries in files that are shipped to browsers (or committed).

A value can reach a bundle verbatim, base64-encoded (inside a larger base64 stream, at any byte
alignment), URL-encoded or JSON-escaped, so each value is searched for in all those forms
(`encoded_forms`, which the deploy runner's log masking uses too). Findings name the key, the
file, the line and the form: never the value.

Values shorter than `MIN_VALUE_LENGTH` characters are not searched: "1", "true" or "prod" occur
in any bundle and would bury real findings. A value that is part of a longer public value
(`NEXT_PUBLIC_...`, inlined into bundles by design) is expected wherever that public value
appears, so such occurrences are not findings; elsewhere they still are.
"""

from __future__ import annotations

import base64
import enum
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, quote_plus

from faststore_desktop.core.validation import is_public

#: Shorter values are not searched (they would match by chance all over a bundle).
MIN_VALUE_LENGTH = 8
#: Files are read in pieces of this size, so a file of any size is scanned in bounded memory.
CHUNK_SIZE = 4 * 1024 * 1024

# Characters JavaScript's encodeURIComponent and encodeURI leave as they are.
_URI_COMPONENT_SAFE = "-_.!~*'()"
_URI_SAFE = _URI_COMPONENT_SAFE + ";,/?:@&=+$#"


class LeakForm(enum.StrEnum):
    PLAIN = "plain"
    BASE64 = "base64"
    BASE64_URL = "base64url"
    URL_ENCODED = "url-encoded"
    JSON_ESCAPED = "json-escaped"


@dataclass(frozen=True, slots=True)
class LeakFinding:
    key: str
    file: Path
    #: 1-based line of the file where the encoded value starts.
    line: int
    form: LeakForm


@dataclass(frozen=True, slots=True)
class _Pattern:
    key: str
    form: LeakForm
    needle: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class ScanTargets:
    """What to look for, built once from the entries and reused for every file.

    `skipped` holds the keys not searched (their values are too short), for the report.
    """

    patterns: tuple[_Pattern, ...] = field(repr=False)
    #: Plain values of public entries; occurrences of other values inside them are expected.
    public_values: tuple[bytes, ...] = field(repr=False)
    skipped: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.key for p in self.patterns))

    @property
    def longest(self) -> int:
        return max((len(p.needle) for p in self.patterns), default=0)

    @property
    def longest_public(self) -> int:
        return max((len(v) for v in self.public_values), default=0)


def targets_for(entries: Mapping[str, str], *, min_length: int = MIN_VALUE_LENGTH) -> ScanTargets:
    """Search patterns for every non-public entry whose value is long enough."""
    patterns: list[_Pattern] = []
    skipped: list[str] = []
    for key, value in sorted(entries.items()):
        if is_public(key):
            continue
        if len(value) < min_length:
            skipped.append(key)
            continue
        patterns.extend(_Pattern(key, form, needle) for form, needle in encoded_forms(value))
    public = tuple({_utf8(v) for k, v in entries.items() if is_public(k) and v})
    return ScanTargets(tuple(patterns), public, tuple(skipped))


def encoded_forms(value: str) -> Iterator[tuple[LeakForm, bytes]]:
    """Every byte string that betrays `value`, each once, tagged with its form."""
    raw = _utf8(value)
    seen = {raw}
    yield LeakForm.PLAIN, raw
    candidates: list[tuple[LeakForm, bytes]] = []
    for alignment in range(3):
        fragment = _base64_fragment(raw, alignment)
        candidates.append((LeakForm.BASE64, fragment))
        candidates.append((LeakForm.BASE64_URL, fragment.translate(_URLSAFE)))
    for text in _url_encodings(value):
        candidates.append((LeakForm.URL_ENCODED, text.encode("ascii")))
    for text in _json_escapings(value):
        candidates.append((LeakForm.JSON_ESCAPED, _utf8(text)))
    for form, needle in candidates:
        if needle and needle not in seen:
            seen.add(needle)
            yield form, needle


_URLSAFE = bytes.maketrans(b"+/", b"-_")
#: A lone surrogate (pasted from a broken source) must not stop a scan: it is encoded as is.
_SURROGATES = "surrogatepass"


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", _SURROGATES)


def _base64_fragment(raw: bytes, alignment: int) -> bytes:
    """The base64 characters that depend on `raw` alone when it starts `alignment` bytes into a
    3-byte group of a larger stream: whatever surrounds it, these characters are in the stream.
    """
    encoded = base64.b64encode(bytes(alignment) + raw).rstrip(b"=")
    first = -(-alignment * 8 // 6)  # characters touched by the preceding bytes
    last = (alignment + len(raw)) * 8 // 6  # characters made only of known bits
    return encoded[first:last]


def _url_encodings(value: str) -> set[str]:
    """encodeURIComponent, encodeURI, form encoding and Python's quote, in upper and lower hex."""
    variants = {
        quote(value, safe=_URI_COMPONENT_SAFE, errors=_SURROGATES),
        quote(value, safe=_URI_SAFE, errors=_SURROGATES),
        quote(value, safe="", errors=_SURROGATES),
        quote_plus(value, safe=_URI_COMPONENT_SAFE, errors=_SURROGATES),
    }
    return variants | {_lower_hex(v) for v in variants}


#: How HTML-safe JSON writers (Next.js's __NEXT_DATA__, Go) escape characters HTML would parse.
_HTML_SAFE_JSON = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def _json_escapings(value: str) -> set[str]:
    """The value inside a JSON string: as JSON.stringify writes it, with every non-ASCII
    character escaped (Python's json), with "/" escaped as "\\/" and HTML-safe."""
    variants = {json.dumps(value, ensure_ascii=ascii_only)[1:-1] for ascii_only in (False, True)}
    variants |= {v.replace("/", "\\/") for v in variants}
    return variants | {v.translate(_HTML_SAFE_JSON) for v in variants}


def _lower_hex(encoded: str) -> str:
    parts = encoded.split("%")
    return parts[0] + "".join("%" + p[:2].lower() + p[2:] for p in parts[1:])


def scan_files(paths: Iterable[Path], targets: ScanTargets) -> list[LeakFinding]:
    findings: list[LeakFinding] = []
    for path in paths:
        findings.extend(scan_file(path, targets))
    return findings


def scan_file(path: Path, targets: ScanTargets) -> list[LeakFinding]:
    """Findings in one file by line, one per key, line and form. Binary files are fine."""
    if not targets.patterns:
        return []
    with path.open("rb") as stream:
        found = sorted(_scan(stream, targets), key=lambda hit: (hit[1], hit[0], hit[2]))
    return [LeakFinding(key, path, line, form) for key, line, form in found]


def _scan(stream: BinaryIO, targets: ScanTargets) -> Iterator[tuple[str, int, LeakForm]]:
    """Slide a window over the stream; the window keeps enough of the previous piece that a match
    across two pieces is whole, and that a public value around a match is seen entirely.
    """
    keep = targets.longest + 2 * targets.longest_public
    reported: set[tuple[str, int, LeakForm]] = set()
    seen_starts: set[tuple[int, int]] = set()  # (pattern index, absolute offset)
    window = b""
    window_offset = 0  # absolute offset of window[0]
    lines_before = 0  # newlines before window[0]
    while True:
        piece = stream.read(CHUNK_SIZE)
        at_end = not piece
        window += piece
        # A match closer to the end than a public value is long is judged with the next piece.
        settled = len(window) if at_end else len(window) - targets.longest_public
        for index, pattern in enumerate(targets.patterns):
            for start in _occurrences(window, pattern.needle, settled):
                if (index, window_offset + start) in seen_starts:
                    continue
                seen_starts.add((index, window_offset + start))
                if _inside_public_value(window, start, pattern.needle, targets.public_values):
                    continue
                line = lines_before + window.count(b"\n", 0, start) + 1
                finding = (pattern.key, line, pattern.form)
                if finding not in reported:
                    reported.add(finding)
                    yield finding
        if at_end:
            return
        cut = max(0, len(window) - keep)
        lines_before += window.count(b"\n", 0, cut)
        window_offset += cut
        window = window[cut:]


def _occurrences(haystack: bytes, needle: bytes, before: int) -> Iterator[int]:
    start = haystack.find(needle)
    while 0 <= start < before:
        yield start
        start = haystack.find(needle, start + 1)


def _inside_public_value(
    window: bytes, start: int, needle: bytes, public_values: tuple[bytes, ...]
) -> bool:
    """True when the match lies within an occurrence of a longer public value."""
    end = start + len(needle)
    return any(
        len(public) > len(needle)
        and window.find(public, max(0, end - len(public)), start + len(public)) != -1
        for public in public_values
    )
