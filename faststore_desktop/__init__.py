"""FastStore Desktop: WebOps variables and secrets, deployments and vtex.env, on the desktop."""


def __getattr__(name: str) -> str:
    """`__version__`, read from the installed metadata when first asked for: importing
    importlib.metadata takes ~80 ms, too long to spend before the window shows."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("faststore-desktop")
    except PackageNotFoundError:  # running from a source tree that was not installed
        value = "0.0.0+unknown"
    globals()["__version__"] = value
    return value
