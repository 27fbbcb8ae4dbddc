"""Helpers shared by the server tests (a module with a unique name, importable from tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import httpx

from faststore_desktop.webops.server.app import ServerState
from faststore_desktop.webops.server.process import ServerProcess
from faststore_desktop.webops.server.tokens import Role, TokenStore

API = "/api/v1"
PROBLEM = "urn:faststore-desktop:problem:"


@dataclass
class Api:
    """An httpx client on the in-process app, and a token per role."""

    client: httpx.AsyncClient
    tokens: dict[str, str]
    state: ServerState
    token_store: TokenStore
    sleeps: list[float] = field(default_factory=list)

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    async def new_store(self) -> str:
        response = await self.client.post(
            f"{API}/stores", json={"name": "Shop"}, headers=self.auth("admin")
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])


def make_tokens(store: TokenStore) -> dict[str, str]:
    tokens = {role.label: store.create(role.label, role) for role in Role}
    tokens["expired"] = store.create("expired", Role.ADMIN, expires_in=timedelta(seconds=-1))
    tokens["revoked"] = store.create("revoked", Role.ADMIN)
    store.revoke("revoked")
    return tokens


@dataclass
class Served:
    process: ServerProcess
    tokens: dict[str, str]

    @property
    def base_url(self) -> str:
        return self.process.base_url
