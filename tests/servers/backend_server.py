"""The real backend on a real waitress server, on 127.0.0.1 and a free port, in a thread.

Written here for MAX's tests: the same WSGI server `python -m backend` uses, so keep-alive,
threads and SQLite locking are the production ones.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from waitress import create_server


@contextmanager
def running_backend(app: Flask, threads: int = 8) -> Iterator[str]:
    """Yields the base URL (http://127.0.0.1:PORT) while the server runs."""
    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    stopping = threading.Event()

    def run() -> None:
        try:
            server.run()
        except (OSError, ValueError):
            # Closing the socket under waitress's select loop from another thread makes the
            # loop fail on the closed descriptor; that is the shutdown, not an error.
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=run, name="waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    finally:
        stopping.set()
        server.close()
        thread.join(timeout=5)
