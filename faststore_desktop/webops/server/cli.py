"""Subcommands of the server side: `serve`, `token create|list|revoke`, `server-key create`.

Only argparse is imported here; each command imports what it needs when it runs, so starting
the GUI never loads the server.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

DEFAULT_PORT = 8787


def add_commands(commands: Any) -> None:
    """Register the subcommands on an `add_subparsers()` object; each sets `handler`."""
    serve = commands.add_parser("serve", help="run the WebOps API server")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    _data_dir(serve)
    serve.add_argument("--key-file", type=Path, help="the data key (else FSD_SERVER_DATA_KEY)")
    serve.add_argument("--tls-cert", type=Path)
    serve.add_argument("--tls-key", type=Path)
    serve.add_argument(
        "--insecure", action="store_true", help="allow a non-loopback address without TLS"
    )
    limits = serve.add_argument_group("limits")
    limits.add_argument("--max-body-bytes", type=int, default=8 * 1024 * 1024)
    limits.add_argument("--max-changeset-entries", type=int, default=5000)
    serve.add_argument(
        "--sse-keepalive", type=float, default=15.0, help="seconds between keep-alives on streams"
    )
    serve.set_defaults(handler=_serve)

    token = commands.add_parser("token", help="manage the API server's bearer tokens")
    actions = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="make a token (shown once)")
    create.add_argument("name")
    create.add_argument("--role", required=True, choices=["viewer", "editor", "admin"])
    create.add_argument("--expires-days", type=int, help="the token stops working after this")
    _data_dir(create)
    create.set_defaults(handler=_token_create)
    listing = actions.add_parser("list", help="list tokens (names and roles, never tokens)")
    _data_dir(listing)
    listing.set_defaults(handler=_token_list)
    revoke = actions.add_parser("revoke", help="revoke a token at once")
    revoke.add_argument("name")
    _data_dir(revoke)
    revoke.set_defaults(handler=_token_revoke)

    server_key = commands.add_parser("server-key", help="make the API server's data key")
    key_actions = server_key.add_subparsers(dest="key_command", required=True, metavar="ACTION")
    key_create = key_actions.add_parser("create", help="write a new key file (mode 600)")
    key_create.add_argument("path", type=Path)
    key_create.set_defaults(handler=_key_create)


def _data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, help="where the server keeps its data (default: per user)"
    )


def _resolve_data_dir(args: argparse.Namespace) -> Path:
    if args.data_dir is not None:
        path: Path = args.data_dir
        path.mkdir(parents=True, exist_ok=True)
        return path
    from faststore_desktop.paths import data_dir

    path = data_dir() / "server"
    path.mkdir(exist_ok=True)
    return path


def _fail(message: str) -> int:
    print(f"faststore-desktop: {message}", file=sys.stderr)
    return 2


def _serve(args: argparse.Namespace) -> int:
    from faststore_desktop.webops.server.datakey import DataKeyError, load_data_key
    from faststore_desktop.webops.server.limits import Limits
    from faststore_desktop.webops.server.serve import (
        ServeOptions,
        ServeRefusedError,
        build_server,
        configure_logging,
    )

    try:
        options = ServeOptions(
            host=args.host,
            port=args.port,
            data_dir=_resolve_data_dir(args),
            data_key=load_data_key(args.key_file),
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            insecure=args.insecure,
            limits=Limits(args.max_body_bytes, args.max_changeset_entries),
            keepalive=args.sse_keepalive,
        )
        configure_logging()
        server = build_server(options)
    except (DataKeyError, ServeRefusedError) as error:
        return _fail(str(error))
    if not _has_active_token(options.data_dir):
        print(
            "faststore-desktop: no token can use this server yet; make one with "
            "`faststore-desktop token create NAME --role admin`",
            file=sys.stderr,
        )
    server.run()
    if server.refusal:
        return _fail(server.refusal)
    return 0 if server.started else 1


def _has_active_token(data_dir: Path) -> bool:
    from faststore_desktop.webops.server.tokens import TokenStore

    store = TokenStore.in_dir(data_dir)
    try:
        return any(info.revoked_at is None for info in store.list())
    finally:
        store.close()


def _token_create(args: argparse.Namespace) -> int:
    from faststore_desktop.webops.errors import ConflictError
    from faststore_desktop.webops.server.tokens import Role, TokenStore

    expires = None if args.expires_days is None else timedelta(days=args.expires_days)
    store = TokenStore.in_dir(_resolve_data_dir(args))
    try:
        token = store.create(args.name, Role.parse(args.role), expires_in=expires)
    except (ConflictError, ValueError) as error:
        return _fail(getattr(error, "message", str(error)))
    finally:
        store.close()
    print(token)
    print(
        f"Token {args.name!r} ({args.role}) created. It is shown only now: "
        "paste it into the app's server settings.",
        file=sys.stderr,
    )
    return 0


def _token_list(args: argparse.Namespace) -> int:
    from faststore_desktop.webops.server.tokens import TokenStore

    store = TokenStore.in_dir(_resolve_data_dir(args))
    try:
        for info in store.list():
            state = "revoked" if info.revoked_at else "active"
            expires = info.expires_at.isoformat(timespec="minutes") if info.expires_at else "never"
            created = info.created_at.isoformat(timespec="minutes")
            print(f"{info.name}\t{info.role.label}\t{state}\tcreated {created}\texpires {expires}")
    finally:
        store.close()
    return 0


def _token_revoke(args: argparse.Namespace) -> int:
    from faststore_desktop.webops.errors import NotFoundError
    from faststore_desktop.webops.server.tokens import TokenStore

    store = TokenStore.in_dir(_resolve_data_dir(args))
    try:
        store.revoke(args.name)
    except NotFoundError as error:
        return _fail(error.message)
    finally:
        store.close()
    print(f"Token {args.name!r} revoked.", file=sys.stderr)
    return 0


def _key_create(args: argparse.Namespace) -> int:
    from faststore_desktop.webops.server.datakey import DataKeyError, create_key_file

    try:
        create_key_file(args.path)
    except (DataKeyError, OSError) as error:
        return _fail(str(error))
    print(f"Wrote a new data key to {args.path} (readable by you only).", file=sys.stderr)
    return 0
