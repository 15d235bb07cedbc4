"""End to end: the real extension (the repo root) in a real Chromium, on fixture Gmail pages,
talking to the real backend on loopback.

Gmail is routed to tests/extension/fixtures/*.html, pages built from the markup the SDKs read
and the pages they saved (fixtures/README.md says which source each part follows); the backend
runs as `python -m backend` on a free port with a fresh SQLite and a fixed MAX_API_TOKEN.
Chromium is Debian's (/usr/bin/chromium); no browser is downloaded. The banner's latency, from
the reply opening to the banner on screen, is measured in the page and printed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
README_SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
TOKEN = "e2e-token-0123456789"
# Gmail enforces Trusted Types (gmail-page.md); the fixture pages are served the same way.
TRUSTED_TYPES_CSP = "require-trusted-types-for 'script'; trusted-types fixture"
TRUSTED_TYPES_ENFORCED = """() => {
    try { document.createElement('div').innerHTML = '<b>x</b>'; return false; }
    catch { return true; }
}"""
THREAD_URL = "https://mail.google.com/mail/u/0/#inbox/18f3a0c2b1d4e5f6"
INBOX_URL = "https://mail.google.com/mail/u/0/#inbox"
# From the compose's insertion (the fixture's window.__replyAt) to the banner drawn on screen.
BANNER_SHOWN_MS = """() => {
    const box = document.querySelector('[data-max="banner"]')?.shadowRoot
        ?.querySelector('.banner')?.getBoundingClientRect();
    return box && box.height > 0 ? performance.now() - window.__replyAt : false;
}"""
LOCALES = {
    lang: json.loads((ROOT / "_locales" / lang / "messages.json").read_text("utf-8"))
    for lang in ("en", "fr")
}
BANNER_TARGET_MS = 200  # on loopback; asserted with room for a shared 2-core machine
BANNER_BUDGET_MS = 1000
FLAGS = [
    f"--disable-extensions-except={ROOT}",
    f"--load-extension={ROOT}",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    pytest.skip("Debian chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/screenshots/ only when MAX_SCREENSHOTS=1 (the README's pictures are retaken on
    purpose, not by every run, which would leave the tree dirty); else a temporary folder."""
    if os.environ.get("MAX_SCREENSHOTS") == "1":
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return README_SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


def shoot(locator, folder: Path, name: str) -> None:
    """Takes the screenshot and checks it is a non-empty PNG."""
    path = folder / name
    locator.screenshot(path=str(path))
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and path.stat().st_size > 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with running_backend(tmp_path_factory.mktemp("max-data")) as started:
        yield started


@contextlib.contextmanager
def running_backend(data_dir: Path, token: str | None = TOKEN) -> Iterator[dict[str, str]]:
    """`python -m backend` on a free loopback port with its own SQLite in data_dir."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MAX_DATA_DIR": str(data_dir), "MAX_PUBLIC_URL": url}
    env.pop("MAX_API_TOKEN", None)
    if token:
        env["MAX_API_TOKEN"] = token
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Up to 30 s: on 2 cores shared by several test runs, start-up alone took over 10.
        for _ in range(300):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{url}/healthz", timeout=1)
                break
            time.sleep(0.1)
        else:
            pytest.fail("the backend did not start")
        yield {"url": url, "data_dir": str(data_dir)}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def with_side_panel(html: str) -> str:
    """The page with Gmail's side panel (side-panel.html) where its marker is."""
    fragment = (FIXTURES / "side-panel.html").read_text(encoding="utf-8")
    fragment = fragment[fragment.index("-->") + 3 :]
    return html.replace("<!-- fixture: side-panel.html -->", fragment)


def with_compose(html: str) -> str:
    """The page with compose-reply.html as <template id="fixture-compose"> where it asks for it."""
    fragment = (FIXTURES / "compose-reply.html").read_text(encoding="utf-8")
    fragment = fragment[fragment.index("-->") + 3 :]  # its source note stays in the file
    template = f'<template id="fixture-compose">{fragment}</template>'
    return html.replace("<!-- fixture: compose-reply.html -->", template)


def with_xhr_data(html: str) -> str:
    """As Gmail does for a thread it did not embed: an /i/fd XHR once the page is up (answered
    with fd-xhr-trap-en.json)."""
    script = """<script>
      setTimeout(() => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', '/sync/u/0/i/fd?hl=en&c=1&rt=r&pt=ji');
        xhr.send('[]');
      }, 300);
    </script>"""
    return _gmail_data(html, script)


def with_embedded_data(lang: str):
    """As Gmail does for the thread opened at load: its data inside the page, handed to
    _GM_setData({Cl6csf: [[…, …, "<JSON>"]]}) (gmail.js reads Cl6csf[0][2]). The page's own
    _GM_setData records its calls: Gmail's function must still run under MAX's hook."""
    text = (FIXTURES / f"fd-embedded-trap-{lang}.json").read_text(encoding="utf-8")
    literal = json.dumps(text).replace("</", "<\\/")  # inside <script>

    def edit(html: str) -> str:
        script = f"""<script>
      window._GM_setData = function (data) {{
        (window.__gmSetData ??= []).push(Object.keys(data));
      }};
      _GM_setData({{ Cl6csf: [[null, null, {literal}]] }});
    </script>"""
        return _gmail_data(html, script)

    return edit


def _gmail_data(html: str, script: str) -> str:
    marker = "<!-- fixture: gmail-data -->"
    assert marker in html, "this fixture takes no Gmail data"
    return html.replace(marker, script)


FIXTURE_SCRIPTS = ("gmail-fixture.js", "hostile-page.js")


