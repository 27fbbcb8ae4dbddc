"""Dialogs, opened without blocking the event loop (see `run.py`)."""
