"""The Gmail area end to end: the real Google libraries against the loopback fake Gmail."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from backend import create_app
from backend.db import now_utc, suggestions
from backend.gmail.store import gmail_accounts
from tests.backend.conftest import load_body
from tests.backend.gmail.conftest import consent
from tests.backend.gmail.mailbox import EXPECTED, LUC, MAILBOX, MARC, ME
from tests.servers.fake_gmail import FakeGmail, gmail_error

Json = dict[str, Any]


def sync(web: FlaskClient, auth: dict[str, str]) -> Json:
    response = web.post("/api/v1/gmail/sync", headers=auth)
    assert response.status_code == 200, response.json
    return response.json  # type: ignore[return-value]


def api_methods(fake: FakeGmail) -> list[str]:
    return [s.api_method or "" for s in fake.api_calls()]


# --- OAuth -------------------------------------------------------------------------------


def test_connect_then_callback_stores_the_refresh_token_sealed(
    gmail_app: Flask, fake: FakeGmail, web: FlaskClient, auth: dict[str, str]
) -> None:
    response = web.get("/api/v1/gmail/callback", query_string=consent(fake, web, auth))
    assert response.status_code == 200
    assert response.json == {"connected": True, "email": ME}
    (plain,) = fake.refresh_tokens
    with gmail_app.extensions["max_engine"].connect() as conn:
        stored = conn.execute(sa.select(gmail_accounts.c.refresh_token)).scalar_one()
    assert plain.encode() not in bytes(stored) and len(stored) > len(plain)
    status = web.get("/api/v1/gmail/status", headers=auth).json
    assert status["connected"] and status["email"] == ME and not status["reconnect"]  # type: ignore[index]
    assert status["scopes"] == ["https://www.googleapis.com/auth/gmail.readonly"]  # type: ignore[index]


def test_the_consent_url_asks_offline_access_with_pkce(
    web: FlaskClient, auth: dict[str, str]
) -> None:
    url = web.get("/api/v1/gmail/connect", headers=auth).json["auth_url"]  # type: ignore[index]
    for part in ("access_type=offline", "code_challenge_method=S256", "gmail.readonly", "state="):
        assert part in url
    redirect = web.get("/api/v1/gmail/connect?redirect=1", headers=auth)
    assert redirect.status_code == 302 and "code_challenge=" in redirect.headers["Location"]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"state": "forged-state"}, 400, "state"),
        ({"state": ""}, 400, "state"),
        ({"code": ""}, 400, "code"),
        ({"code": "4/not-issued"}, 400, "code"),
        ({"error": "access_denied"}, 400, "error"),
    ],
)
def test_a_bad_callback_is_refused_naming_the_field(
    fake: FakeGmail,
    web: FlaskClient,
    auth: dict[str, str],
    change: dict[str, str],
    status: int,
    field: str,
) -> None:
    query = {**consent(fake, web, auth), **change}
    response = web.get("/api/v1/gmail/callback", query_string=query)
    assert response.status_code == status
    assert response.json["error"]["field"] == field  # type: ignore[index]
    assert not web.get("/api/v1/gmail/status", headers=auth).json["connected"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("granted", "status"),
    [
        ("https://www.googleapis.com/auth/gmail.readonly openid email", 200),  # widened: fine
        ("openid email", 400),  # the user unticked Gmail on the consent screen
    ],
)
def test_the_granted_scope_must_include_gmail(
    fake: FakeGmail, web: FlaskClient, auth: dict[str, str], granted: str, status: int
) -> None:
    query = consent(fake, web, auth)
    challenge, _ = fake.codes[query["code"]]
    fake.codes[query["code"]] = (challenge, granted)
    response = web.get("/api/v1/gmail/callback", query_string=query)
    assert response.status_code == status
    if status == 400:
        assert response.json["error"]["field"] == "scope"  # type: ignore[index]
    connected = web.get("/api/v1/gmail/status", headers=auth).json["connected"]  # type: ignore[index]
    assert connected is (status == 200)


def test_a_state_is_used_once(fake: FakeGmail, web: FlaskClient, auth: dict[str, str]) -> None:
    query = consent(fake, web, auth)
    assert web.get("/api/v1/gmail/callback", query_string=query).status_code == 200
    again = web.get("/api/v1/gmail/callback", query_string=query)
    assert again.status_code == 400 and again.json["error"]["field"] == "state"  # type: ignore[index]


def test_gmail_routes_need_the_bearer_token_but_the_callback_does_not(web: FlaskClient) -> None:
    for method, path in [("GET", "/api/v1/gmail/connect"), ("GET", "/api/v1/gmail/status"),
                         ("POST", "/api/v1/gmail/sync"), ("DELETE", "/api/v1/gmail"),
                         ("GET", "/api/v1/pipeline"), ("GET", "/api/v1/threads/18f0")]:  # fmt: skip
        assert web.open(path, method=method).status_code == 401, path
    assert web.get("/api/v1/gmail/callback").json["error"]["field"] == "state"  # type: ignore[index]


def test_disconnect_forgets_the_account_and_its_sync_state(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient, auth: dict[str, str]
) -> None:
    sync(web, auth)
    granted = set(fake.refresh_tokens)
    gone = web.delete("/api/v1/gmail", headers=auth).json
    assert gone == {"connected": False, "deleted": True, "revoked": True}
    assert fake.revoked and set(fake.revoked) <= granted  # Google was told to end the grant
    assert not fake.refresh_tokens & set(fake.revoked)
    assert web.get("/api/v1/gmail/status", headers=auth).json["connected"] is False  # type: ignore[index]
    gone = web.get("/api/v1/pipeline", headers=auth).json
    assert gone == {"threads": [], "last_sync_at": None}  # the synced threads went with it


# --- reading a thread --------------------------------------------------------------------


def test_a_thread_read_through_the_api_gives_the_report(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient, auth: dict[str, str]
) -> None:
    response = web.get(f"/api/v1/threads/{connected['trap']}", headers=auth)
    assert response.status_code == 200, response.json
    (report,) = response.json["threads"]  # type: ignore[index]
    assert (report["thread_id"], report["unanswered"], report["level"]) == (
        connected["trap"],
        3,
        "trap",
    )
    assert report["prospect"]["email"] == "marc.lefevre@batiplus.example"
    assert report["prospect"]["phone"] == "+33612345678"  # from the body: format=full was read
    assert api_methods(fake) == ["users.threads.get"] and fake.units() == 40


@pytest.mark.parametrize("gmail_scope", ["metadata"])
def test_with_the_metadata_scope_the_report_comes_from_headers_alone(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient, auth: dict[str, str]
) -> None:
    status = web.get("/api/v1/gmail/status", headers=auth).json
    assert status["scopes"] == ["https://www.googleapis.com/auth/gmail.metadata"]  # type: ignore[index]
    assert sync(web, auth)["mode"] == "cold"
    assert all("q" not in s.query for s in fake.api_calls())  # gmail.metadata allows no q=
    fake.reset_log()
    (report,) = web.get(f"/api/v1/threads/{connected['trap']}", headers=auth).json["threads"]  # type: ignore[index]
    assert (report["unanswered"], report["level"]) == (3, "trap")
    assert report["prospect"]["phone"] is None  # no bodies: no phone number
    assert [s.query["format"] for s in fake.api_calls()] == [["metadata"]]


@pytest.mark.parametrize(
    ("thread_id", "status", "field"),
    [
        ("not-hex!", 400, "thread_id"),
        ("18f0000000000000f", 400, "thread_id"),  # 17 digits: no 64-bit id
        ("18f00000000fffff", 404, "thread_id"),
    ],
)
def test_a_bad_or_unknown_thread_id_is_named(
    connected: dict[str, str],
    web: FlaskClient,
    auth: dict[str, str],
    thread_id: str,
    status: int,
    field: str,
) -> None:
    response = web.get(f"/api/v1/threads/{thread_id}", headers=auth)
    assert response.status_code == status
    assert response.json["error"]["field"] == field  # type: ignore[index]


# --- sync and the pipeline ---------------------------------------------------------------


def test_the_cold_scan_fills_the_pipeline_riskiest_first(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient, auth: dict[str, str]
) -> None:
    result = sync(web, auth)
    at_risk = [name for name, (_, level) in EXPECTED.items() if level != "ok"]
    # getProfile + two list pages + one threads.get per thread that may be at risk (two of ours
    # or more), and nothing else: here exactly the ones at risk.
    assert result["mode"] == "cold" and result["threads"] == len(at_risk)
    assert result["units"] == fake.units() == 1 + 2 * 5 + 40 * len(at_risk)
    pipeline = web.get("/api/v1/pipeline", headers=auth).json["threads"]  # type: ignore[index]
    assert [t["thread_id"] for t in pipeline] == [connected["trap"], connected["watch"]]
    assert [(t["unanswered"], t["level"]) for t in pipeline] == [
        EXPECTED["trap"],
        EXPECTED["watch"],
    ]
    assert pipeline[0]["subject"] == "Module planification" and pipeline[0]["last_touch_at"]
    assert pipeline[0]["recommendation"]["code"]  # maxcore's whole report, advice included


def test_an_unchanged_mailbox_costs_one_history_list(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient, auth: dict[str, str]
) -> None:
    sync(web, auth)
    fake.reset_log()
    result = sync(web, auth)
    assert result["mode"] == "incremental" and result["units"] == 2
    assert api_methods(fake) == ["users.history.list"] and fake.units() == 2
    assert web.get("/api/v1/gmail/status", headers=auth).json["last_sync_units"] == 2  # type: ignore[index]


@pytest.mark.parametrize(
    ("thread", "sender", "labels", "expected", "extra_units"),
    [
        ("one", ME, ("SENT",), (2, "watch"), 40),  # one of ours added: read it again
        ("trap", MARC, ("INBOX",), (0, "ok"), 40),  # at risk, Marc wrote: out of the pipeline
        ("watch", ME, ("SENT",), (3, "trap"), 40),
        ("replied", LUC, ("INBOX",), (0, "ok"), 0),  # theirs, not at risk: nothing to read
    ],
)
def test_history_moves_a_thread_by_what_was_added(
    fake: FakeGmail,
    connected: dict[str, str],
    web: FlaskClient,
    auth: dict[str, str],
    thread: str,
    sender: str,
    labels: tuple[str, ...],
    expected: tuple[int, str],
    extra_units: int,
) -> None:
    sync(web, auth)
    fake.add(connected[thread], sender, ME if sender != ME else MARC, "Re: suite", 0, "…", labels)
    fake.reset_log()
    result = sync(web, auth)
    assert result["units"] == fake.units() == 2 + extra_units
    pipeline = {
        t["thread_id"]: t for t in web.get("/api/v1/pipeline", headers=auth).json["threads"]
    }  # type: ignore[index]
    if expected[1] == "ok":
        assert connected[thread] not in pipeline
    else:
        got = pipeline[connected[thread]]
        assert (got["unanswered"], got["level"]) == expected


def test_an_older_page_reading_does_not_overwrite_what_the_sync_read(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient, auth: dict[str, str]
) -> None:
    sync(web, auth)
    fake.add(connected["trap"], MARC, ME, "Re: suite", 0, "…", ("INBOX",))
    sync(web, auth)  # Marc answered: out of the pipeline
    stale = load_body("page_trap_fr.json")  # a tab open since October on the same thread
    stale.pop("_expect")
    stale["thread"]["thread_id"] = connected["trap"]
    analyzed = web.post("/api/v1/threads/analyze", json=stale, headers=auth).json
    assert analyzed["threads"][0]["level"] == "trap"  # type: ignore[index]
    at_risk = [t["thread_id"] for t in web.get("/api/v1/pipeline", headers=auth).json["threads"]]  # type: ignore[index]
    assert connected["trap"] not in at_risk


def test_a_sync_that_reads_a_reply_answers_the_pivot_sent(
    gmail_app: Flask,
    fake: FakeGmail,
    connected: dict[str, str],
    web: FlaskClient,
    auth: dict[str, str],
) -> None:
    sync(web, auth)
    brief = web.get(f"/api/v1/threads/{connected['trap']}", headers=auth).json["brief"]  # type: ignore[index]
    made = web.post("/api/v1/suggestions", json={"brief": brief}, headers=auth).json
    web.post(f"/api/v1/suggestions/{made['id']}/sent", headers=auth)  # type: ignore[index]
    with gmail_app.extensions["max_engine"].begin() as conn:  # sent yesterday
        conn.execute(sa.update(suggestions).values(sent_at=now_utc() - timedelta(days=1)))
    sync(web, auth)  # nothing new: still no answer
    assert web.get("/api/v1/stats/pivots", headers=auth).json[0]["answered_at"] is None  # type: ignore[index]
    fake.add(connected["trap"], MARC, ME, "Re: suite", 0, "On en parle demain ?", ("INBOX",))
    sync(web, auth)
    (pivot,) = web.get("/api/v1/stats/pivots", headers=auth).json  # type: ignore[misc]
    assert pivot["answered_at"] is not None and pivot["thread_id"] == connected["trap"]
    stats = web.get("/api/v1/stats", headers=auth).json["after_pivot"]  # type: ignore[index]
    assert (stats["cases"], stats["answered"]) == (1, 1)


def test_an_expired_history_id_triggers_a_full_resync(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient, auth: dict[str, str]
) -> None:
    sync(web, auth)
    fake.add(connected["one"], ME, LUC, "Re: Contrat cadre", 0, "Relance", ("SENT",))
    fake.forget_history()
    fake.reset_log()
    result = sync(web, auth)
    assert result["mode"] == "resync" and api_methods(fake)[:2] == [
        "users.history.list",
        "users.getProfile",
    ]
    assert result["history_id"] == str(fake.history_id)
    levels = {
        t["thread_id"]: t["level"]
        for t in web.get("/api/v1/pipeline", headers=auth).json["threads"]
    }  # type: ignore[index]
    assert levels == {
        connected["trap"]: "trap",
        connected["watch"]: "watch",
        connected["one"]: "watch",
    }


# --- failures ----------------------------------------------------------------------------


def test_a_429_with_retry_after_is_waited_out_then_succeeds(
    fake: FakeGmail,
    connected: dict[str, str],
    web: FlaskClient,
    auth: dict[str, str],
    sleeps: list[float],
) -> None:
    body = gmail_error(429, "Too many concurrent requests for user", "rateLimitExceeded")
    fake.fail(r"/threads/", 429, headers={"Retry-After": "7"}, body=body)
    response = web.get(f"/api/v1/threads/{connected['trap']}", headers=auth)
    assert response.status_code == 200
    assert sleeps == [7.0]
    assert api_methods(fake) == ["users.threads.get", "users.threads.get"]


@pytest.mark.parametrize(
    ("status", "reason", "retried"),
    [
        (500, "backendError", True),
        (503, "backendError", True),
        (403, "userRateLimitExceeded", True),
        (403, "rateLimitExceeded", True),
        (403, "insufficientPermissions", False),
        (400, "badRequest", False),
    ],
)
def test_which_failures_are_retried(
    fake: FakeGmail,
    connected: dict[str, str],
    web: FlaskClient,
    auth: dict[str, str],
    sleeps: list[float],
    status: int,
    reason: str,
    retried: bool,
) -> None:
    fake.fail(r"/threads/", status, body=gmail_error(status, "no", reason))
    response = web.get(f"/api/v1/threads/{connected['trap']}", headers=auth)
    assert response.status_code == (200 if retried else 503)
    assert len(fake.api_calls()) == (2 if retried else 1)
    assert len(sleeps) == (1 if retried else 0) and all(0 < s <= 30 for s in sleeps)


def test_retries_stop_after_the_attempt_budget(
    fake: FakeGmail,
    connected: dict[str, str],
    web: FlaskClient,
    auth: dict[str, str],
    sleeps: list[float],
) -> None:
    fake.fail(r"/history|/profile", 500, times=99)
    response = web.post("/api/v1/gmail/sync", headers=auth)
    assert response.status_code == 503 and response.json["error"]["code"] == "gmail_unavailable"  # type: ignore[index]
    assert len(fake.api_calls()) == 4 and len(sleeps) == 3  # MAX_GMAIL_RETRY: 4 attempts


def test_a_revoked_grant_asks_to_reconnect_without_retrying(
    fake: FakeGmail,
    connected: dict[str, str],
    web: FlaskClient,
    auth: dict[str, str],
    sleeps: list[float],
) -> None:
    fake.revoke()
    response = web.get(f"/api/v1/threads/{connected['trap']}", headers=auth)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "gmail_reconnect"  # type: ignore[index]
    assert "Reconnect Gmail" in response.json["error"]["message"]  # type: ignore[index]
    assert [s.path for s in fake.served] == ["/token"] and sleeps == []
    assert web.get("/api/v1/gmail/status", headers=auth).json["reconnect"] is True  # type: ignore[index]


def test_logs_carry_no_address_subject_or_body(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient, auth: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    fake.fail(r"/history", 429, headers={"Retry-After": "1"})
    sync(web, auth)
    sync(web, auth)
    web.get(f"/api/v1/threads/{connected['trap']}", headers=auth)
    tokens = set(fake.refresh_tokens) | set(fake.access_tokens)
    fake.revoke()
    web.post("/api/v1/gmail/sync", headers=auth)
    assert caplog.records, "the flow logs something"
    secrets = tokens | {ME, "batiplus", "agrinova", "Module planification", "06 12 34 56 78"}
    secrets |= {row[6].split("\n")[0] for row in MAILBOX}
    leaked = {s for s in secrets if s and s in caplog.text}
    assert not leaked


def test_the_openapi_document_lists_the_gmail_paths(web: FlaskClient) -> None:
    paths = web.get("/api/v1/openapi.json").json["paths"]  # type: ignore[index]
    for path in ("/api/v1/gmail/connect", "/api/v1/gmail/callback", "/api/v1/pipeline",
                 "/api/v1/threads/{thread_id}", "/api/v1/gmail/sync"):  # fmt: skip
        assert path in paths


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({}, "MAX_GOOGLE_CLIENT_FILE"),
        ({"MAX_GOOGLE_CLIENT_FILE": "/nonexistent/client.json"}, "MAX_GOOGLE_CLIENT_FILE"),
        ({"MAX_GOOGLE_CLIENT_FILE": "/nonexistent/client.json", "MAX_GMAIL_SCOPE": "modify"},
         "MAX_GMAIL_SCOPE"),
    ],
)  # fmt: skip
def test_an_unconfigured_gmail_says_which_setting_is_missing(
    tmp_path: Path, config: dict[str, str], field: str
) -> None:
    app = create_app(
        {"TESTING": True, "MAX_DATA_DIR": str(tmp_path), "MAX_API_TOKEN": "t", **config}
    )
    response = app.test_client().get("/api/v1/gmail/connect", headers={"Authorization": "Bearer t"})
    app.extensions["max_engine"].dispose()
    assert response.status_code == 503
    assert response.json["error"] == {  # type: ignore[index]
        "code": "gmail_not_configured",
        "message": response.json["error"]["message"],  # type: ignore[index]
        "field": field,
    }


def test_concurrent_syncs_of_one_user_run_one_after_the_other(
    fake: FakeGmail, connected: dict[str, str], web: FlaskClient, auth: dict[str, str]
) -> None:
    fake.delay = 0.02  # long enough for the two requests to overlap
    results: list[Json] = []

    def run() -> None:
        results.append(sync(web, auth))

    workers = [threading.Thread(target=run) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(r["mode"] for r in results) == ["cold", "incremental"]
    cold = 1 + 2 * 5 + 40 * sum(1 for _, level in EXPECTED.values() if level != "ok")
    assert fake.units() == sum(r["units"] for r in results) == cold + 2


def test_the_poller_syncs_every_connected_mailbox(
    gmail_app: Flask,
    fake: FakeGmail,
    connected: dict[str, str],
    web: FlaskClient,
    auth: dict[str, str],
) -> None:
    from backend.__main__ import poll_round

    assert poll_round(gmail_app) == (1, 0)
    assert web.get("/api/v1/gmail/status", headers=auth).json["last_sync_at"]  # type: ignore[index]
    pipeline = web.get("/api/v1/pipeline", headers=auth).json["threads"]  # type: ignore[index]
    assert [t["thread_id"] for t in pipeline] == [connected["trap"], connected["watch"]]
    fake.revoke()  # a mailbox whose grant died fails alone, and says so in the count
    assert poll_round(gmail_app) == (0, 1)