class Gmail:
    """A Chromium with MAX loaded, Gmail routed to one fixture page."""

    def __init__(self, context, fixture: str, edit=None, side_panel: bool = True) -> None:
        self.context = context
        self.fixture = fixture
        self.edit = edit or (lambda html: html)
        self.side_panel = side_panel
        context.route("https://mail.google.com/**", self._serve)
        self.worker = context.service_workers[0] if context.service_workers else None
        if self.worker is None:
            self.worker = context.wait_for_event("serviceworker", timeout=10_000)
        self.extension_id = self.worker.url.split("/")[2]
        self.page = context.new_page()

    def _serve(self, route) -> None:
        path = route.request.url.split("mail.google.com", 1)[1]
        if path.startswith("/fixture/"):
            name = path.removeprefix("/fixture/").split("?", 1)[0]
            assert name in FIXTURE_SCRIPTS, name
            body = (FIXTURES / name).read_text(encoding="utf-8")
            route.fulfill(status=200, content_type="text/javascript", body=body)
        elif path.startswith("/sync/u/0/i/fd"):
            # Gmail prefixes its JSON with an XSSI guard.
            body = ")]}'\n" + (FIXTURES / "fd-xhr-trap-en.json").read_text(encoding="utf-8")
            route.fulfill(status=200, content_type="application/json; charset=utf-8", body=body)
        elif path.startswith("/mail/"):
            html = with_compose((FIXTURES / self.fixture).read_text(encoding="utf-8"))
            body = self.edit(with_side_panel(html) if self.side_panel else html)
            route.fulfill(
                status=200,
                content_type="text/html; charset=utf-8",
                headers={"Content-Security-Policy": TRUSTED_TYPES_CSP},
                body=body,
            )
        else:
            route.fulfill(status=404, body="")

    def store(self, values: dict[str, object]) -> None:
        self.worker.evaluate("(v) => chrome.storage.local.set(v)", values)

    def open_thread(self) -> None:
        self.page.goto(THREAD_URL)

    def open_reply(self) -> float:
        """Clicks Reply; the banner's latency (ms, measured in the page) once it is on screen."""
        self.page.click("#fixture-reply")
        shown = self.page.wait_for_function(BANNER_SHOWN_MS, polling="raf", timeout=5_000)
        return float(shown.json_value())

    def banner(self, selector: str = ""):
        return self.page.locator(f'[data-max="banner"] {selector}'.strip())

    def sidebar(self, selector: str = ""):
        return self.page.locator(f'[data-max="sidebar"] {selector}'.strip())

    def chip(self):
        return self.page.locator('[data-max="chip"]')

    def chip_text(self) -> str:
        """What the chip shows (its button, in its shadow root)."""
        return self.chip().locator("button").inner_text()

    def options(self):
        """The options page, in a tab of its own."""
        page = self.context.new_page()
        page.goto(f"chrome-extension://{self.extension_id}/extension/options/options.html")
        return page


@contextlib.contextmanager
def chromium(
    tmp_path: Path, lang: str, fixture: str, edit=None, side_panel: bool = True, extension=ROOT
) -> Iterator[Gmail]:
    """`lang` is Chrome's own language; the fixture's is Gmail's (its <html lang>, GLOBALS[4])."""
    flags = [f.replace(str(ROOT), str(extension)) for f in FLAGS]
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / f"profile-{lang}"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=[*flags, f"--lang={lang}"],
            locale=lang,
            viewport={"width": 1280, "height": 900},
        )
        try:
            context.grant_permissions(
                ["clipboard-read", "clipboard-write"], origin="https://mail.google.com"
            )
            yield Gmail(context, fixture, edit, side_panel)
        finally:
            context.close()


ACCOUNT = "paul.martin@acme-sales.com"  # the fixtures' Gmail account


def paired(backend: dict[str, str], account: str = ACCOUNT) -> dict[str, object]:
    """Paired, with the Gmail address the user confirmed on the options page."""
    return {"backendUrl": backend["url"], "apiToken": TOKEN, "account": account}


def sends(gmail: Gmail) -> list[dict[str, object]]:
    return gmail.page.evaluate("window.__sends")


def report(capsys, line: str) -> None:
    """A measurement printed to the terminal even when pytest captures output."""
    with capsys.disabled():
        print(f"\n{line}")


TRAP_CASES = [
    # (Chrome's language, fixture in Gmail's language, Gmail data added to the page, words the
    # banner shows): French Gmail in an English Chrome speaks French.
    # the older messages collapsed, as Gmail shows them; all read from the page
    ("en", "thread-trap-en.html", None, ("3 emails without an answer", "Belkins 2023–24")),
    ("en", "thread-trap-fr.html", None, ("Déjà 3 emails sans réponse", "Belkins 2023–24")),
    # first collapsed, three folded into the stack, last expanded; Gmail's data embedded at load
    ("en", "thread-folded-en.html", "embedded", ("3 emails without an answer",)),
    ("fr", "thread-folded-fr.html", "embedded", ("Déjà 3 emails sans réponse",)),
]


def gmail_lang(fixture: str) -> str:
    return fixture.removesuffix(".html").rsplit("-", 1)[1]


@pytest.mark.parametrize(("lang", "fixture", "data", "words"), TRAP_CASES)
def test_trap_thread_holds_the_first_send_once_and_send_anyway_sends(
    backend, screenshots, tmp_path, capsys, lang, fixture, data, words
):
    edit = with_embedded_data(gmail_lang(fixture)) if data == "embedded" else None
    with chromium(tmp_path, lang, fixture, edit) as gmail:
        gmail.store(paired(backend))
        opened = time.perf_counter()
        gmail.open_thread()
        gmail.sidebar('[data-max-level="trap"]').wait_for(timeout=10_000)
        shown_ms = (time.perf_counter() - opened) * 1000
        assert gmail.page.evaluate(TRUSTED_TYPES_ENFORCED), "served like Gmail, with Trusted Types"
        assert gmail.sidebar('[data-max="incomplete"]').count() == 0
        if data == "embedded":
            assert gmail.page.evaluate("window.__gmSetData") == [["Cl6csf"]], "Gmail's own ran"

        latency = gmail.open_reply()
        report(
            capsys,
            f"{fixture} ({lang}): thread opened → sidebar level {shown_ms:.0f} ms; "
            f"reply opened → banner visible {latency:.0f} ms (target ≤ {BANNER_TARGET_MS} ms)",
        )
        assert latency <= BANNER_BUDGET_MS
        for word in words:
            assert word in gmail.banner(".banner").inner_text()

        gmail.page.click("#fixture-send")
        gmail.banner('[data-max="held"]').wait_for(timeout=5_000)
        assert sends(gmail) == [], "the first Send in a trap thread is held"
        if data is None:
            shoot(gmail.banner(), screenshots, f"banner-{gmail_lang(fixture)}.png")

        gmail.banner('[data-max-action="send-anyway"]').click()
        gmail.page.wait_for_function("window.__sends.length === 1", timeout=5_000)
        assert [(s["how"], s["button"]) for s in sends(gmail)] == [("click", "send")]


