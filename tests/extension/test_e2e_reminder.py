"""End to end, issue 13's reminder: the real extension in a real Chromium, the real backend on
loopback (test_e2e.py's harness), a fake clock.

The fake clock is lib/clock.js's: chrome.storage.session's `clockOffsetMs`, which moves the
"now" the extension analyses at and every reminder's alarm together. Chrome's own alarms and
notifications do the rest, at real time: the alarm is real, only the offset is the test's. A
test first reads the trap thread (thread-trap-en.html) as a user would, takes the slot MAX chose
for the WhatsApp message from what the extension kept, then moves the clock to a few seconds
before that slot. Chromium cannot click a system notification for a test: the click is the
service worker's own `onClicked` handler, called as Chrome calls it.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.extension.test_e2e import (
    ACCOUNT,
    THREAD_URL,
    Gmail,
    api_get,
    api_post,
    chromium,
    paired,
    report,
    running_backend,
    screenshots,
    shoot,
)

pytestmark = pytest.mark.e2e
__all__ = ["screenshots"]  # the fixture, taken from test_e2e.py

TRAP_ID = "18f3a0c2b1d4e5f6"  # thread-trap-en.html
REMINDER = f"max-reminder:{TRAP_ID}"
PROSPECT = {"email": "james.walker@northwind-build.co.uk", "name": "James Walker"}
LEAD_MS = 16 * 60_000  # the clock's first move: just over the 15 minutes the plan leaves a slot


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A fresh backend per test: the pipeline holds only this test's readings."""
    with running_backend(tmp_path / "max-data") as started:
        yield started


def worker(gmail: Gmail):
    """The extension's service worker as it runs now (a new one after a restart)."""
    return gmail.context.service_workers[-1]


def kept(gmail: Gmail) -> dict[str, dict]:
    return worker(gmail).evaluate(
        "() => chrome.storage.local.get('reminders').then((s) => s.reminders ?? {})"
    )


def shown(gmail: Gmail) -> dict[str, bool]:
    return worker(gmail).evaluate("() => chrome.notifications.getAll()")


def set_clock(gmail: Gmail, fake_now_ms: float) -> None:
    """The fake clock at `fake_now_ms` now; the reminders' alarms move with it."""
    offset = int(fake_now_ms - time.time() * 1000)
    worker(gmail).evaluate("(o) => chrome.storage.session.set({ clockOffsetMs: o })", offset)


def wait_until(check, timeout_s: float = 20.0, step_s: float = 0.1):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):  # a worker restarting answers nothing for a moment
            value = check()
            if value:
                return value
        time.sleep(step_s)
    pytest.fail("waited in vain")


def read_the_trap(gmail: Gmail) -> None:
    gmail.page.goto("about:blank")  # the same URL again would only be a change of its hash
    gmail.page.goto(THREAD_URL)
    gmail.sidebar('[data-max="message"]').wait_for(timeout=15_000)


def plan_the_reminder(gmail: Gmail, backend: dict[str, str]) -> int:
    """Reads the trap thread; answers the slot its reminder rings at (the fake clock's ms)."""
    gmail.store(paired(backend))
    read_the_trap(gmail)
    due = wait_until(lambda: kept(gmail).get(TRAP_ID, {}).get("when"))
    slot = api_get(backend, "/api/v1/pipeline")["threads"][0]["recommendation"]["slots"]
    assert due in [datetime.fromisoformat(s["best"]).timestamp() * 1000 for s in slot]
    # Read again at a fake now just before that slot: the same slot, with its alarm.
    set_clock(gmail, due - LEAD_MS)
    read_the_trap(gmail)
    wait_until(lambda: kept(gmail)[TRAP_ID]["when"] == due)
    alarm = worker(gmail).evaluate("(n) => chrome.alarms.get(n)", REMINDER)
    assert abs(alarm["scheduledTime"] - (time.time() * 1000 + LEAD_MS)) < 60_000
    return due


def ring_in(gmail: Gmail, due: int, seconds: float) -> None:
    """The fake clock `seconds` before the slot, once the alarm has moved with it."""
    set_clock(gmail, due - seconds * 1000)
    soon = time.time() * 1000 + seconds * 1000
    wait_until(
        lambda: (
            abs(
                worker(gmail).evaluate("(n) => chrome.alarms.get(n)", REMINDER)["scheduledTime"]
                - soon
            )
            < 1000
        )
    )


