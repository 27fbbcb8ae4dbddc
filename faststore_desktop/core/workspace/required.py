"""Keys a FastStore build needs, and where each one is missing."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

#: Key -> why the build needs it.
REQUIRED_KEYS: dict[str, str] = {
    "FS_DISCOVERY_APP_KEY": "the app key the build uses to read the catalog",
    "FS_DISCOVERY_APP_TOKEN": "the app token paired with FS_DISCOVERY_APP_KEY",
    "VTEX_ACCOUNT": "the VTEX account, needed for localization",
}


@dataclass(frozen=True, slots=True)
class MissingKey:
    key: str
    why: str
    missing_in_webops: bool
    missing_in_env_file: bool

    @property
    def message(self) -> str:
        places = [
            name
            for name, missing in (
                ("WebOps", self.missing_in_webops),
                ("vtex.env", self.missing_in_env_file),
            )
            if missing
        ]
        return f"{self.key} is missing from {' and '.join(places)}: {self.why}."


def missing_required_keys(
    webops_keys: Collection[str], env_file_keys: Collection[str]
) -> list[MissingKey]:
    return [
        MissingKey(key, why, key not in webops_keys, key not in env_file_keys)
        for key, why in REQUIRED_KEYS.items()
        if key not in webops_keys or key not in env_file_keys
    ]
