"""A WebOps server newer than the app, as httpx sees it: its whoami names a role this version
has never heard of."""

from __future__ import annotations

import httpx

from faststore_desktop.webops.http.bodies import API_PREFIX, SERVICE_NAME

UNKNOWN_ROLE = "auditor"


def newer_server() -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/healthz":
            return httpx.Response(200, json={"service": SERVICE_NAME, "version": "9.0"})
        if request.url.path == API_PREFIX + "/whoami":
            return httpx.Response(200, json={"name": "ops", "role": UNKNOWN_ROLE})
        return httpx.Response(200, json=[])

    return httpx.MockTransport(answer)
