"""A team server as the README runs it: gunicorn with 2 workers on this run's database (the
PostgreSQL one when MAX_TEST_POSTGRES_URL is set, else a SQLite file), two reps paired with
`max-backend pair --account` codes, each seeing only their own data through it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers.gunicorn_server import ROOT, Team, running_team

from .conftest import load_body

A, B = "rep.a@optiplan.fr", "rep.b@optiplan.fr"
CODE = re.compile(r"^    ([2-9A-Z]{4}-[2-9A-Z]{4})$", re.M)
SECRET = "team-secret-" + "k" * 32


def call(team: Team, method: str, path: str, body: Any = None, token: str = "") -> tuple[int, Any]:
    """One request on a fresh connection (so the workers share them out), as (status, JSON)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{team.url}{path}", data=data, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        "MAX_DATABASE_URL": database_url,
        "MAX_DATA_DIR": str(tmp_path / "data"),
        "MAX_SECRET_KEY": SECRET,
        "MAX_LOCAL_PAIRING": "off",  # behind a proxy every client looks local
    }


@pytest.fixture
def team(env: dict[str, str]) -> Iterator[Team]:
    with running_team(env, workers=2) as started:
        yield started


def pairing_code(env: dict[str, str], account: str) -> str:
    """What the admin runs on the server: `max-backend pair --account ADDR`."""
    out = subprocess.run(
        [sys.executable, "-m", "backend", "pair", "--account", account],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = CODE.search(out.stdout)
    assert found, out.stdout
    return found.group(1)


def pair(team: Team, env: dict[str, str], account: str) -> str:
    status, answer = call(
        team, "POST", "/api/v1/pair", {"code": pairing_code(env, account), "account": account}
    )
    assert status == 200, answer
    return str(answer["token"])


def trap_body() -> dict[str, Any]:
    body = load_body("page_trap_fr.json")
    body.pop("_expect")
    return body


def test_two_reps_on_two_gunicorn_workers_see_only_their_own_data(
    team: Team, env: dict[str, str]
) -> None:
    assert len(team.worker_pids()) == 2
    a, b = pair(team, env, A), pair(team, env, B)
    assert a != b

    # Settings: A's thresholds are A's, whichever worker answers.
    assert call(team, "PUT", "/api/v1/settings", {"trap_at": 4}, a)[0] == 200
    for _ in range(6):
        assert call(team, "GET", "/api/v1/settings", token=a)[1]["trap_at"] == 4
        assert call(team, "GET", "/api/v1/settings", token=b)[1]["trap_at"] == 3
    levels = [call(team, "POST", "/api/v1/threads/analyze", trap_body(), t)[1] for t in (a, b)]
    assert [r["threads"][0]["level"] for r in levels] == ["watch", "trap"]

    # Suggestions: B cannot mark A's as sent; A can.
    brief = levels[1]["brief"]
    status, made = call(team, "POST", "/api/v1/suggestions", {"brief": brief}, b)
    assert status == 200
    assert call(team, "POST", f"/api/v1/suggestions/{made['id']}/sent", {}, a)[0] == 404
    assert call(team, "POST", f"/api/v1/suggestions/{made['id']}/sent", {}, b)[0] == 200

    # A's erasure signs A out and leaves B whole.
    assert call(team, "DELETE", "/api/v1/data", token=a)[0] == 200
    assert call(team, "GET", "/api/v1/settings", token=a)[0] == 401
    assert call(team, "GET", "/api/v1/settings", token=b)[0] == 200
    again = call(team, "POST", "/api/v1/threads/analyze", trap_body(), b)[1]
    assert again["threads"][0]["recommendation"]["code"] == "pivot_sent"


def test_the_team_server_refuses_one_click_pairing_and_web_pages(team: Team) -> None:
    assert call(team, "POST", "/api/v1/pair/local", {})[0] in (403, 404)
    request = urllib.request.Request(
        f"{team.url}/api/v1/settings", headers={"Origin": "https://attacker.example"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
    assert refused.value.headers.get("Access-Control-Allow-Origin") is None
