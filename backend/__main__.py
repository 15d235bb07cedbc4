"""`python -m backend` (or `max-backend`): serve MAX with waitress on loopback and print how to
pair the extension.

Rule: starts on embedded defaults with no keys (SQLite in the data directory, templates instead
of an LLM); binds 127.0.0.1 unless told otherwise, because the API holds the user's mail data.
`pair` prints a fresh pairing code for the same database; `poll` syncs every connected Gmail
(and renews push watches) now and then every `--every` seconds: the fallback when Gmail push is
not configured, or drops a notification.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence

from flask import Flask

from maxcore.core.errors import MaxcoreError

from . import create_app, users
from .db import DEFAULT_USER_ID
from .pairing import CODE_TTL, format_code, new_pairing_code
from .request_guard import allow_host

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
THREADS = 8  # waitress worker threads: pixel fetches are short, analyze is CPU-bound


WILDCARDS = ("0.0.0.0", "::", "")


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m backend", description=__doc__.split("\n")[0])
    parser.add_argument("command", nargs="?", choices=["serve", "pair", "poll"], default="serve")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument(
        "--every", type=float, default=300.0, metavar="SECONDS", help="poll: the period"
    )
    parser.add_argument("--once", action="store_true", help="poll: one round, then exit")
    parser.add_argument(
        "--account",
        metavar="ADDR",
        help="pair: a code for this salesperson's Gmail address (a team server's users)",
    )
    return parser


def print_pairing_code(app: Flask, account: str | None = None) -> None:
    """A one-time code for this computer's user, or, on a team server, for the named account."""
    engine = app.extensions["max_engine"]
    user_id = users.user_for_account(engine, account) if account else DEFAULT_USER_ID
    code = new_pairing_code(engine, user_id)
    minutes = int(CODE_TTL.total_seconds() // 60)
    who = f" for {users.normal(account)}" if account else ""
    again = f"pair --account {users.normal(account)}" if account else "pair"
    print(
        f"Pair the extension{who}: in its options, enter this backend's URL and the code\n\n"
        f"    {format_code(code)}\n\n"
        f"(one use, valid {minutes} minutes; a new one: .venv/bin/python -m backend {again})",
        flush=True,
    )


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, app: Flask | None = None) -> None:
    from waitress import create_server

    app = app or create_app()
    server = create_server(app, host=host, port=port, threads=THREADS, ident="MAX")
    bound = server.effective_port  # type: ignore[union-attr]
    url = f"http://{_url_host(host)}:{bound}"
    if app.config.get("MAX_PUBLIC_URL_IS_DEFAULT"):
        # Unset, the pixels' and the OAuth callback's URL follow --host and --port.
        public = DEFAULT_HOST if host in WILDCARDS else host
        app.config["MAX_PUBLIC_URL"] = f"http://{_url_host(public)}:{bound}"
    allow_host(app, host)
    print(f"MAX backend listening on {url}  (data: {app.config['MAX_DATA_DIR']})", flush=True)
    print_pairing_code(app)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def poll_round(app: Flask) -> tuple[int, int]:
    """One sync of every connected mailbox; (synced, failed). Logs counts, never an address."""
    from .gmail import store
    from .gmail.connection import GmailSettings, sync_user

    engine, settings = app.extensions["max_engine"], GmailSettings(app.config)
    synced = failed = 0
    for user_id in store.users_with_gmail(engine):
        try:
            sync_user(engine, settings, user_id)
            synced += 1
        except Exception as err:  # noqa: BLE001 — one mailbox's failure must not stop the others
            failed += 1
            logging.getLogger("backend.poll").warning("sync failed: %s", type(err).__name__)
    return synced, failed


def poll(app: Flask, *, every: float, once: bool) -> int:
    while True:
        synced, failed = poll_round(app)
        print(f"MAX poll: {synced} mailbox(es) synced, {failed} failed", flush=True)
        if once:
            return 1 if failed else 0
        time.sleep(max(every, 1.0))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        app = create_app()
    except MaxcoreError as err:  # a wrong MAX_* setting: one line, no traceback
        print(f"MAX backend: {err.message}", file=sys.stderr)
        return 2
    if args.command == "pair":
        if args.account is not None and "@" not in args.account:
            print("MAX backend: --account takes a Gmail address", file=sys.stderr)
            return 2
        print_pairing_code(app, args.account)
        return 0
    if args.command == "poll":
        return poll(app, every=args.every, once=args.once)
    serve(args.host, args.port, app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
