"""Entry reads on the WebOps API server under many concurrent clients on loopback.

The server is a real `faststore-desktop serve` child process over a seeded store; each client is
its own httpx connection reading random entries (GET one entry) as fast as answers come back.
The load generator runs in this process on a plain asyncio loop, sharing the machine's cores
with the server: the figures are a floor, not the server's ceiling.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.loops import run_plain
from benchmarks.plan import Plan
from benchmarks.report import Row
from benchmarks.seed import entry_key, open_local, seeded_store
from benchmarks.served import served
from faststore_desktop.webops.http.bodies import API_PREFIX

WARM_UP_SECONDS = 0.3


def run(plan: Plan) -> list[Row]:
    throughputs, latencies = run_plain(lambda: _measure(plan))
    clients = plan.server_clients
    return [
        Row(
            f"server entry reads, {clients} clients",
            "req/s",
            samples=tuple(throughputs),
            note=f"{plan.server_runs} run(s) of {plan.server_seconds:g} s",
        ),
        Row(f"server entry read latency, {clients} clients", "ms", samples=tuple(latencies)),
    ]


async def _measure(plan: Plan) -> tuple[list[float], list[float]]:
    with tempfile.TemporaryDirectory(prefix="fsd-bench-server-") as root:
        data_dir, data_key = Path(root) / "data", secrets.token_bytes(32)
        webops = await open_local(data_dir, data_key)
        try:
            store = await seeded_store(webops, "Reads", plan.server_entries)
        finally:
            await webops.close()
        with served(data_dir, data_key) as (server, token):
            base = f"{server.base_url}{API_PREFIX}/stores/{store.id}/entries/"
            keys = [base + entry_key(index) for index in range(plan.server_entries)]
            # Clients are made before the clock runs: each builds an SSL context (~30 ms).
            clients = [_client(token) for _ in range(plan.server_clients)]
            try:
                await _load(clients, keys, WARM_UP_SECONDS)
                throughputs: list[float] = []
                latencies: list[float] = []
                for _ in range(plan.server_runs):
                    run_latencies = await _load(clients, keys, plan.server_seconds)
                    throughputs.append(len(run_latencies) / plan.server_seconds)
                    latencies += run_latencies
            finally:
                await asyncio.gather(*(client.aclose() for client in clients))
    return throughputs, latencies


def _client(token: str) -> httpx.AsyncClient:
    """One client, one connection: a separate user of the server."""
    return httpx.AsyncClient(
        headers={"Authorization": f"Bearer {token}"}, limits=httpx.Limits(max_connections=1)
    )


async def _load(clients: list[httpx.AsyncClient], urls: list[str], seconds: float) -> list[float]:
    """Every client reads random entries until `seconds` have passed; each answer's latency."""
    deadline = time.monotonic() + seconds

    async def reads(http: httpx.AsyncClient) -> list[float]:
        latencies: list[float] = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            response = await http.get(random.choice(urls))
            response.raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
        return latencies

    results = await asyncio.gather(*(reads(http) for http in clients))
    return [latency for latencies in results for latency in latencies]
