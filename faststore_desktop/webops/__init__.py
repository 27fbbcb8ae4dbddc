"""The WebOps protocol and its implementations (embedded and HTTP)."""
