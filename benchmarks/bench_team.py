"""A team server under load: gunicorn with 1 worker (the baseline) against 2, on a real PostgreSQL.

50 simulated reps (paired through the server with admin codes, `max-backend pair --account`'s
functions) with 200 threads each, built from real mail (the bodies of ../shared/data/mail's
Apache mailing-list archives, the senders laid out per thread by a fixed pattern, never by MAX's
own rules), drive the README's gunicorn command from CLIENTS concurrent keep-alive clients:
analyze and suggestions, req/s and p50/p99 latency, both servers in the same run on fresh
databases of the same PostgreSQL. Then, on the 2-worker server, the Gmail push path end to end,
timed: a message lands in the mailbox of the fake Gmail (tests/servers/fake_gmail.py), a push
signed as Google's Pub/Sub signs it reaches POST /api/v1/gmail/push, the user's sync runs, and
GET /api/v1/pipeline shows the thread. Any error fails the run (exit 1), and so does any
cross-user read: every answer and every stored suggestion and pipeline thread is checked to be
its own user's (each thread id carries its user's number), the count printed.
PostgreSQL: MAX_BENCH_POSTGRES_URL, else MAX_TEST_POSTGRES_URL (a role that may create databases);
neither set is a one-line message and exit status 2. `--quick` runs fewer requests.
"""

from __future__ import annotations

import base64
import functools
import http.client
import json
import mailbox
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
USERS, THREADS = 50, 200
CLIENTS = 32
SECRET = "bench-team-secret-" + "s" * 32
MAIL = "apache_ponymail_corpus"  # Apache mailing-list archives (mbox)
PUSH_ME = "claire.martin@logisoft.example"  # user 0: the fake Gmail's mailbox
TOPIC = "projects/max-bench/topics/gmail"
PUSHER = "gmail-push@max-bench.iam.gserviceaccount.com"
AUDIENCE = "https://max.bench.example/api/v1/gmail/push"  # the push subscription's, any string
NOW = "2026-11-20T10:00:00+01:00"
DATES = ["2026-10-20T09:30:00+02:00", "2026-10-23T18:02:00+02:00", "2026-10-28T10:15:00+01:00",
         "2026-11-05T09:40:00+01:00", "2026-11-13T11:05:00+01:00"]  # fmt: skip


def _postgres() -> str | None:
    return os.environ.get("MAX_BENCH_POSTGRES_URL") or os.environ.get("MAX_TEST_POSTGRES_URL")


def _shared_mail() -> Path:
    for parent in REPO.parents:
        if (parent / "shared" / "data" / "mail").is_dir():
            return parent / "shared" / "data" / "mail"
    raise SystemExit("bench_team: ../shared/data/mail not found")


def real_bodies(limit: int = 3000) -> list[str]:
    """The plain-text bodies of a real mailing-list archive, as people wrote them."""
    bodies: list[str] = []
    messages = (m for box in sorted((_shared_mail() / MAIL).glob("*.mbox"))
                for m in mailbox.mbox(box, create=False))  # fmt: skip
    for message in messages:
        part = next((p for p in message.walk() if p.get_content_type() == "text/plain"), None)
        raw = part.get_payload(decode=True) if part is not None else None
        if isinstance(raw, bytes) and raw.strip():
            bodies.append(raw.decode(part.get_content_charset() or "utf-8", "replace")[:2000])
        if len(bodies) >= limit:
            break
    return bodies


def account(u: int) -> str:
    return PUSH_ME if u == 0 else f"rep{u:02d}@vendor.example"


def thread_id(u: int, j: int) -> str:
    """Gmail-shaped (16 hex digits); its first six name the user, for the cross-user check."""
    return f"{u + 0x18F000:06x}{j:010x}"


def owner_of(tid: str) -> int:
    return int(tid[:6], 16) - 0x18F000