def test_send_options_arrow_and_schedule_send_are_never_held_send_archive_is(backend, tmp_path):
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        gmail.store(paired(backend))
        gmail.open_thread()
        gmail.sidebar('[data-max-level="trap"]').wait_for(timeout=10_000)
        gmail.open_reply()
        arrow = gmail.page.locator("#fixture-send-options")
        arrow.click()  # the options arrow opens its menu: never a Send, never held
        sync_api.expect(arrow).to_have_attribute("aria-expanded", "true")
        gmail.page.click("#fixture-schedule-send")
        gmail.page.wait_for_function("window.__scheduled.length === 1", timeout=5_000)
        arrow.focus()
        gmail.page.keyboard.press("Enter")
        sync_api.expect(arrow).to_have_attribute("aria-expanded", "true")
        assert gmail.banner('[data-max="held"]').count() == 0
        assert sends(gmail) == []

        gmail.page.click("#fixture-send-archive")  # Send + Archive is a Send: held once
        gmail.banner('[data-max="held"]').wait_for(timeout=5_000)
        assert sends(gmail) == []
        gmail.banner('[data-max-action="send-anyway"]').click()
        gmail.page.wait_for_function("window.__sends.length === 1", timeout=5_000)
        assert [(s["how"], s["button"]) for s in sends(gmail)] == [("click", "send-archive")]


def test_keyboard_send_is_held_once_and_send_anyway_by_keyboard_sends(backend, tmp_path):
    with chromium(tmp_path, "fr", "thread-trap-fr.html") as gmail:
        gmail.store(paired(backend))
        gmail.open_thread()
        gmail.sidebar('[data-max-level="trap"]').wait_for(timeout=10_000)
        # Ctrl+Enter in the body: held; the second Ctrl+Enter sends.
        gmail.open_reply()
        gmail.page.keyboard.press("Control+Enter")
        gmail.banner('[data-max="held"]').wait_for(timeout=5_000)
        assert sends(gmail) == []
        gmail.page.locator(".M9 [g_editable=true]").focus()
        gmail.page.keyboard.press("Control+Enter")
        gmail.page.wait_for_function("window.__sends.length === 1", timeout=5_000)
        # A new reply is held again; "send anyway" pressed with the keyboard sends it.
        gmail.open_reply()
        gmail.page.keyboard.press("Control+Enter")
        gmail.banner('[data-max="held"]').wait_for(timeout=5_000)
        gmail.banner('[data-max-action="send-anyway"]').press("Enter")
        gmail.page.wait_for_function("window.__sends.length === 2", timeout=5_000)
        assert [(s["how"], s["button"]) for s in sends(gmail)] == [
            ("shortcut", "send"),
            ("click", "send"),
        ]


def test_inbox_shows_no_max_and_a_thread_opened_from_it_does(backend, tmp_path):
    with chromium(tmp_path, "en", "inbox-en.html") as gmail:
        gmail.store(paired(backend))
        gmail.page.goto(INBOX_URL)
        gmail.page.wait_for_function("window.__maxHello > 0", timeout=10_000)
        gmail.page.wait_for_timeout(1_500)  # longer than a scan and a backend answer
        shown = '[data-max]:not([data-max="list-chip"])'
        assert gmail.page.locator(shown).count() == 0, "no sidebar, no error, on a list"
        # Only the list chips of the threads the pipeline names at risk (the other tests' readings).
        at_risk = {t["thread_id"] for t in api_get(backend, "/api/v1/pipeline")["threads"]}
        marked = gmail.page.evaluate(
            "() => [...document.querySelectorAll('[data-max=\"list-chip\"]')].map((c) =>"
            " c.closest('tr').querySelector('span[data-legacy-thread-id]').dataset.legacyThreadId)"
        )
        rows = {"18f3a0c2b1d4e700", "18f3a0c2b1d4e5f6", "18f3a0c2b1d4e920"}  # inbox-en.html's
        assert sorted(marked) == sorted(at_risk & rows)
        gmail.page.click("#fixture-open-thread")
        gmail.sidebar("[data-max-level]").wait_for(timeout=10_000)
        assert gmail.sidebar("[data-max-state]").count() == 0, "a report, not an error"
        gmail.page.click("#fixture-back")
        gmail.sidebar().wait_for(state="detached", timeout=5_000)


# (Chrome's language, the fixture in Gmail's): MAX speaks Gmail's.
MESSAGE_CASES = [("en", "thread-trap-en.html"), ("en", "thread-trap-fr.html")]
# What the trap advice says in each UI language.
ADVICE_WORDS = {"en": "emails without an answer", "fr": "emails sans réponse"}


