"""Starting the API server: checks on the address and TLS, logging, and uvicorn."""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn

from faststore_desktop.webops.addresses import is_loopback
from faststore_desktop.webops.errors import WebOpsError
from faststore_desktop.webops.server.app import ServerState, create_app
from faststore_desktop.webops.server.backend import LocalBackend
from faststore_desktop.webops.server.limits import Limits
from faststore_desktop.webops.server.tokens import TokenStore

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class ServeRefusedError(Exception):
    """A configuration the server refuses to start with; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class ServeOptions:
    host: str
    port: int
    data_dir: Path
    data_key: bytes
    tls_cert: Path | None = None
    tls_key: Path | None = None
    insecure: bool = False
    limits: Limits = field(default_factory=Limits)
    keepalive: float = 15.0

    def __repr__(self) -> str:  # the data key stays out of reprs
        return f"ServeOptions(host={self.host!r}, port={self.port}, data_dir={self.data_dir})"


def check_address(options: ServeOptions) -> None:
    if (options.tls_cert is None) != (options.tls_key is None):
        raise ServeRefusedError("TLS needs both --tls-cert and --tls-key.")
    if options.tls_cert is None and not options.insecure and not is_loopback(options.host):
        raise ServeRefusedError(
            f"Refusing to serve on {options.host} without TLS: tokens and values would cross "
            "the network in clear. Give --tls-cert and --tls-key, or --insecure if a proxy in "
            "front of this server terminates TLS."
        )


def build_server(options: ServeOptions) -> WebOpsServer:
    """A uvicorn server over a LocalWebOps in `options.data_dir` (opened on the server's loop)."""
    check_address(options)
    tokens = TokenStore.in_dir(options.data_dir)
    state = ServerState(
        open_backend=lambda: LocalBackend.open(options.data_dir, options.data_key),
        tokens=tokens,
        limits=options.limits,
        keepalive=options.keepalive,
    )
    config = uvicorn.Config(
        create_app(state),
        host=options.host,
        port=options.port,
        ssl_certfile=options.tls_cert,
        ssl_keyfile=options.tls_key,
        access_log=False,  # ours logs a request id and never a query string
        log_config=None,
        proxy_headers=False,  # the throttle must see the real peer address
        server_header=False,
        timeout_graceful_shutdown=5,
        lifespan="on",
        # Named, not "auto": the same pure-Python stack everywhere, and a known set of modules
        # for the packaged binary (uvicorn imports these by name).
        loop="asyncio",
        http="h11",
        ws="none",
    )
    return WebOpsServer(config, state)


class WebOpsServer(uvicorn.Server):
    """Opens the data folder before listening, and closes the token store once uvicorn is done.

    A folder that cannot be opened (another process owns it, another data key) is not a crash of
    the application's startup: `refusal` says why, for the command line to print.
    """

    def __init__(self, config: uvicorn.Config, state: ServerState) -> None:
        super().__init__(config)
        self.state = state
        self.refusal = ""

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            try:
                self.state.backend = await self.state.open_backend()
            except WebOpsError as error:
                self.refusal = error.message
                return
            await super().serve(sockets)
        finally:
            if self.state.backend is not None:  # uvicorn stopped before its lifespan closed it
                await self.state.backend.close()
                self.state.backend = None
            self.state.tokens.close()


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
