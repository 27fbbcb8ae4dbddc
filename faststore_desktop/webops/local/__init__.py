"""The embedded WebOps: an encrypted SQLite store and a local deploy runner."""
