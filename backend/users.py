"""Who the backend serves: one user per salesperson, named by their Gmail address.

Rule: every token, pairing code, Gmail connection, setting and stored row belongs to one user
(a `user_id` on every table: backend.db). A user is bound to one Gmail address at most, in one of
three ways, each checked against the others: an admin issues a pairing code for a named account
(`max-backend pair --account rep@acme.com`: the user is found or made for it); a pairing that
confirms an address binds a user that has none yet (the default user of a single-user install:
whoever runs the backend, bound at its first pairing); connecting Gmail binds one that has none.
A code for one account never pairs an extension confirming another, an address already bound to
one user is never taken by another, and a Gmail account that is not the user's is refused.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from .db import connected, now_utc, users
from .errors import ApiError


def normal(email: str) -> str:
    return email.strip().lower()


def account_of(bind: Engine | Connection, user_id: int) -> str | None:
    with connected(bind) as conn:
        email = conn.execute(sa.select(users.c.email).where(users.c.id == user_id)).scalar()
    return None if email is None else str(email)


def user_for_account(engine: Engine, email: str) -> int:
    """The user bound to `email`, made when there is none (an admin naming a new rep)."""
    email = normal(email)
    for _ in range(2):  # two admins naming the same new rep at once: the second finds the first
        with engine.connect() as conn:
            found = conn.execute(sa.select(users.c.id).where(users.c.email == email)).scalar()
        if found is not None:
            return int(found)
        try:
            with engine.begin() as conn:
                made = conn.execute(
                    users.insert().values(email=email, created_at=now_utc()).returning(users.c.id)
                ).scalar_one()
            return int(made)
        except IntegrityError:
            continue
    raise ApiError(409, "account_taken", "This account is being set up elsewhere.", "account")


def bind(conn: Connection, user_id: int, email: str, field: str = "account") -> None:
    """Bind the user to `email` if they have no address yet; ApiError 403 when they are bound to
    another, 409 when another user has this one. In the caller's transaction."""
    email = normal(email)
    current = account_of(conn, user_id)
    if current == email:
        return
    if current is not None:
        raise ApiError(
            403, "wrong_account", f"This is set up for {current}, not for {email}.", field
        )
    taken = conn.execute(
        sa.select(users.c.id).where(users.c.email == email, users.c.id != user_id)
    ).scalar()
    if taken is not None:
        raise ApiError(409, "account_taken", "Another user of this server has that account.",
                       field)  # fmt: skip
    conn.execute(users.update().where(users.c.id == user_id).values(email=email))


def forget_account(conn: Connection, user_id: int) -> None:
    """The user's address goes with their data (DELETE /api/v1/data): the row keeps an id."""
    conn.execute(users.update().where(users.c.id == user_id).values(email=None))