@pytest.mark.parametrize(("lang", "fixture"), MESSAGE_CASES)
def test_sidebar_offers_a_short_message_in_the_thread_language_copy_and_qr(
    backend, screenshots, tmp_path, lang, fixture
):
    with chromium(tmp_path, lang, fixture) as gmail:
        gmail.store(paired(backend))
        gmail.open_thread()
        message = gmail.sidebar('[data-max="message"]')
        message.wait_for(timeout=15_000)
        text = message.input_value()
        assert text.strip()
        # The advice in the UI's language (from recommendation.code), not the backend's English.
        ui = gmail_lang(fixture)
        advice = gmail.sidebar('[data-max="reason"]').inner_text()
        assert ADVICE_WORDS[ui] in advice
        assert all(words not in advice for other, words in ADVICE_WORDS.items() if other != ui)
        assert len([line for line in text.splitlines() if line.strip()]) <= 2
        assert message.get_attribute("lang") == ui
        qr = gmail.sidebar('[data-max="qr"] img')
        assert qr.evaluate("(img) => img.decode().then(() => img.naturalWidth)") > 0
        assert (gmail.sidebar('[data-max="open"]').get_attribute("href") or "").startswith(
            "https://wa.me/"
        )

        gmail.sidebar('[data-max="copy"]').click()
        gmail.page.wait_for_function(
            "(t) => navigator.clipboard.readText().then((c) => c === t)", arg=text, timeout=5_000
        )
        shoot(gmail.page, screenshots, f"side-panel-{ui}.png")

        # The SMS switch asks the backend again: an sms: link (RFC 5724) and its segment count.
        gmail.sidebar('[data-max-channel="sms"]').click()
        gmail.sidebar('[data-max="sms-info"]').wait_for(timeout=10_000)
        assert (gmail.sidebar('[data-max="open"]').get_attribute("href") or "").startswith("sms:")

        # The banner's "phone message" leads to the sidebar's message.
        gmail.page.click("#fixture-reply")
        gmail.page.locator('[data-max="banner"] [data-max-action="show-message"]').click()
        gmail.page.wait_for_function(
            "document.querySelector('[data-max=sidebar]').shadowRoot.activeElement?.dataset.max"
            " === 'message'",
            timeout=5_000,
        )

        # Folded: the whole thread again, and the chip in Gmail's rail still says the level.
        gmail.sidebar('[data-max-action="fold"]').click()
        gmail.sidebar().wait_for(state="hidden", timeout=5_000)
        assert LOCALES[ui]["chip_trap"]["message"] in gmail.chip_text()
        shoot(gmail.page, screenshots, f"chip-{ui}.png")

        # The options page speaks Gmail's language too (seen in this tab), not Chrome's.
        options = gmail.options()
        title = LOCALES[ui]["optionsTitle"]["message"]
        sync_api.expect(options.locator("h1")).to_have_text(title, timeout=10_000)
        assert options.locator("html").get_attribute("lang") == ui