def page_thread(u: int, j: int, bodies: list[str]) -> dict[str, Any]:
    """Thread j of user u as the extension posts it: 2-5 messages of real text. The prospect
    writes first (their real text signed with a mobile number, the one written line here, as a
    prospect's signature carries one), then we do; in every third thread they answer again at a
    place that varies with j. Who sends what never asks MAX."""
    me, them = account(u), f"buyer{j}@client{u:02d}.example"
    size = 2 + j % 4
    senders = [them if k == 0 or (j % 3 == 0 and k == 1 + j % (size - 1)) else me
               for k in range(size)]  # fmt: skip
    signature = f"\n\n-- \nBuyer {j}\nMobile : 06 12 {u:02d} {j // 100:02d} {j % 100:02d}"
    messages = [
        {
            "id": f"m{k}",
            "date": DATES[k],
            "from": {"email": sender},
            "to": [{"email": them if sender == me else me}],
            "text": bodies[((u * THREADS + j) * 5 + k) % len(bodies)]
            + (signature if sender == them else ""),
        }
        for k, sender in enumerate(senders)
    ]
    return {
        "me": [me],
        "now": NOW,
        "thread": {"thread_id": thread_id(u, j), "subject": f"Offer {j}", "messages": messages},
    }


def _request(
    conn: http.client.HTTPConnection, method: str, path: str, body: Any, token: str = ""
) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    answer = conn.getresponse()
    raw = answer.read()
    return answer.status, json.loads(raw) if raw else None


def _load(url: str, jobs: list[tuple[str, str, Any, str, int]], check: Any) -> dict[str, float]:
    """Each job (method, path, body, token, user) once, over CLIENTS keep-alive connections;
    check(user, answer) counts the answers that hold another user's thread."""
    port = int(urlsplit(url).port or 80)
    errors = leaks = 0

    def client(share: list[tuple[str, str, Any, str, int]]) -> list[float]:
        nonlocal errors, leaks
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        times = []
        for method, path, body, token, user in share:
            t0 = time.perf_counter()
            status, answer = _request(conn, method, path, body, token)
            times.append(time.perf_counter() - t0)
            if status != 200:
                errors += 1
            elif check(user, answer):
                leaks += 1
        conn.close()
        return times

    shares = [jobs[i::CLIENTS] for i in range(CLIENTS)]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        latencies = sorted(t for times in pool.map(client, shares) for t in times)
    elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    return {"rps": len(jobs) / elapsed, "p50_ms": q[49] * 1e3, "p99_ms": q[98] * 1e3,
            "errors": errors, "leaks": leaks, "n": len(jobs)}  # fmt: skip


def _pair_all(url: str, db: str) -> list[str]:
    """An admin code per rep (what `max-backend pair --account` makes), redeemed by the rep."""
    from backend.db import make_engine
    from backend.pairing import new_pairing_code
    from backend.users import user_for_account

    engine = make_engine(db)
    conn = http.client.HTTPConnection("127.0.0.1", urlsplit(url).port, timeout=60)
    tokens = []
    for u in range(USERS):
        code = new_pairing_code(engine, user_for_account(engine, account(u)))
        status, answer = _request(
            conn, "POST", "/api/v1/pair", {"code": code, "account": account(u)}
        )
        if status != 200:
            raise RuntimeError(f"pairing rep {u}: HTTP {status}")
        tokens.append(answer["token"])
    conn.close()
    engine.dispose()
    return tokens


def _analyze_leak(briefs: list[tuple[int, Any]], user: int, answer: Any) -> bool:
    """Whether the answer holds another user's thread; keeps the brief of a phone message."""
    ids = [t["thread_id"] for t in answer["threads"]]
    brief = answer.get("brief") or {}
    if brief:
        briefs.append((user, brief))
    return any(owner_of(t) != user for t in ids) or (
        bool(brief) and owner_of(brief["thread_id"]) != user
    )


def _stored_leaks(db: str) -> tuple[int, int]:
    """(suggestions stored, those whose thread is another user's): by user id → account."""
    from backend.db import make_engine, suggestions, users

    engine = make_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(users.c.email, suggestions.c.thread_id).join(
                users, users.c.id == suggestions.c.user_id
            )
        ).all()
    engine.dispose()
    by_account = {account(u): u for u in range(USERS)}
    return len(rows), sum(1 for email, tid in rows if by_account.get(email) != owner_of(tid))


def _connections(db: str) -> int:
    engine = sa.create_engine(db)
    with engine.connect() as conn:
        name = sa.make_url(db).database
        n = conn.execute(
            sa.text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d"), {"d": name}
        ).scalar_one()
    engine.dispose()
    return int(n) - 1  # not this one


