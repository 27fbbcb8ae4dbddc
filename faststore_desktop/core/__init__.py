"""The rules of variables and secrets, with no Qt and no network."""