def api_get(backend: dict[str, str], path: str) -> dict[str, object]:
    request = urllib.request.Request(
        f"{backend['url']}{path}", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_tracking_adds_the_pixel_at_send_and_the_senders_own_view_never_counts(backend, tmp_path):
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        gmail.store({**paired(backend), "tracking": True})
        gmail.open_thread()
        gmail.sidebar('[data-max-level="trap"]').wait_for(timeout=10_000)
        gmail.page.click("#fixture-reply")
        gmail.page.locator('.M9[data-max-pixel="ready"]').wait_for(timeout=5_000)
        gmail.page.click("#fixture-send")  # held once (trap)
        gmail.page.locator('[data-max-action="send-anyway"]').click()
        gmail.page.wait_for_function("window.__sends.length === 1", timeout=5_000)
        html = str(sends(gmail)[0]["html"])
        assert f'src="{backend["url"]}/t/' in html

        # Gmail then shows the sent message to its sender: MAX removes its pixel, reports the view.
        pixel = html.split('src="', 1)[1].split('"', 1)[0]
        gmail.page.evaluate(
            """(src) => {
                const msg = document.createElement('div');
                msg.className = 'adn ads';
                const body = document.createElement('div');
                body.className = 'ii gt';
                const img = document.createElement('img');
                img.src = src;
                body.append('Hi James, any news?', img);
                msg.append(body);
                document.querySelector('#reply-area').before(msg);
            }""",
            pixel,
        )
        gmail.page.wait_for_function(
            "(src) => ![...document.images].some((i) => i.src === src)", arg=pixel, timeout=5_000
        )
        token = pixel.rsplit("/t/", 1)[1].removesuffix(".gif")
        db = Path(backend["data_dir"]) / "max.sqlite3"
        for _ in range(50):  # the report goes content script → service worker → backend
            with contextlib.closing(sqlite3.connect(db)) as conn:
                seen = conn.execute(
                    "SELECT count(*) FROM self_views WHERE pixel_token = ?", (token,)
                ).fetchone()[0]
            if seen:
                break
            time.sleep(0.1)
        assert seen == 1, "the sender's own view is reported once"
        thread_opens = api_get(backend, "/api/v1/tracking/opens?thread_id=18f3a0c2b1d4e5f6")
        assert thread_opens["human"] == 0


def api_post(backend: dict[str, str], path: str, body: dict[str, object]) -> dict[str, object]:
    request = urllib.request.Request(
        f"{backend['url']}{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


GOOGLE_PROXY_UA = (
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
)


def test_watch_thread_opened_twice_gets_the_softer_note_and_send_is_never_held(backend, tmp_path):
    from backend.db import make_engine, now_utc
    from backend.tracking import record_open

    # Two opens through Google's proxy, past the prefetch window after the pixel was made and
    # more than the hour apart that makes one reading one open.
    pixel = api_post(backend, "/api/v1/tracking/pixels", {"thread_id": "18f3a0c2b1d4e600"})
    engine = make_engine(f"sqlite:///{Path(backend['data_dir']) / 'max.sqlite3'}")
    for minutes in (5, 80):
        at = now_utc() + timedelta(minutes=minutes)
        assert record_open(engine, str(pixel["token"]), GOOGLE_PROXY_UA, at=at)
    engine.dispose()

    with chromium(tmp_path, "en", "thread-watch-en.html") as gmail:
        gmail.store(paired(backend))
        gmail.open_thread()
        gmail.sidebar('[data-max-level="watch"]').wait_for(timeout=10_000)
        gmail.page.click("#fixture-reply")
        note = gmail.page.locator('[data-max="banner"][data-max-kind="watch"] .banner')
        note.wait_for(state="visible", timeout=5_000)
        assert "opened your emails 2 times" in note.inner_text()
        gmail.page.click("#fixture-send")
        gmail.page.wait_for_function("window.__sends.length === 1", timeout=5_000)


def test_folded_thread_is_reported_incomplete(backend, tmp_path):
    with chromium(tmp_path, "en", "thread-folded-en.html") as gmail:
        gmail.store(paired(backend))
        gmail.open_thread()
        gmail.sidebar('[data-max="incomplete"]').wait_for(timeout=10_000)
        assert "folded" in gmail.sidebar('[data-max="incomplete"]').inner_text()
        assert gmail.sidebar('[data-max-level="watch"]').count() == 1  # the page alone undercounts
        # …so it says "at least", on the panel and on the chip.
        assert gmail.sidebar('[data-max="why"]').inner_text().startswith("At least 2 emails")
        assert "≥2" in gmail.chip_text()


def test_gmail_own_thread_data_from_its_xhr_completes_a_folded_thread(backend, tmp_path):
    with chromium(tmp_path, "en", "thread-folded-en.html", with_xhr_data) as gmail:
        gmail.store(paired(backend))
        gmail.open_thread()
        gmail.sidebar('[data-max-level="trap"]').wait_for(timeout=10_000)
        assert gmail.sidebar('[data-max="incomplete"]').count() == 0


STATE_CASES = [
    # (what is stored, the state the sidebar names)
    ({"backendUrl": f"http://127.0.0.1:{free_port()}", "apiToken": TOKEN}, "unreachable"),
    ("paired-url-without-token", "not_paired"),
]


@pytest.mark.parametrize(("stored", "state"), STATE_CASES)
def test_backend_down_or_not_paired_is_said_plainly_and_send_works(
    backend, tmp_path, stored, state
):
    values = {"backendUrl": backend["url"], "apiToken": ""} if isinstance(stored, str) else stored
    values = {**values, "account": ACCOUNT}
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        gmail.store(values)
        gmail.open_thread()
        gmail.sidebar(f'[data-max-state="{state}"]').wait_for(timeout=15_000)
        assert gmail.sidebar('[data-max-action="options"]').count() == 1
        gmail.page.click("#fixture-reply")
        gmail.page.click("#fixture-send")
        gmail.page.wait_for_function("window.__sends.length === 1", timeout=5_000)
        assert gmail.page.locator('[data-max="banner"]').count() == 0


CONSOLE_CODE = re.compile(r"^    ([2-9A-Z]{4}-[2-9A-Z]{4})$", re.M)


@pytest.mark.parametrize("source", ["console", "pairing page"])
def test_options_page_pairs_with_a_code_and_stores_the_token(backend, tmp_path, source):
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        page = gmail.page
        page.goto(f"chrome-extension://{gmail.extension_id}/extension/options/options.html")
        sync_api.expect(page.locator("#pair-status")).to_have_text(
            LOCALES["en"]["optNotPaired"]["message"], timeout=10_000
        )
        page.fill('input[name="backendUrl"]', backend["url"])
        if source == "console":  # `python -m backend pair`, as the README says
            out = subprocess.run(
                [sys.executable, "-m", "backend", "pair"],
                cwd=ROOT,
                env={**os.environ, "MAX_DATA_DIR": backend["data_dir"], "MAX_API_TOKEN": TOKEN},
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            )
            code = CONSOLE_CODE.search(out.stdout).group(1)
        else:  # no terminal: the options page opens the backend's own pairing page
            with gmail.context.expect_page() as opened:
                page.click("#show-code")
            pairing = opened.value
            pairing.wait_for_load_state()
            assert pairing.url == f"{backend['url']}/pair"
            code = pairing.locator("#code").inner_text()
        page.fill('input[name="code"]', code)
        page.click('#pair-form button[type="submit"]')
        # The options page's CSP forbids eval, so no wait_for_function here: a locator waits.
        sync_api.expect(page.locator("#pair-status")).to_have_text(
            LOCALES["en"]["optPaired"]["message"], timeout=10_000
        )
        kept = stored(gmail)
        assert kept["backendUrl"] == backend["url"]
        assert isinstance(kept["apiToken"], str) and len(kept["apiToken"]) >= 16
        assert json.dumps(kept).count(code) == 0


def test_mark_as_sent_records_the_pivot_and_the_advice_becomes_wait(tmp_path):
    # Its own backend: the recorded pivot must not change the other tests' thread.
    with (
        running_backend(tmp_path / "max-data") as fresh,
        chromium(tmp_path, "fr", "thread-trap-fr.html") as gmail,
    ):
        gmail.store(paired(fresh))
        gmail.open_thread()
        gmail.sidebar('[data-max="message"]').wait_for(timeout=15_000)
        assert gmail.sidebar('[data-max="reason"]').get_attribute("data-max-code") == "trap"
        gmail.sidebar('[data-max="mark-sent"]').click()
        # The background records it (POST /suggestions/<id>/sent), then the thread is read again.
        gmail.sidebar('[data-max="reason"][data-max-code="pivot_sent"]').wait_for(timeout=15_000)
        advice = gmail.sidebar('[data-max="reason"]').inner_text()
        assert "déjà envoyé un message sur son téléphone" in advice
        assert gmail.sidebar('[data-max="message"]').count() == 0, "no second phone message"
        assert gmail.sidebar('[data-max="recommendation"]').count() == 0
        db = Path(fresh["data_dir"]) / "max.sqlite3"
        with contextlib.closing(sqlite3.connect(db)) as conn:
            sent = conn.execute("SELECT count(*) FROM suggestions WHERE sent_at IS NOT NULL")
            assert sent.fetchone()[0] == 1


def test_first_run_says_what_max_needs_and_the_options_page_confirms_the_address(backend, tmp_path):
    """Paired, no address confirmed yet: MAX never takes "me" from the page. The options page is
    pre-filled from the open Gmail tab; once the user confirms, the thread is read."""
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        gmail.store({"backendUrl": backend["url"], "apiToken": TOKEN})
        gmail.open_thread()
        needs = gmail.sidebar('[data-max-state="no_account"]')
        needs.wait_for(timeout=15_000)
        assert "Confirm it in MAX's settings" in needs.inner_text()
        assert gmail.sidebar('[data-max-action="options"]').count() == 1
        assert gmail.sidebar("[data-max-level]").count() == 0, "no level guessed"
        gmail.page.click("#fixture-reply")
        gmail.page.click("#fixture-send")  # nothing known, nothing held
        gmail.page.wait_for_function("window.__sends.length === 1", timeout=5_000)

        options = gmail.context.new_page()
        options.goto(f"chrome-extension://{gmail.extension_id}/extension/options/options.html")
        field = options.locator('input[name="account"]')
        sync_api.expect(field).to_have_value(ACCOUNT, timeout=10_000)  # read from the Gmail tab
        assert "account" not in gmail.worker.evaluate("() => chrome.storage.local.get(null)")
        options.click('#account-form button[type="submit"]')
        sync_api.expect(options.locator("#account-status")).to_contain_text(ACCOUNT)
        stored = gmail.worker.evaluate("() => chrome.storage.local.get(null)")
        assert stored["account"] == ACCOUNT

        # Back in Gmail, the thread is read with the confirmed address.
        gmail.sidebar('[data-max-level="trap"]').wait_for(timeout=15_000)


def test_another_gmail_account_open_is_said_and_nothing_is_held(backend, tmp_path):
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        gmail.store(paired(backend, account="paul@other-company.example"))
        gmail.open_thread()
        wrong = gmail.sidebar('[data-max-state="wrong_account"]')
        wrong.wait_for(timeout=15_000)
        assert ACCOUNT in wrong.inner_text() and "paul@other-company.example" in wrong.inner_text()
        assert gmail.sidebar('[data-max-action="options"]').count() == 1
        gmail.page.click("#fixture-reply")
        gmail.page.click("#fixture-send")
        gmail.page.wait_for_function("window.__sends.length === 1", timeout=5_000)
        assert gmail.page.locator('[data-max="banner"]').count() == 0


def thread_data(path: Path) -> tuple[list, list]:
    """Gmail's embedded data (JSON) and the list of its thread's messages, to forge from."""
    data = json.loads(path.read_text(encoding="utf-8"))

    def find(node):
        if isinstance(node, list):
            if len(node) > 4 and str(node[3]).startswith("thread-") and isinstance(node[4], list):
                return node[4]
            for child in node:
                found = find(child)
                if found is not None:
                    return found
        return None

    return data, find(data)


def forged_responses() -> list[str]:
    """The trap thread's Gmail data, forged three ways, each claiming it needs no follow-up."""
    source = FIXTURES / "fd-embedded-trap-en.json"
    forged = []
    # 1. James answered after my last email (a message the page does not show).
    data, messages = thread_data(source)
    answer = json.loads(json.dumps(messages[1]))
    answer[0], answer[6], answer[55] = (
        "msg-f:1797957434318579195",
        messages[-1][6] + 3_600_000,
        "18f3a0c2b1d4e5fb",
    )
    messages.append(answer)
    forged.append(json.dumps(data))
    # 2. My last email was James's.
    data, messages = thread_data(source)
    messages[-1][1] = messages[1][1]
    forged.append(json.dumps(data))
    # 3. My three follow-ups were only drafts (ids and senders as the page shows them).
    data, messages = thread_data(source)
    for message in messages[2:]:
        message[10] = [*message[10], "DRAFT", "^r"]
    forged.append(json.dumps(data))
    return forged


def hostile(extension_id: str):
    """The page with fixtures/hostile-page.js in Gmail's MAIN world, as the page's own script."""
    config = {
        "extensionId": extension_id,
        "account": "james.walker@northwind-build.co.uk",  # the prospect, as "me"
        "responses": forged_responses(),
    }
    literal = json.dumps(config).replace("</", "<\\/")

    def edit(html: str) -> str:
        scripts = (
            f"<script>window.__hostileConfig = {literal};</script>"
            '<script src="/fixture/hostile-page.js"></script>'
        )
        assert "</body>" in html
        return html.replace("</body>", f"{scripts}</body>")

    return edit


def recorded_pivots(backend: dict[str, str]) -> int:
    db = Path(backend["data_dir"]) / "max.sqlite3"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT count(*) FROM suggestions WHERE sent_at IS NOT NULL"
        ).fetchone()[0]


# Every attack of hostile-page.js has run, MAX's sidebar controls each pressed many times.
HOSTILE_DID_ALL = """() => {
    const h = window.__hostile;
    const pressed = ['[data-max="mark-sent"]', '[data-max="copy"]', '[data-max-channel="sms"]'];
    return h && h.account > 5 && h.responses >= 6 && h.setData >= 6 && h.runtime.length > 0
        && pressed.every((s) => h.controls[s] >= 5);
}"""


def test_a_hostile_page_cannot_change_me_press_max_controls_spend_the_hold_or_reach_the_worker(
    tmp_path,
):
    """Every attack a script in Gmail's page can make on MAX, at once and repeatedly
    (fixtures/hostile-page.js): the thread still reads trap with the same advice, the user's
    first real Send is still held, only the user's own "send anyway" sends, and the backend
    records nothing."""
    with (
        running_backend(tmp_path / "max-data") as fresh,
        chromium(tmp_path, "en", "thread-trap-en.html") as gmail,
    ):
        gmail.edit = hostile(gmail.extension_id)
        gmail.store(paired(fresh))
        gmail.open_thread()
        gmail.sidebar('[data-max="message"]').wait_for(timeout=15_000)
        # Every attack has run, the controls have been pressed many times.
        gmail.page.wait_for_function(HOSTILE_DID_ALL, timeout=20_000)
        hostile_log = gmail.page.evaluate("window.__hostile")
        print("hostile page:", json.dumps(hostile_log))
        assert all(not r.startswith("answered") for r in hostile_log["runtime"]), hostile_log[
            "runtime"
        ]

        # The advice is the trap thread's, unchanged: "me" is still Paul, no forged data used.
        assert gmail.sidebar('[data-max-level="trap"]').count() == 1
        reason = gmail.sidebar('[data-max="reason"]')
        assert reason.get_attribute("data-max-code") == "trap"
        assert ADVICE_WORDS["en"] in reason.inner_text()
        assert gmail.sidebar("[data-max-state]").count() == 0, "no error, no 'other account'"
        # Nothing MAX's controls do was done: not marked sent, no copy, no channel switch, no
        # settings tab opened.
        assert gmail.sidebar('[data-max="mark-sent"]').is_enabled()
        assert gmail.sidebar('[data-max="sms-info"]').count() == 0
        assert (gmail.sidebar('[data-max="open"]').get_attribute("href") or "").startswith(
            "https://wa.me/"
        )
        assert gmail.page.evaluate("navigator.clipboard.readText()") == ""
        assert not [p.url for p in gmail.context.pages if p.url.startswith("chrome-extension:")]
        assert recorded_pivots(fresh) == 0

        # A reply: the page fires synthetic Sends and Ctrl+Enters at it; MAX lets them all pass
        # (its own capture listener then cancels them): none spends the hold, none sends.
        gmail.open_reply()
        # A function, not an expression: Playwright evals an expression at each poll, which
        # Trusted Types forbids once the first check fails (a function is evaluated once).
        gmail.page.wait_for_function("() => window.__hostile.sends >= 6", timeout=10_000)
        forged = gmail.page.evaluate("[window.__hostile.sends, window.__hostile.pastMax]")
        assert forged[1] == forged[0], f"MAX stopped none of them (sent, past MAX): {forged}"
        assert sends(gmail) == [] and gmail.banner('[data-max="held"]').count() == 0

        # The user's own first Send is held; the page's clicks on "send anyway" do nothing.
        gmail.page.click("#fixture-send")
        gmail.banner('[data-max="held"]').wait_for(timeout=5_000)
        gmail.page.wait_for_function(
            """() => window.__hostile.controls['[data-max-action="send-anyway"]'] >= 5""",
            timeout=10_000,
        )
        assert sends(gmail) == [], "held, and still held"
        gmail.banner('[data-max-action="send-anyway"]').click()
        gmail.page.wait_for_function("window.__sends.length === 1", timeout=5_000)
        assert [(s["how"], s["button"]) for s in sends(gmail)] == [("click", "send")]

        # Still the trap advice; still nothing recorded; the pairing untouched.
        assert reason.get_attribute("data-max-code") == "trap"
        assert recorded_pivots(fresh) == 0
        stored = gmail.worker.evaluate("() => chrome.storage.local.get(null)")
        assert (stored["apiToken"], stored["account"]) == (TOKEN, ACCOUNT)


# --- where MAX lives: Gmail's side panel, or a column beside the thread; never over the mail ---


def boxes(gmail: Gmail, selector: str) -> list[dict[str, float]]:
    """The on-screen boxes of what `selector` finds (shadow roots pierced), empty ones left out."""
    found = [
        gmail.page.locator(selector).nth(i).bounding_box() for i in range(count(gmail, selector))
    ]
    return [b for b in found if b and b["width"] > 0 and b["height"] > 0]


def count(gmail: Gmail, selector: str) -> int:
    return gmail.page.locator(selector).count()


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


# What MAX must never cover: the thread's messages, their actions (each message's More button,
# the Reply bar), Gmail's icon rail, and MAX's own banner in the reply.
COVERED_NEVER = {
    "messages": "[role=list] > [role=listitem]",
    "message actions": "[role=listitem] [role=button][aria-haspopup], .amn",
    "icon rail": ".brC-aT5-aOt-Jw",
    "banner": '[data-max="banner"] .banner',
}


def assert_covers_nothing(gmail: Gmail, selector: str) -> None:
    mine = boxes(gmail, selector)
    assert mine, f"{selector} is on screen"
    for what, other in COVERED_NEVER.items():
        theirs = boxes(gmail, other)
        assert theirs or what == "icon rail", f"the fixture shows {what}"
        hit = [(m, t) for m in mine for t in theirs if overlap(m, t)]
        assert hit == [], f"{selector} covers {what}"


def stored(gmail: Gmail) -> dict[str, object]:
    return gmail.worker.evaluate("() => chrome.storage.local.get(null)")


def test_the_sidebar_lives_in_gmails_side_panel_and_covers_nothing(backend, screenshots, tmp_path):
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        gmail.store(paired(backend))
        gmail.open_thread()
        gmail.sidebar('[data-max-level="trap"]').wait_for(timeout=10_000)
        gmail.open_reply()
        host = gmail.sidebar()
        assert host.get_attribute("data-max-placement") == "side-panel"
        assert (
            gmail.page.evaluate("document.querySelector('.brC-brG').firstElementChild.dataset.max")
            == "sidebar"
        ), "in the side panel's content, where add-ons draw"
        assert_covers_nothing(gmail, '[data-max="sidebar"]')
        # The chip is MAX's icon in the rail.
        rail = gmail.page.locator(".brC-aT5-aOt-Jw").bounding_box()
        chip = gmail.chip().bounding_box()
        assert rail["x"] <= chip["x"] and chip["x"] + chip["width"] <= rail["x"] + rail["width"]
        assert gmail.chip().get_attribute("data-max-level") == "trap"

        # Folded to its chip, which still says the level; remembered across a reload.
        gmail.sidebar('[data-max-action="fold"]').click()
        host.wait_for(state="hidden", timeout=5_000)
        assert "Trap" in gmail.chip_text()
        assert stored(gmail)["sidebarOpen"] is False
        gmail.open_thread()
        gmail.page.reload()
        gmail.page.locator('[data-max="chip"][data-max-level="trap"]').wait_for(timeout=10_000)
        assert host.is_hidden(), "still folded after a reload"
        gmail.chip().click()
        host.wait_for(state="visible", timeout=5_000)
        assert stored(gmail)["sidebarOpen"] is True

        # Gmail's own companion and MAX take turns in the panel.
        gmail.page.click("#fixture-calendar")
        host.wait_for(state="hidden", timeout=5_000)
        assert gmail.page.locator("#fixture-companion").is_visible()
        gmail.chip().click()
        host.wait_for(state="visible", timeout=5_000)
        assert gmail.page.locator("#fixture-companion").is_hidden(), "MAX closed Calendar"


def test_without_gmails_side_panel_a_column_beside_the_thread_covers_nothing(backend, tmp_path):
    with chromium(tmp_path, "en", "thread-trap-en.html", side_panel=False) as gmail:
        gmail.store(paired(backend))
        gmail.open_thread()
        gmail.sidebar('[data-max-level="trap"]').wait_for(timeout=10_000)
        gmail.open_reply()
        assert gmail.sidebar().get_attribute("data-max-placement") == "column"
        assert_covers_nothing(gmail, '[data-max="column"]')
        gmail.sidebar('[data-max-action="fold"]').click()
        gmail.sidebar().wait_for(state="hidden", timeout=5_000)
        assert gmail.chip().get_attribute("data-max-level") == "trap"
        assert_covers_nothing(gmail, '[data-max="chip"]')


def test_hiding_the_side_panel_moves_max_beside_the_thread(backend, tmp_path):
    with chromium(tmp_path, "en", "thread-trap-en.html") as gmail:
        gmail.store(paired(backend))
        gmail.open_thread()
        gmail.page.locator('[data-max="sidebar"][data-max-placement="side-panel"]').wait_for(
            state="attached", timeout=10_000
        )
        gmail.page.click("#fixture-hide-side-panel")
        gmail.page.locator('[data-max="sidebar"][data-max-placement="column"]').wait_for(
            timeout=5_000
        )
        gmail.sidebar('[data-max-level="trap"]').wait_for(timeout=5_000)
        assert gmail.sidebar().get_attribute("data-max-open") == "true", "moved, not folded"
        gmail.open_reply()
        assert_covers_nothing(gmail, '[data-max="column"]')


def unreadable(html: str) -> str:
    """The trap page with no sender address anywhere: Gmail shows messages MAX cannot read."""
    out = re.sub(r' email="[^"]*"', "", html)
    assert ' email="' not in out
    return out


def test_a_thread_max_cannot_read_says_so_on_the_chip_with_the_reason(backend, tmp_path):
    with chromium(tmp_path, "en", "thread-trap-en.html", unreadable) as gmail:
        gmail.store(paired(backend))
        gmail.open_thread()
        chip = gmail.page.locator('[data-max="chip"][data-max-level="unknown"]')
        chip.wait_for(timeout=10_000)
        assert chip.get_attribute("data-max-reason") == "unreadable"
        assert "?" in gmail.chip_text() and "illegible" in gmail.chip_text()
        said = LOCALES["en"]["error_unreadable"]["message"]
        assert chip.locator("button").get_attribute("title") == f"MAX — {said}"
        assert gmail.sidebar('[data-max-state="unreadable"]').inner_text() == said
        # Nothing to count is never "ok", and never holds Send.
        assert gmail.sidebar("[data-max-level]").count() == 0
        gmail.page.click("#fixture-reply")
        gmail.page.click("#fixture-send")
        gmail.page.wait_for_function("window.__sends.length === 1", timeout=5_000)


def test_pairing_in_one_click_reaches_an_open_gmail_tab_without_a_reload(backend, tmp_path):
    # The real backend pairs only MAX's extension, by its Origin: a fresh one, no API token.
    with (
        running_backend(tmp_path / "max-data", token=None) as fresh,
        chromium(tmp_path, "en", "thread-trap-en.html") as gmail,
    ):
        gmail.store({"backendUrl": fresh["url"], "apiToken": "", "account": ACCOUNT})
        gmail.open_thread()
        gmail.sidebar('[data-max-state="not_paired"]').wait_for(timeout=15_000)
        assert gmail.chip().get_attribute("data-max-reason") == "not_paired"
        gmail.page.evaluate("window.__sameTab = true")

        options = gmail.options()
        sync_api.expect(options.locator("#pair-status")).to_have_text(
            LOCALES["en"]["optNotPaired"]["message"], timeout=10_000
        )
        options.click("#pair-local")
        sync_api.expect(options.locator("#pair-status")).to_have_text(
            LOCALES["en"]["optPaired"]["message"], timeout=10_000
        )
        token = stored(gmail)["apiToken"]
        assert isinstance(token, str) and len(token) >= 40

        # The open Gmail tab hears of it at once: the thread is read, with no reload.
        gmail.sidebar('[data-max-level="trap"]').wait_for(timeout=15_000)
        assert gmail.page.evaluate("window.__sameTab") is True


def test_the_options_page_moves_to_a_backend_on_another_port_and_refuses_plain_http_off_it(
    backend, tmp_path
):
    """A loopback URL on any port is granted by the manifest: saved and reached with no prompt.
    An http URL off this computer is refused with its sentence, and the URL in use stays."""
    with (
        running_backend(tmp_path / "other-data") as other,
        chromium(tmp_path, "en", "thread-trap-en.html") as gmail,
    ):
        gmail.store({"backendUrl": backend["url"], "apiToken": TOKEN, "account": ACCOUNT})
        options = gmail.options()
        status = options.locator("#pair-status")
        sync_api.expect(status).to_have_text(LOCALES["en"]["optPaired"]["message"], timeout=10_000)
        assert other["url"] != backend["url"]
        options.fill('input[name="backendUrl"]', f"{other['url']}/")
        options.click("#check")
        sync_api.expect(status).to_have_text(
            LOCALES["en"]["optBackendOk"]["message"], timeout=10_000
        )
        assert stored(gmail)["backendUrl"] == other["url"]

        options.fill('input[name="backendUrl"]', "http://max.lan.example:8765")
        options.click("#check")
        sync_api.expect(status).to_have_text(
            LOCALES["en"]["error_insecure_backend_url"]["message"], timeout=10_000
        )
        assert stored(gmail)["backendUrl"] == other["url"]


def test_pairing_failures_are_sentences_in_gmails_language(tmp_path):
    down = f"http://127.0.0.1:{free_port()}"
    with chromium(tmp_path, "en", "thread-trap-fr.html") as gmail:
        gmail.store({"backendUrl": down, "apiToken": "", "uiLang": "fr"})  # French Gmail seen
        options = gmail.options()
        sync_api.expect(options.locator("h1")).to_have_text(
            LOCALES["fr"]["optionsTitle"]["message"]
        )
        options.fill('input[name="code"]', "ABCD-EFGH")
        options.click('#pair-form button[type="submit"]')
        reason = LOCALES["fr"]["error_unreachable"]["message"].replace("$1", down)
        failed = LOCALES["fr"]["optPairFailed"]["message"].replace("$1", reason)
        status = options.locator("#pair-status")
        sync_api.expect(status).to_have_text(failed, timeout=15_000)
        assert "make run" in status.inner_text() and "Error" not in status.inner_text()
        options.click("#pair-local")
        sync_api.expect(status).to_have_text(failed, timeout=15_000)


def test_the_web_store_package_loads_in_chromium_and_runs_in_gmail(backend, tmp_path):
    from tools.package import build

    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(build(out_dir=tmp_path)) as archive:
        archive.extractall(unpacked)
    with chromium(tmp_path, "en", "thread-trap-en.html", extension=unpacked) as gmail:
        assert gmail.worker.url.endswith("/extension/background.js")
        manifest = gmail.worker.evaluate("() => chrome.runtime.getManifest()")
        assert manifest["icons"]["128"] == "icons/icon-128.png"
        gmail.store(paired(backend))
        gmail.open_thread()
        gmail.sidebar('[data-max-level="trap"]').wait_for(timeout=10_000)
        options = gmail.options()
        sync_api.expect(options.locator("h1")).to_have_text(
            LOCALES["en"]["optionsTitle"]["message"]
        )
