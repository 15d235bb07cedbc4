"""The one way MAX calls the Gmail API: retries that honour Retry-After, and a quota-unit ledger.

Rule: the real google-api-python-client, built from the discovery document shipped in the package
(no network at build time) against a configurable endpoint; every attempt is charged to a ledger
at google-openai.md's new-regime prices; 429, 5xx and rate-limit 403s are retried within bounded
attempts and total wait; a refused grant (`invalid_grant`) is never retried: the user reconnects.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import MappingProxyType
from typing import Any, TypeVar

import httplib2
from google.auth.exceptions import RefreshError
from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import HttpRequest
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

# Units per call, new regime for projects created since May 2026 (google-openai.md §2.2).
# `format` does not change the price; batching does not either.
QUOTA_UNITS: Mapping[str, int] = MappingProxyType(
    {
        "gmail.users.getProfile": 1,
        "gmail.users.history.list": 2,
        "gmail.users.messages.list": 5,
        "gmail.users.threads.list": 10,
        "gmail.users.messages.get": 20,
        "gmail.users.threads.get": 40,
        "gmail.users.watch": 100,
    }
)
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
# A 403 is retried only for these reasons (the client library's own rule, gotcha 4).
RATE_LIMIT_REASONS = frozenset(
    {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}
)
# "User-rate limit exceeded.  Retry after 2025-08-22T18:22:38.763Z" (google-openai.md §2.3).
RETRY_AFTER_TEXT = re.compile(r"Retry after (\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:\d\d)?)")
SCOPE_URL = "https://www.googleapis.com/auth/gmail."
SCOPES = MappingProxyType({"readonly": SCOPE_URL + "readonly", "metadata": SCOPE_URL + "metadata"})
MAX_IN_FLIGHT = 10  # Gmail's per-user concurrency cap, about 10 (google-openai.md §2.3)


# Scopes that allow q= and bodies; gmail.metadata does not (google-openai.md, gotcha 7).
SEARCH_SCOPES = frozenset({SCOPES["readonly"], SCOPE_URL + "modify", "https://mail.google.com/"})


def can_search(scopes: Iterable[str]) -> bool:
    return not SEARCH_SCOPES.isdisjoint(scopes)


class GmailReconnect(Exception):
    """The user's grant is gone (revoked, expired, password changed): reconnect Gmail."""


class GmailUnavailable(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"Gmail answered {status}")
        self.status = status


class GmailNotFound(Exception):
    pass


class QuotaLedger:
    """Calls and quota units spent, per method; thread-safe (the scan fans out)."""

    def __init__(self) -> None:
        self._calls: Counter[str] = Counter()
        self._lock = threading.Lock()

    def charge(self, method_id: str) -> None:
        with self._lock:
            self._calls[method_id] += 1

    @property
    def calls(self) -> dict[str, int]:
        with self._lock:
            return dict(self._calls)

    @property
    def units(self) -> int:
        return units_of(self.calls)

    def since(self, before: dict[str, int]) -> dict[str, int]:
        """Calls made after `before` (an earlier `calls`)."""
        return {m: n - before.get(m, 0) for m, n in self.calls.items() if n > before.get(m, 0)}


def units_of(calls: Mapping[str, int]) -> int:
    return sum(QUOTA_UNITS.get(m, 0) * n for m, n in calls.items())


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    max_total_wait: float = 60.0  # seconds of sleeping summed over one call's retries
    first_wait: float = 1.0
    max_wait: float = 30.0


def error_reasons(err: HttpError) -> set[str]:
    try:
        error = json.loads(err.content.decode("utf-8", "replace"))["error"]
    except (ValueError, KeyError, TypeError):
        return set()
    items = [*(error.get("errors") or []), *(error.get("details") or [])]
    return {str(i.get("reason")) for i in items if isinstance(i, dict) and i.get("reason")}


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, HttpError):
        status = exc.status_code
        return status in RETRYABLE_STATUS or (
            status == 403 and bool(error_reasons(exc) & RATE_LIMIT_REASONS)
        )
    return isinstance(exc, (httplib2.HttpLib2Error, OSError))