# The notification as Chrome draws one (headless Chromium has no notification centre to
# photograph): its icon, title, message and buttons are the ones MAX passed to Chrome.
NOTIFICATION_CARD = """({ options, icon }) => {
    document.body.innerHTML = '';
    document.body.style.cssText =
        'margin:0;padding:24px;background:#e8eaed;font:14px system-ui,sans-serif';
    const card = document.createElement('div');
    card.id = 'card';
    card.style.cssText =
        'width:360px;background:#fff;border-radius:8px;box-shadow:0 2px 8px #0003;overflow:hidden';
    const head = document.createElement('div');
    head.style.cssText = 'display:flex;gap:12px;padding:16px';
    const img = document.createElement('img');
    img.src = icon; img.width = 40; img.height = 40;
    const text = document.createElement('div');
    const title = document.createElement('div');
    title.style.cssText = 'font-weight:600;margin-bottom:4px';
    title.textContent = options.title;
    const message = document.createElement('div');
    message.style.color = '#3c4043';
    message.textContent = options.message;
    text.append(title, message);
    head.append(img, text);
    const buttons = document.createElement('div');
    buttons.style.cssText = 'display:flex;border-top:1px solid #dadce0';
    for (const b of options.buttons) {
        const button = document.createElement('div');
        button.style.cssText = 'flex:1;padding:10px 16px;color:#1a73e8;font-weight:500';
        button.textContent = b.title;
        buttons.append(button);
    }
    card.append(head, buttons);
    document.body.append(card);
    return img.decode();
}"""


def test_the_reminder_rings_at_the_slot_with_gmail_closed_and_opens_the_thread_with_the_message(
    backend, screenshots, tmp_path, capsys
):
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        due = plan_the_reminder(gmail, backend)
        gmail.page.close()  # Gmail closed: the alarm wakes the worker, nothing else
        assert shown(gmail) == {}
        ring_in(gmail, due, 3)
        wait_until(lambda: shown(gmail).get(REMINDER))
        reminder = kept(gmail)[TRAP_ID]
        late_ms = reminder["shownAt"] - due
        assert 0 <= late_ms < 15_000
        report(capsys, f"reminder: the notification was up {late_ms} ms after its slot")
        options = reminder["shown"]
        shown_at = datetime.fromtimestamp(reminder["shownAt"] / 1000).strftime("%-I:%M")
        assert options["title"].startswith(shown_at)
        assert "for James Walker: your WhatsApp message is ready" in options["title"]
        assert "Proposal – planning module" in options["message"]
        assert [b["title"] for b in options["buttons"]][0] == "In an hour"

        card = gmail.context.new_page()
        icon = f"chrome-extension://{gmail.extension_id}/icons/icon-128.png"
        card.goto(f"chrome-extension://{gmail.extension_id}/extension/pipeline/pipeline.html")
        card.evaluate(NOTIFICATION_CARD, {"options": options, "icon": icon})
        shoot(card.locator("#card"), screenshots, "reminder-notification-en.png")
        card.close()

        # The click, as Chrome calls it: a Gmail tab on the thread, the message and its QR ready.
        with gmail.context.expect_page(timeout=10_000) as opened:
            worker(gmail).evaluate("(id) => MAX.reminders.clicked(id)", REMINDER)
        page = opened.value
        page.wait_for_url(f"**/mail/u/0/#all/{TRAP_ID}", timeout=10_000)
        page.locator('[data-max="sidebar"] [data-max="message"]').wait_for(timeout=15_000)
        qr = page.locator('[data-max="sidebar"] [data-max="qr"] img')
        assert qr.evaluate("(img) => img.decode().then(() => img.naturalWidth)") > 0
        assert shown(gmail) == {}
        # That reading plans the next slot (the message is still the advice until it is sent).
        assert wait_until(lambda: kept(gmail).get(TRAP_ID, {}).get("when", 0) > due)


def answered_thread(reply_at: datetime) -> dict[str, object]:
    """The trap thread as a later reading saw it (a Gmail sync, another tab): James answered."""
    me = {"email": ACCOUNT, "name": "Paul Martin"}

    def message(n: int, sender: dict, to: dict, at: str, text: str) -> dict[str, object]:
        return {"id": f"m{n}", "date": at, "from": sender, "to": [to], "text": text}

    return {
        "thread_id": TRAP_ID,
        "subject": "Proposal – planning module",
        "messages": [
            message(1, me, PROSPECT, "2026-10-20T09:05:00+01:00", "Here is the proposal."),
            message(2, PROSPECT, me, "2026-10-21T10:12:00+01:00", "Thanks, I will look."),
            message(3, me, PROSPECT, "2026-11-10T09:30:00+00:00", "Any news?"),
            message(4, me, PROSPECT, "2026-11-17T09:45:00+00:00", "Following up."),
            message(5, me, PROSPECT, "2026-11-24T16:18:00+00:00", "One more time."),
            message(6, PROSPECT, me, reply_at.isoformat(), "Sorry for the delay: yes, go ahead."),
        ],
    }


def test_no_notification_when_the_prospect_answered_in_between(backend, tmp_path):
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        due = plan_the_reminder(gmail, backend)
        # The backend hears of the answer without this browser (as the Gmail sync would).
        reply_at = datetime.fromtimestamp(due / 1000).astimezone() - timedelta(hours=1)
        body = {"me": [ACCOUNT], "thread": answered_thread(reply_at)}
        assert api_post(backend, "/api/v1/threads/analyze", body)["threads"][0]["level"] == "ok"
        assert api_get(backend, "/api/v1/pipeline")["threads"] == []
        ring_in(gmail, due, 2)
        # The ring asked the backend, heard "no longer at risk", and dropped the reminder.
        wait_until(lambda: TRAP_ID not in kept(gmail))
        assert worker(gmail).evaluate("(n) => chrome.alarms.get(n)", REMINDER) is None
        time.sleep(1)  # a notification would be up by now
        assert shown(gmail) == {}


