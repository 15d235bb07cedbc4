"""What the server leaves on disk: the data directory 0700, and in it the SQLite file, its WAL
and shared-memory files and the secret key 0600 — nobody else on the machine may read the mail
data or the key that encrypts the Gmail tokens."""

from __future__ import annotations

import stat

from .table import Attack, Budget, Outcome
from .target import Target

FILES = ("max.sqlite3", "max.sqlite3-wal", "max.sqlite3-shm", "secret_key")


def modes(target: Target, budget: Budget) -> Outcome:
    checked: list[tuple[str, int, int]] = [
        ("data dir", stat.S_IMODE(target.data_dir.stat().st_mode), 0o700)
    ]
    for name in FILES:
        path = target.data_dir / name
        if path.exists():
            checked.append((name, stat.S_IMODE(path.stat().st_mode), 0o600))
    loose = [f"{name} {mode:o}" for name, mode, most in checked if mode & ~most]
    return Outcome(len(checked), len(loose), ", ".join(loose) or "all private")


ATTACKS = (Attack("files", "modes", "another local user reads the data files", modes),)