def retry_after(err: HttpError, now: float) -> float | None:
    """Seconds to wait as the server asked: RFC 9110 §10.2.3 Retry-After (delay-seconds or
    HTTP-date), else Gmail's "Retry after <ISO time>" message; None when it did not say."""
    value = str(err.resp.get("retry-after", "")).strip()
    when: datetime | None = None
    if value.isdigit():
        return float(value)
    if value:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
    if when is None:
        found = RETRY_AFTER_TEXT.search(err.content.decode("utf-8", "replace"))
        if found:
            when = datetime.fromisoformat(found.group(1))
    if when is None:
        return None
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return max(0.0, aware.timestamp() - now)


class stop_past_wait(stop_base):  # noqa: N801  (tenacity's naming for stop strategies)
    """Stop when the next sleep would take the summed waits past the budget. Counts planned
    sleep, not wall time, so it still holds with an injected sleep (gotcha 13)."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.max_total_wait = policy.max_total_wait

    def __call__(self, retry_state: RetryCallState) -> bool:
        planned = retry_state.idle_for + (retry_state.upcoming_sleep or 0.0)
        return planned > self.max_total_wait


class GmailClient:
    """One user's Gmail, through the real client library; `sleep` and `clock` are injectable."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        api_base: str | None = None,
        policy: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        ledger: QuotaLedger | None = None,
        timeout: float = 30.0,
    ) -> None:
        options = {"api_endpoint": api_base} if api_base else None
        self.service: Any = build(
            "gmail",
            "v1",
            credentials=credentials,
            static_discovery=True,
            cache_discovery=False,
            client_options=options,
        )
        self.credentials = credentials
        self.policy = policy
        self.ledger = ledger or QuotaLedger()
        self._sleep = sleep
        self._clock = clock
        self._timeout = timeout
        self._local = threading.local()
        self._backoff = wait_exponential_jitter(
            initial=policy.first_wait, max=policy.max_wait, jitter=policy.first_wait
        )

    def _http(self) -> AuthorizedHttp:
        # httplib2 is not thread-safe: one connection object per worker thread.
        http: AuthorizedHttp | None = getattr(self._local, "http", None)
        if http is None:
            http = AuthorizedHttp(self.credentials, http=httplib2.Http(timeout=self._timeout))
            self._local.http = http
        return http

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = retry_after(exc, self._clock()) if isinstance(exc, HttpError) else None
        return hinted if hinted is not None else float(self._backoff(state))

    def _attempt(self, request: HttpRequest) -> dict[str, Any]:
        self.ledger.charge(request.methodId)
        result: dict[str, Any] = request.execute(http=self._http())
        return result

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        status = exc.status_code if isinstance(exc, HttpError) else type(exc).__name__
        log.warning("gmail call failed (%s), retry in %.1fs", status, state.upcoming_sleep)

    def execute(self, request: HttpRequest) -> dict[str, Any]:
        """Run one API call with retries; Gmail* exceptions for what a caller must handle."""
        retrying = Retrying(
            retry=retry_if_exception(is_retryable),
            wait=self._wait,
            stop=stop_after_attempt(self.policy.max_attempts) | stop_past_wait(self.policy),
            sleep=self._sleep,
            before_sleep=self._log_retry,
            reraise=True,
        )
        try:
            return retrying(self._attempt, request)
        except RefreshError as err:
            if "invalid_grant" in str(err.args[0] if err.args else ""):
                raise GmailReconnect() from err
            raise GmailUnavailable(502) from err
        except HttpError as err:
            if err.status_code == 404:
                raise GmailNotFound() from err
            raise GmailUnavailable(err.status_code) from err
        except (httplib2.HttpLib2Error, OSError) as err:
            raise GmailUnavailable(504) from err

    def pages(self, method: Callable[..., HttpRequest], **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every page of a list call, following nextPageToken."""
        token: str | None = None
        while True:
            page = self.execute(method(**kwargs, **({"pageToken": token} if token else {})))
            yield page
            token = page.get("nextPageToken")
            if not token:
                return

    def map_bounded(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """`fn` over items with at most MAX_IN_FLIGHT calls in flight, results in input order."""
        todo = list(items)
        if len(todo) <= 1:
            return [fn(i) for i in todo]
        with ThreadPoolExecutor(max_workers=min(MAX_IN_FLIGHT, len(todo))) as pool:
            return list(pool.map(fn, todo))