def _push_env(fake: Any, folder: Path) -> dict[str, str]:
    client_file = folder / "client_secret.json"  # a fake OAuth client, never a real secret
    client_file.write_text(json.dumps({"web": {
        "client_id": "1234-bench.apps.googleusercontent.com", "client_secret": "bench",
        "auth_uri": f"{fake.url}/o/oauth2/auth", "token_uri": f"{fake.url}/token",
        "redirect_uris": ["http://127.0.0.1/api/v1/gmail/callback"]}}))  # fmt: skip
    return {
        "OAUTHLIB_INSECURE_TRANSPORT": "1",  # http on loopback, to the fake Google
        "MAX_GOOGLE_CLIENT_FILE": str(client_file),
        "MAX_GMAIL_API_BASE": fake.url,
        "MAX_GOOGLE_TOKEN_URI": f"{fake.url}/token",
        "MAX_GOOGLE_REVOKE_URI": f"{fake.url}/revoke",
        "MAX_PUBSUB_TOPIC": TOPIC,
        "MAX_PUSH_SERVICE_ACCOUNT": PUSHER,
        "MAX_PUSH_AUDIENCE": AUDIENCE,
        "MAX_GOOGLE_CERTS_URL": f"{fake.url}/oauth2/v1/certs",
    }


def _push_path(url: str, token: str, fake: Any, trials: int) -> dict[str, Any]:
    """Connect user 0's Gmail, then per trial: a second email of ours lands in a quiet thread,
    Google pushes, and the pipeline must show that thread (two of ours: watch)."""
    conn = http.client.HTTPConnection("127.0.0.1", urlsplit(url).port, timeout=120)
    quiet = [
        fake.add(None, PUSH_ME, f"buyer{i}@push.example", f"Devis {i}", 9, "Voici le devis.",
                 ("SENT",)).thread_id
        for i in range(trials)
    ]  # fmt: skip
    status, answer = _request(conn, "GET", "/api/v1/gmail/connect", None, token)
    query = {k: v[0] for k, v in parse_qs(urlsplit(answer["auth_url"]).query).items()}
    code = fake.consent(query["code_challenge"], query["scope"])
    status, _ = _request(
        conn, "GET", f"/api/v1/gmail/callback?state={query['state']}&code={code}", None
    )
    if status != 200:
        raise RuntimeError(f"Gmail connect: HTTP {status}")
    _request(conn, "POST", "/api/v1/gmail/sync", None, token)
    times, errors, leaks, shown = [], 0, 0, 0
    for tid in quiet:
        fake.add(tid, PUSH_ME, "buyer@push.example", "Re: Devis", 0, "Un retour ?", ("SENT",))
        data = base64.b64encode(json.dumps({"emailAddress": PUSH_ME, "historyId": 1}).encode())
        push = {"message": {"data": data.decode(), "messageId": "1"}, "subscription": "s"}
        signed = fake.sign_push(audience=AUDIENCE, email=PUSHER)
        t0 = time.perf_counter()
        status, _ = _request(conn, "POST", "/api/v1/gmail/push", push, signed)
        errors += status != 204
        status, pipeline = _request(conn, "GET", "/api/v1/pipeline", None, token)
        times.append(time.perf_counter() - t0)
        errors += status != 200
        ids = [t["thread_id"] for t in (pipeline or {}).get("threads", [])]
        shown += tid in ids
        leaks += sum(1 for t in ids if t not in fake_threads(fake))
    conn.close()
    return {"times": times, "errors": errors, "leaks": leaks, "shown": shown}


def _cycle(items: list[tuple[int, Any]], n: int) -> list[tuple[int, Any]]:
    """n items, going round again (a brief asked for again makes another suggestion)."""
    return [items[k % len(items)] for k in range(n)] if items else []


def fake_threads(fake: Any) -> set[str]:
    return {m.thread_id for m in fake.newest_first()}


