"""GmailClient: retries as the server asks, a ledger of quota units, at most 10 calls in flight."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httplib2
import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.errors import HttpError

from backend.gmail.client import (
    MAX_IN_FLIGHT,
    QUOTA_UNITS,
    GmailClient,
    GmailReconnect,
    GmailUnavailable,
    QuotaLedger,
    RetryPolicy,
    can_search,
    is_retryable,
    retry_after,
)
from tests.backend.gmail.mailbox import MARC, ME
from tests.servers.fake_gmail import FakeGmail, gmail_error

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def http_error(status: int, reason: str = "", headers: dict[str, str] | None = None,
               message: str = "") -> HttpError:  # fmt: skip
    resp = httplib2.Response({"status": str(status), **(headers or {})})
    body = json.dumps(gmail_error(status, message or "error", reason)).encode()
    return HttpError(resp, body)


@pytest.mark.parametrize(
    ("error", "seconds"),
    [
        (http_error(429, headers={"retry-after": "7"}), 7.0),
        (http_error(503, headers={"retry-after": "Fri, 27 Nov 2026 09:00:30 GMT"}), 30.0),
        (
            http_error(
                429, message="User-rate limit exceeded.  Retry after 2026-11-27T09:01:00.500Z"
            ),
            60.5,
        ),
        (http_error(429, message="Retry after 2026-11-27T08:00:00Z"), 0.0),  # already past
        (http_error(429, headers={"retry-after": "soon"}), None),
        (http_error(500), None),
    ],
)
def test_retry_after_reads_seconds_dates_and_gmails_message(
    error: HttpError, seconds: float | None
) -> None:
    assert retry_after(error, NOW.timestamp()) == seconds


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (http_error(429, "rateLimitExceeded"), True),
        (http_error(500, "backendError"), True),
        (http_error(502), True),
        (http_error(503), True),
        (http_error(504), True),
        (http_error(403, "userRateLimitExceeded"), True),
        (http_error(403, "rateLimitExceeded"), True),
        (http_error(403, "dailyLimitExceeded"), False),  # a day's quota: retrying won't help
        (http_error(403, "insufficientPermissions"), False),
        (http_error(400, "invalidArgument"), False),
        (http_error(404, "notFound"), False),
        (TimeoutError(), True),
        (ValueError(), False),
    ],
)
def test_what_is_worth_retrying(error: BaseException, retryable: bool) -> None:
    assert is_retryable(error) is retryable


def test_the_ledger_prices_each_method_from_its_table() -> None:
    ledger = QuotaLedger()
    for method in ("history.list", "messages.get", "messages.get", "threads.get", "getProfile"):
        ledger.charge(f"gmail.users.{method}")
    assert ledger.calls["gmail.users.messages.get"] == 2
    assert ledger.units == 2 + 2 * 20 + 40 + 1
    assert (
        QUOTA_UNITS["gmail.users.threads.get"] == 40
        and QUOTA_UNITS["gmail.users.messages.list"] == 5
    )


@pytest.mark.parametrize(
    ("scopes", "searchable"),
    [
        (("https://www.googleapis.com/auth/gmail.readonly",), True),
        (("https://www.googleapis.com/auth/gmail.metadata",), False),
        (("https://www.googleapis.com/auth/gmail.metadata", "openid", "email"), False),
        (("https://www.googleapis.com/auth/gmail.modify",), True),
        (("https://www.googleapis.com/auth/gmail.metadata",
          "https://www.googleapis.com/auth/gmail.readonly"), True),
    ],
)  # fmt: skip
def test_search_needs_a_scope_that_reads_bodies(scopes: tuple[str, ...], searchable: bool) -> None:
    assert can_search(scopes) is searchable


@pytest.fixture
def fake() -> Iterator[FakeGmail]:
    server = FakeGmail(email=ME)
    server.start()
    server.refresh_tokens.add("1//granted")
    yield server
    server.stop()


def make_client(
    fake: FakeGmail, sleeps: list[float], policy: RetryPolicy | None = None
) -> GmailClient:
    credentials = Credentials(  # type: ignore[no-untyped-call]
        token=None, refresh_token="1//granted", token_uri=f"{fake.url}/token",
        client_id="id", client_secret="secret",
    )  # fmt: skip
    return GmailClient(
        credentials, api_base=fake.url, sleep=sleeps.append, policy=policy or RetryPolicy()
    )


def profile(client: GmailClient) -> dict[str, object]:
    return client.execute(client.service.users().getProfile(userId="me"))


def test_a_retry_after_iso_time_is_waited_until(fake: FakeGmail) -> None:
    sleeps: list[float] = []
    until = (datetime.now(UTC) + timedelta(seconds=42)).isoformat().replace("+00:00", "Z")
    message = f"User-rate limit exceeded.  Retry after {until}"
    fake.fail("/profile", 429, body=gmail_error(429, message, "userRateLimitExceeded"))
    assert profile(make_client(fake, sleeps))["emailAddress"] == ME
    assert len(sleeps) == 1 and 40 < sleeps[0] <= 42


def test_a_wait_beyond_the_budget_is_not_taken(fake: FakeGmail) -> None:
    sleeps: list[float] = []
    fake.fail("/profile", 429, headers={"Retry-After": "3600"})
    with pytest.raises(GmailUnavailable) as raised:
        profile(make_client(fake, sleeps, RetryPolicy(max_total_wait=60)))
    assert raised.value.status == 429 and sleeps == []


def test_backoff_without_a_hint_grows_and_stays_bounded(fake: FakeGmail) -> None:
    sleeps: list[float] = []
    fake.fail("/profile", 503, times=4)
    policy = RetryPolicy(max_attempts=5, first_wait=1.0, max_wait=4.0, max_total_wait=100)
    assert profile(make_client(fake, sleeps, policy))["emailAddress"] == ME
    assert len(sleeps) == 4 and sleeps[0] < sleeps[2] and max(sleeps) <= 4.0


def test_a_refused_refresh_is_a_reconnect_with_one_token_call(fake: FakeGmail) -> None:
    sleeps: list[float] = []
    fake.revoke()
    with pytest.raises(GmailReconnect):
        profile(make_client(fake, sleeps))
    assert [s.path for s in fake.served] == ["/token"] and sleeps == []


def test_fan_out_keeps_at_most_ten_calls_in_flight(fake: FakeGmail) -> None:
    client = make_client(fake, [])
    ids = [fake.add(None, MARC, ME, "x", 1).id for _ in range(25)]
    profile(client)  # the access token once, before fanning out
    fake.delay = 0.05

    def get(message_id: str) -> str:
        request = (
            client.service.users().messages().get(userId="me", id=message_id, format="minimal")
        )
        return str(client.execute(request)["id"])

    assert client.map_bounded(get, ids) == ids  # results in input order
    assert 2 <= fake.max_in_flight <= MAX_IN_FLIGHT
    assert client.ledger.units == 1 + 25 * 20 == fake.units()