def stop_the_worker(gmail: Gmail) -> None:
    """Stops the service worker as DevTools' Stop button does (CDP ServiceWorker.stopAllWorkers);
    Chrome starts it again, with a fresh global scope, for the next event it listens to."""
    cdp = gmail.context.new_cdp_session(gmail.page)
    cdp.send("ServiceWorker.enable")
    cdp.send("ServiceWorker.stopAllWorkers")
    cdp.detach()


def test_the_reminder_survives_a_worker_restart_and_a_browser_restart(backend, tmp_path, capsys):
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        due = plan_the_reminder(gmail, backend)
        worker(gmail).evaluate("() => { globalThis.maxTestMarker = 'the first worker'; }")
        ring_in(gmail, due, 4)
        stop_the_worker(gmail)
        # Nothing touches the worker now: only the alarm (due in 4 s) can start it again.
        time.sleep(8)
        assert worker(gmail).evaluate("() => globalThis.maxTestMarker ?? null") is None
        assert shown(gmail).get(REMINDER)
        late_ms = kept(gmail)[TRAP_ID]["shownAt"] - due
        assert 0 <= late_ms < 3_000, late_ms  # rung by the alarm, not by this test's look at 8 s
        report(capsys, f"reminder after a worker restart: up {late_ms} ms after its slot")
        # Snoozed an hour, as the first button would (Chrome calls onButtonClicked).
        worker(gmail).evaluate("(id) => MAX.reminders.snoozed(id, 0)", REMINDER)
        wait_until(lambda: shown(gmail) == {} and kept(gmail)[TRAP_ID]["when"] > due)
        snoozed = kept(gmail)[TRAP_ID]
        assert snoozed["snoozed"] is True
        assert 60 * 60_000 <= snoozed["when"] - snoozed["shownAt"] <= 61 * 60_000

    # A browser restart, same profile: the snoozed reminder is still kept, with an alarm
    # (Chrome's own, or the one `restore` puts back when Chrome dropped it).
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        assert wait_until(lambda: kept(gmail).get(TRAP_ID)) == snoozed
        assert wait_until(lambda: worker(gmail).evaluate("(n) => chrome.alarms.get(n)", REMINDER))


def test_turned_off_in_the_options_no_reminder_is_kept_or_planned(backend, tmp_path):
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        plan_the_reminder(gmail, backend)
        options = gmail.options()
        remind = options.locator('#prefs-form input[name="remind"]')
        remind.wait_for(timeout=10_000)
        assert remind.is_checked()  # on until turned off
        remind.uncheck()
        options.locator('#prefs-form button[type="submit"]').click()
        wait_until(lambda: kept(gmail) == {})
        assert worker(gmail).evaluate("(n) => chrome.alarms.get(n)", REMINDER) is None
        # Reading the thread again plans nothing while it is off (the sidebar's answer comes
        # after the reminder heard the reading).
        read_the_trap(gmail)
        assert kept(gmail) == {}


LEAD = Path(__file__).resolve().parents[1] / "fixtures" / "backend" / "page_trap_fr.json"


def test_a_lead_never_opened_in_this_browser_gets_its_reminder_from_the_pipeline(backend, tmp_path):
    # The backend read it (as the Gmail sync would); this browser never showed it.
    lead = json.loads(LEAD.read_text(encoding="utf-8"))
    answer = api_post(
        backend, "/api/v1/threads/analyze", {"me": lead["me"], "thread": lead["thread"]}
    )
    slots = answer["threads"][0]["recommendation"]["slots"]
    lead_id = lead["thread"]["thread_id"]
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        gmail.store(paired(backend))
        panel = gmail.context.new_page()
        panel.goto(f"chrome-extension://{gmail.extension_id}/extension/pipeline/pipeline.html")
        panel.locator('#threads[data-max-loaded="true"]').wait_for(timeout=10_000)
        reminder = wait_until(lambda: kept(gmail).get(lead_id))
        assert reminder["name"] == "Pierre Garnier"
        assert reminder["account"] is None  # opened, it goes to the Gmail tab last used
        now_ms = time.time() * 1000
        firsts = [
            ms
            for s in slots
            if (ms := datetime.fromisoformat(s["best"]).timestamp() * 1000) >= now_ms + 15 * 60_000
        ]
        assert reminder["when"] == firsts[0]
        alarm = worker(gmail).evaluate("(n) => chrome.alarms.get(n)", f"max-reminder:{lead_id}")
        assert alarm["scheduledTime"] == reminder["when"]
