"""FastStore Desktop: WebOps variables and secrets, deployments and vtex.env, on the desktop."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("faststore-desktop")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"
