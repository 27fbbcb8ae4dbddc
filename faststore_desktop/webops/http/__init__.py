"""The WebOps API on the wire: the JSON codec, problem details, and the httpx client."""