def _line(name: str, r: dict[str, float]) -> str:
    return (f"{name:<30} {r['rps']:7.1f} req/s   p50 {r['p50_ms']:7.1f} ms   "
            f"p99 {r['p99_ms']:7.1f} ms   errors {r['errors']}")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    quick = "--quick" in args
    server = _postgres()
    if server is None:
        print("bench_team: set MAX_BENCH_POSTGRES_URL (or MAX_TEST_POSTGRES_URL) to a PostgreSQL "
              "server and a role that may create databases", file=sys.stderr)  # fmt: skip
        return 2
    sys.path.insert(0, str(REPO))
    from tests.servers.fake_gmail import FakeGmail
    from tests.servers.gunicorn_server import running_team
    from tests.servers.postgres import fresh_database

    n_analyze, n_suggest = (300, 100) if quick else (1200, 400)
    bodies = real_bodies()
    threads = [[page_thread(u, j, bodies) for j in range(THREADS)] for u in range(USERS)]
    messages = sum(len(t["thread"]["messages"]) for ts in threads for t in ts)
    print(f"{USERS} users x {THREADS} threads ({messages:,} "
          f"messages of {len(bodies)} real bodies, {MAIL}); {CLIENTS} clients; "
          f"{n_analyze} analyze, {n_suggest} suggestions per server", flush=True)  # fmt: skip
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    failed, results = False, {}
    for workers in (1, 2):
        fake = FakeGmail(email=PUSH_ME)
        fake.start()
        with tempfile.TemporaryDirectory() as tmp, fresh_database(server) as db:
            env = {"MAX_DATABASE_URL": db, "MAX_DATA_DIR": tmp, "MAX_SECRET_KEY": SECRET,
                   "MAX_LOCAL_PAIRING": "off",
                   # 50 reps pair from one address here (5 a minute would take 10 minutes)
                   "MAX_PAIR_TRIES_PER_MINUTE": "1000", **_push_env(fake, Path(tmp))}  # fmt: skip
            t0 = time.perf_counter()
            with running_team(env, workers=workers, start_timeout=180) as team:
                started = time.perf_counter() - t0
                tokens = _pair_all(team.url, db)
                step = 7919  # a prime: the jobs visit users and threads in a spread order
                picks = [((k * step) % (USERS * THREADS)) for k in range(n_analyze)]
                analyze = [("POST", "/api/v1/threads/analyze", threads[p // THREADS][p % THREADS],
                            tokens[p // THREADS], p // THREADS) for p in picks]  # fmt: skip
                briefs: list[tuple[int, Any]] = []
                a = _load(team.url, analyze, functools.partial(_analyze_leak, briefs))
                suggest = [("POST", "/api/v1/suggestions", {"brief": b}, tokens[u], u)
                           for u, b in _cycle(briefs, n_suggest)]  # fmt: skip
                s = _load(team.url, suggest, lambda u, ans: False)
                stored, stored_leaks = _stored_leaks(db)
                pool = _connections(db)
                push = (
                    _push_path(team.url, tokens[0], fake, 3 if quick else 10)
                    if workers == 2
                    else None
                )
        fake.stop()
        results[workers] = (a, s)
        print(f"-- gunicorn, {workers} worker(s) (started in {started:.1f} s; "
              f"{pool} PostgreSQL connections held after the load)", flush=True)  # fmt: skip
        print(_line("analyze", a))
        print(_line("suggestions", s))
        print(f"{'cross-user reads':<30} {a['leaks'] + s['leaks']} in answers; "
              f"{stored_leaks} of {stored} stored suggestions")  # fmt: skip
        failed |= bool(a["errors"] or s["errors"] or a["leaks"] or s["leaks"] or stored_leaks)
        if push is not None:
            ms = sorted(t * 1e3 for t in push["times"])
            print(f"{'push -> sync -> pipeline':<30} {len(ms)} pushes, shown "
                  f"{push['shown']}/{len(ms)}; median {statistics.median(ms):.0f} ms, max "
                  f"{ms[-1]:.0f} ms; errors {push['errors']}; threads of another mailbox in "
                  f"the pipeline {push['leaks']}")  # fmt: skip
            failed |= bool(push["errors"] or push["leaks"] or push["shown"] != len(ms))
    (a1, s1), (a2, s2) = results[1], results[2]
    print(f"2 workers vs 1: analyze x{a2['rps'] / a1['rps']:.2f} req/s (p99 {a1['p99_ms']:.0f} -> "
          f"{a2['p99_ms']:.0f} ms), suggestions x{s2['rps'] / s1['rps']:.2f} req/s "
          f"(p99 {s1['p99_ms']:.0f} -> {s2['p99_ms']:.0f} ms)")  # fmt: skip
    print(f"load average after: {os.getloadavg()[0]:.1f} (other work on the machine counts)")
    if failed:
        print("bench_team: errors or cross-user reads (above)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
