"""Where the app keeps its files: the platform's config and data directories."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "FastStoreDesktop"
APP_AUTHOR = "FastStore"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR, ensure_exists=True))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, ensure_exists=True))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR, ensure_exists=True))
