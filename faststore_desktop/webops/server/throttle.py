"""Slowing down repeated failed authentication from one client address.

After a few free failures, each further failure within the window costs the client a growing
delay before its answer (exponential, capped), and past a hard limit the address is refused
with 429 until the window passes. A success clears the address's record.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Record:
    failures: int = 0
    first_at: float = 0.0


@dataclass
class AuthThrottle:
    free_failures: int = 3
    base_delay: float = 0.25
    max_delay: float = 4.0
    lockout_after: int = 30
    window: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _records: dict[str, _Record] = field(default_factory=dict)

    def retry_after(self, address: str) -> float:
        """Seconds the address must wait before it may try again; 0 when it may try now."""
        record = self._current(address)
        if record is None or record.failures < self.lockout_after:
            return 0.0
        return max(0.0, record.first_at + self.window - self.clock())

    def failed(self, address: str) -> float:
        """Count a failure; return the delay to impose before answering it."""
        record = self._current(address)
        if record is None:
            self._prune()
            record = self._records[address] = _Record(first_at=self.clock())
        record.failures += 1
        excess = record.failures - self.free_failures
        return 0.0 if excess <= 0 else min(self.max_delay, self.base_delay * 2 ** (excess - 1))

    def succeeded(self, address: str) -> None:
        self._records.pop(address, None)

    def _current(self, address: str) -> _Record | None:
        record = self._records.get(address)
        if record is not None and self.clock() - record.first_at > self.window:
            del self._records[address]
            return None
        return record

    def _prune(self) -> None:
        now = self.clock()
        for address in [a for a, r in self._records.items() if now - r.first_at > self.window]:
            del self._records[address]
