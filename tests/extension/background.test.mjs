// Tests extension/background.js: the one message table, against the REAL backend (started on
// loopback by tests/extension/test_node_units.py, which passes its URL, an API token and a live
// pairing code in the environment), through a recording pass-through proxy started here so each
// test can see what went out.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createHandlers, createListener, dispatch, gmailThreadUrl } from '../../extension/background.js';
import { ROOT } from './jsdom-env.mjs';

const { MSG } = globalThis.MAX;
const BACKEND = process.env.MAX_TEST_BACKEND;
if (!BACKEND) throw new Error('run through pytest (tests/extension/test_node_units.py): it starts the backend');
const TOKEN = process.env.MAX_TEST_TOKEN;
const PAIRING_CODE = process.env.MAX_TEST_PAIRING_CODE;

const LOCALES = Object.fromEntries(
  ['en', 'fr'].map((l) => [l, JSON.parse(fs.readFileSync(path.join(ROOT, '_locales', l, 'messages.json'), 'utf8'))]),
);

// A page reading written for the backend's tests (tests/fixtures/backend/): a trap thread.
const TRAP = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/backend/page_trap_fr.json'), 'utf8'));
const THREAD = TRAP.thread;
const ME = TRAP.me[0];

async function backend(method, url, body) {
  const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
  const r = await fetch(`${BACKEND}${url}`, { method, headers, body: body && JSON.stringify(body) });
  return r.json();
}
// What an analysis of the trap thread answers, and a suggestion stored for it.
const ANALYSIS = await backend('POST', '/api/v1/threads/analyze', { me: [ME], thread: THREAD, now: TRAP.now });
const BRIEF = ANALYSIS.brief;
const STORED = await backend('POST', '/api/v1/suggestions', { brief: BRIEF });

// Forwards every request to the backend as it is, and records it.
async function startServer() {
  const seen = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      seen.push({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization ?? null,
        body: raw ? JSON.parse(raw) : null,
      });
      const headers = {};
      for (const name of ['authorization', 'content-type', 'accept'])
        if (req.headers[name]) headers[name] = req.headers[name];
      const answer = await fetch(`${BACKEND}${req.url}`, { method: req.method, headers, body: raw || undefined });
      res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'text/plain' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => new Promise((r) => server.close(r)) };
}

function setup(server, stored = {}, gmailTab = null) {
  let storage = { backendUrl: server.url, apiToken: TOKEN, ...stored };
  const opened = [];
  const threads = []; // the threads the panel opened in Gmail
  const handlers = createHandlers({
    openGmailThread: async (id) => threads.push(id),
    getSettings: async () => globalThis.MAX.settings.withDefaults(storage),
    saveSettings: async (v) => (storage = { ...storage, ...v }),
    fetch: (...a) => fetch(...a),
    openOptions: async () => opened.push(true),
    readGmailAccount: async () => gmailTab, // what an open Gmail tab's content script answers
    readLocale: async (lang) => LOCALES[lang],
    now: async () => TRAP.now, // the moment the fixture's thread was read at
  });
  return { handlers, storage: () => storage, opened, threads };
}

test('the backend gave the trap thread a brief and stored a suggestion for it', () => {
  assert.equal(ANALYSIS.threads[0].level, 'trap');
  assert.equal(BRIEF.thread_id, THREAD.thread_id);
  assert.match(STORED.id, new RegExp(globalThis.MAX.contract.SUGGESTION_ID_PATTERN));
});

test('every message type has a handler, and every handler a type', async (t) => {
  const server = await startServer();
  t.after(server.close);
  const { handlers } = setup(server);
  assert.deepEqual(Object.keys(handlers).sort(), Object.values(MSG).sort());
});

test('an unknown message type throws', async (t) => {
  const server = await startServer();
  t.after(server.close);
  const { handlers } = setup(server);
  for (const type of ['cs-bg-nope', undefined, 'toString', '__proto__']) {
    await assert.rejects(dispatch(handlers, { type }), /unknown message type/);
  }
});

const UNKNOWN_ID = '0'.repeat(32);
const CALLS = [
  // message, stored settings, expected ok, expected error code or data check, expected request
  [
    { type: MSG.CS_BG_ANALYZE_THREAD, thread: THREAD },
    { account: ME },
    true,
    (d) => d.report.level === 'trap' && d.report.display.hold_send && d.brief.thread_id === THREAD.thread_id,
    { url: '/api/v1/threads/analyze', me: [ME] },
  ],
  [
    { type: MSG.CS_BG_ANALYZE_THREAD, thread: THREAD },
    { apiToken: '', account: ME },
    false,
    'not_paired',
    { url: '/api/v1/threads/analyze' },
  ],
  [
    { type: MSG.CS_BG_SUGGEST, brief: BRIEF, channel: 'sms' },
    { lang: 'en' },
    true,
    (d) => d.suggestion.channel === 'sms' && d.suggestion.lang === 'en' && d.suggestion.link.startsWith('sms:'),
    { url: '/api/v1/suggestions' },
  ],
  [
    { type: MSG.CS_BG_SUGGEST, brief: BRIEF },
    { channel: 'whatsapp' },
    true,
    (d) => d.suggestion.channel === 'whatsapp' && d.suggestion.lang === 'fr' && /^[0-9a-f]{32}$/.test(d.id),
    { url: '/api/v1/suggestions' },
  ],
  // The message is written from the brief alone: without one nothing goes out.
  [{ type: MSG.CS_BG_SUGGEST, channel: 'sms' }, {}, false, 'bad_request', null],
  [
    { type: MSG.CS_BG_GET_GMAIL_THREAD, threadId: '18f3a0c2b1d4e5f6' },
    {},
    false,
    'gmail_not_connected',
    { url: '/api/v1/threads/18f3a0c2b1d4e5f6' },
  ],
  [{ type: MSG.CS_BG_GET_GMAIL_THREAD, threadId: '../pair' }, {}, false, 'bad_request', null],
  [{ type: MSG.CS_BG_TRACKING_PIXEL, threadId: '18f3a0c2b1d4e5f6' }, {}, false, 'tracking_off', null],
  [
    { type: MSG.CS_BG_TRACKING_PIXEL, threadId: '18f3a0c2b1d4e5f6' },
    { tracking: true },
    true,
    (d) => d.pixel_url.endsWith(`/t/${d.token}.gif`),
    { url: '/api/v1/tracking/pixels' },
  ],
  [{ type: MSG.OP_BG_CHECK_BACKEND }, {}, true, (d) => d.status === 'ok', { url: '/healthz' }],
  // The list chips' and the panel's pipeline: the backend's at-risk threads, as it ordered them.
  [
    { type: MSG.CS_BG_GET_PIPELINE },
    {},
    true,
    (d) => Array.isArray(d.threads) && 'last_sync_at' in d,
    { url: '/api/v1/pipeline', method: 'GET' },
  ],
  [{ type: MSG.OP_BG_GET_PIPELINE }, { apiToken: '' }, false, 'not_paired', { url: '/api/v1/pipeline' }],
  [
    { type: MSG.OP_BG_GET_STATS },
    {},
    true,
    (d) => d.min_cases === 10 && d.after_pivot.reply_rate === null && 'after_third_email' in d,
    { url: '/api/v1/stats', method: 'GET' },
  ],
  [{ type: MSG.OP_BG_OPEN_THREAD, threadId: '../pair' }, {}, false, 'bad_request', null],
  [{ type: MSG.CS_BG_MARK_ANSWERED, threadId: THREAD.thread_id }, {}, false, 'no_pivot', null],
  [{ type: MSG.CS_BG_GET_PIVOT, threadId: THREAD.thread_id }, {}, true, (d) => d.known === false, null],
  // "me" is the confirmed address only: never the one a content script (or the page) names,
  // and never `me: []` — without a confirmed address nothing goes out and the caller hears why.
  [
    { type: MSG.CS_BG_ANALYZE_THREAD, thread: THREAD, me: 'james.walker@northwind-build.co.uk' },
    { account: ME },
    true,
    (d) => d.report.level === 'trap',
    { url: '/api/v1/threads/analyze', me: [ME] },
  ],
  [{ type: MSG.CS_BG_ANALYZE_THREAD, thread: THREAD, me: ME }, {}, false, 'no_account', null],
  [{ type: MSG.CS_BG_ANALYZE_THREAD, thread: THREAD }, { account: 'Paul Martin' }, false, 'no_account', null],
  [
    { type: MSG.CS_BG_MARK_SENT, suggestionId: STORED.id },
    {},
    true,
    (d) => d.id === STORED.id && d.thread_id === THREAD.thread_id && Boolean(Date.parse(d.sent_at)),
    { url: `/api/v1/suggestions/${STORED.id}/sent`, method: 'POST' },
  ],
  [
    { type: MSG.CS_BG_MARK_SENT, suggestionId: UNKNOWN_ID },
    {},
    false,
    'unknown_suggestion',
    { url: `/api/v1/suggestions/${UNKNOWN_ID}/sent`, method: 'POST' },
  ],
  [
    { type: MSG.CS_BG_MARK_SENT, suggestionId: STORED.id },
    { apiToken: '' },
    false,
    'not_paired',
    { url: `/api/v1/suggestions/${STORED.id}/sent` },
  ],
  [{ type: MSG.CS_BG_MARK_SENT, suggestionId: '../../pair' }, {}, false, 'bad_request', null],
  [{ type: MSG.CS_BG_MARK_SENT }, {}, false, 'bad_request', null],
  [
    { type: MSG.OP_BG_SAVE_SETTINGS, values: { trap_at: 4, team_domains: ['optiplan.fr'] } },
    {},
    true,
    (d) => d.trap_at === 4 && d.team_domains[0] === 'optiplan.fr' && d.watch_at === 2,
    { url: '/api/v1/settings', method: 'PUT' },
  ],
  [
    { type: MSG.OP_BG_SAVE_SETTINGS, values: { trap_at: 999 } },
    {},
    false,
    'bad_request',
    { url: '/api/v1/settings', method: 'PUT' },
  ],
  [
    { type: MSG.OP_BG_GET_SETTINGS },
    {},
    true,
    (d) => Object.keys(globalThis.MAX.contract.SETTINGS_DEFAULTS).every((k) => k in d),
    { url: '/api/v1/settings', method: 'GET' },
  ],
];
for (const [message, stored, ok, check, request] of CALLS) {
  test(`${message.type} ${JSON.stringify(stored)} → ${ok ? 'ok' : check}`, async (t) => {
    const server = await startServer();
    t.after(server.close);
    const { handlers } = setup(server, stored);
    const result = await dispatch(handlers, message);
    assert.equal(result.ok, ok, JSON.stringify(result));
    if (ok) assert.ok(check(result.data), JSON.stringify(result.data));
    else assert.equal(result.error.code, check);
    if (!request) return assert.equal(server.seen.length, 0, 'nothing sent');
    assert.equal(server.seen.length, 1);
    assert.equal(server.seen[0].url, request.url);
    if (request.me) assert.deepEqual(server.seen[0].body.me, request.me);
    if (request.method) assert.equal(server.seen[0].method, request.method);
    if (stored.apiToken !== '') assert.equal(server.seen[0].auth, `Bearer ${TOKEN}`);
    else assert.equal(server.seen[0].auth, null, 'no token, no Authorization header');
  });
}

test('a backend that is down is a value, not a throw', async () => {
  const server = await startServer();
  await server.close();
  const { handlers } = setup(server, { account: ME });
  const result = await dispatch(handlers, { type: MSG.CS_BG_ANALYZE_THREAD, thread: THREAD });
  assert.deepEqual([result.ok, result.error.code], [false, 'unreachable']);
});

const PAIRS = [
  // backendUrl, code, confirmed address, ok, error code, a token stored
  [null, 'BAD', '', false, 'bad_pairing_code', false],
  [null, '  ', '', false, 'bad_request', false],
  ['ftp://127.0.0.1', PAIRING_CODE, '', false, 'bad_request', false],
  ['http://max.acme.fr:8765', PAIRING_CODE, '', false, 'insecure_backend_url', false], // token in clear
  [null, PAIRING_CODE, ME, true, null, true],
];
for (const [url, code, account, ok, errorCode, token] of PAIRS) {
  test(`pairing with ${url ?? 'the server'} and "${code}" → ${ok ? 'token stored' : errorCode}`, async (t) => {
    const server = await startServer();
    t.after(server.close);
    const { handlers, storage } = setup(server, { apiToken: '', account });
    const result = await dispatch(handlers, { type: MSG.OP_BG_PAIR, backendUrl: url ?? `${server.url}/`, code });
    assert.equal(result.ok, ok);
    if (!ok) assert.equal(result.error.code, errorCode);
    assert.equal(Boolean(storage().apiToken), token);
    if (ok) assert.equal(storage().backendUrl, server.url, 'stored without the trailing slash');
    // The code goes out with the address the user confirmed, when there is one.
    if (url || !code.trim()) return assert.equal(server.seen.length, 0, 'refused before the backend');
    assert.deepEqual(server.seen[0].body, account ? { code, account } : { code });
  });
}

test('the options page is pre-filled from an open Gmail tab, lower-cased; nothing stored', async (t) => {
  const server = await startServer();
  t.after(server.close);
  for (const [answer, account] of [
    ['Paul.Martin@acme-sales.com', 'paul.martin@acme-sales.com'],
    ['Paul Martin', null],
    [null, null],
  ]) {
    const { handlers, storage } = setup(server, {}, answer);
    const result = await dispatch(handlers, { type: MSG.OP_BG_READ_GMAIL_ACCOUNT });
    assert.deepEqual(result, { ok: true, data: { account } });
    assert.equal('account' in storage(), false, 'the user confirms it, the background does not');
  }
  assert.equal(server.seen.length, 0);
});

test('content scripts get the settings but never the token', async (t) => {
  const server = await startServer();
  t.after(server.close);
  const { handlers } = setup(server);
  const result = await dispatch(handlers, { type: MSG.CS_BG_GET_SETTINGS });
  assert.equal(result.data.paired, true);
  assert.equal('apiToken' in result.data, false);
  assert.equal(JSON.stringify(result).includes(TOKEN), false);
});

test('open options asks Chrome to open the options page', async (t) => {
  const server = await startServer();
  t.after(server.close);
  const { handlers, opened } = setup(server);
  await dispatch(handlers, { type: MSG.CS_BG_OPEN_OPTIONS });
  assert.equal(opened.length, 1);
});

test('a pivot marked sent is kept by thread, and "answered on the phone" marks that one', async (t) => {
  const server = await startServer();
  t.after(server.close);
  const suggestion = await backend('POST', '/api/v1/suggestions', { brief: BRIEF });
  const { handlers, storage } = setup(server);
  // A content script naming another thread than the suggestion's keeps nothing.
  await dispatch(handlers, { type: MSG.CS_BG_MARK_SENT, suggestionId: suggestion.id, threadId: '18f3a0c2b1d4e999' });
  assert.deepEqual(storage().pivots ?? {}, {});
  const sent = await dispatch(handlers, {
    type: MSG.CS_BG_MARK_SENT,
    suggestionId: suggestion.id,
    threadId: THREAD.thread_id,
  });
  assert.ok(sent.ok, JSON.stringify(sent));
  assert.deepEqual(storage().pivots, { [THREAD.thread_id]: suggestion.id });
  const pivot = await dispatch(handlers, { type: MSG.CS_BG_GET_PIVOT, threadId: THREAD.thread_id });
  assert.deepEqual(pivot.data, { known: true, answered: false });
  server.seen.length = 0;
  const marked = await dispatch(handlers, { type: MSG.CS_BG_MARK_ANSWERED, threadId: THREAD.thread_id });
  assert.ok(marked.ok && marked.data.id === suggestion.id && Boolean(marked.data.answered_at), JSON.stringify(marked));
  const after = await dispatch(handlers, { type: MSG.CS_BG_GET_PIVOT, threadId: THREAD.thread_id });
  assert.deepEqual(after.data, { known: true, answered: true });
  // A new worker (a fresh handler table over the same storage) still knows it.
  const restarted = setup(server, storage());
  const again = await dispatch(restarted.handlers, { type: MSG.CS_BG_GET_PIVOT, threadId: THREAD.thread_id });
  assert.deepEqual(again.data, { known: true, answered: true });
  assert.deepEqual(
    server.seen.map((r) => [r.method, r.url, r.body]),
    [['POST', `/api/v1/suggestions/${suggestion.id}/answered`, {}]],
  );
  assert.deepEqual(storage().answered, [suggestion.id]);
});

test('the panel opens a thread in Gmail by its id only', async (t) => {
  const server = await startServer();
  t.after(server.close);
  const { handlers, threads } = setup(server);
  const result = await dispatch(handlers, { type: MSG.OP_BG_OPEN_THREAD, threadId: '18f3a0c2b1d4e5f6' });
  assert.ok(result.ok);
  assert.deepEqual(threads, ['18f3a0c2b1d4e5f6']);
  assert.equal(server.seen.length, 0, 'nothing asked of the backend');
});

const THREAD_URLS = [
  // the Gmail tab's URL, where the thread opens
  ['https://mail.google.com/mail/u/1/#inbox', 'https://mail.google.com/mail/u/1/#all/18f3a0c2b1d4e5f6'],
  [
    'https://mail.google.com/mail/u/0/#search/x/18f3a0c2b1d4e600',
    'https://mail.google.com/mail/u/0/#all/18f3a0c2b1d4e5f6',
  ],
  ['https://mail.google.com/mail/', 'https://mail.google.com/mail/u/0/#all/18f3a0c2b1d4e5f6'],
  [undefined, 'https://mail.google.com/mail/u/0/#all/18f3a0c2b1d4e5f6'], // no Gmail tab: a new one
  ['https://evil.example/mail/u/3/', 'https://mail.google.com/mail/u/0/#all/18f3a0c2b1d4e5f6'],
];
for (const [tabUrl, url] of THREAD_URLS) {
  test(`a thread opened from ${tabUrl} → ${url}`, () => assert.equal(gmailThreadUrl(tabUrl, '18f3a0c2b1d4e5f6'), url));
}

// The listener's sender check (chrome.runtime.onMessage gives every message a MessageSender):
// cs-bg-* only from a content script in a Gmail tab, op-bg-* only from the extension's own pages.
const SELF = {
  id: 'maxid',
  optionsUrl: 'chrome-extension://maxid/extension/options/options.html',
  panelUrl: 'chrome-extension://maxid/extension/pipeline/pipeline.html',
};
const GMAIL_TAB = { id: 'maxid', url: 'https://mail.google.com/mail/u/0/#inbox/18f3a0c2b1d4e5f6', tab: { id: 7 } };
const OPTIONS_TAB = { id: 'maxid', url: SELF.optionsUrl, tab: { id: 8 }, origin: 'chrome-extension://maxid' };
const PAIR = { type: MSG.OP_BG_PAIR, backendUrl: 'http://127.0.0.1:9', code: 'ABCD-EFGH' };
const SAVE = { type: MSG.OP_BG_SAVE_SETTINGS, values: { trap_at: 2 } };
const MARK = { type: MSG.CS_BG_MARK_SENT, suggestionId: UNKNOWN_ID };
const SENDERS = [
  // what, message, sender, answered by its handler
  ['the options page pairs', { ...PAIR, code: '' }, OPTIONS_TAB, true],
  ['the options page embedded (no tab) pairs', { ...PAIR, code: '' }, { ...OPTIONS_TAB, tab: undefined }, true],
  [
    'the options page with a query string',
    { type: MSG.OP_BG_CHECK_BACKEND },
    { ...OPTIONS_TAB, url: `${SELF.optionsUrl}?x#y` },
    true,
  ],
  [
    'the pipeline panel in a tab reads the pipeline',
    { type: MSG.OP_BG_CHECK_BACKEND },
    { ...OPTIONS_TAB, url: SELF.panelUrl },
    true,
  ],
  [
    'a content script cannot open a thread from the panel',
    { type: MSG.OP_BG_OPEN_THREAD, threadId: 'x' },
    GMAIL_TAB,
    false,
  ],
  ['a content script cannot pair', PAIR, GMAIL_TAB, false],
  ["a content script cannot change the backend's settings", SAVE, GMAIL_TAB, false],
  ["a content script cannot read the backend's settings", { type: MSG.OP_BG_GET_SETTINGS }, GMAIL_TAB, false],
  ['a content script cannot read the Gmail tabs', { type: MSG.OP_BG_READ_GMAIL_ACCOUNT }, GMAIL_TAB, false],
  ['another page of ours, in a tab', PAIR, { ...OPTIONS_TAB, url: 'chrome-extension://maxid/extension/x.html' }, false],
  [
    'a look-alike extension id',
    PAIR,
    { ...OPTIONS_TAB, url: 'chrome-extension://maxidx/extension/options/options.html' },
    false,
  ],
  ['another extension', PAIR, { ...OPTIONS_TAB, id: 'other' }, false],
  ['a content script on Gmail marks sent', MARK, GMAIL_TAB, true],
  ['the options page is not a content script', MARK, OPTIONS_TAB, false],
  ['a look-alike host', MARK, { ...GMAIL_TAB, url: 'https://mail.google.com.evil.example/mail/' }, false],
  [
    'Gmail named in the query of another site',
    MARK,
    { ...GMAIL_TAB, url: 'https://evil.example/?https://mail.google.com/' },
    false,
  ],
  ['plain http Gmail', MARK, { ...GMAIL_TAB, url: 'http://mail.google.com/mail/' }, false],
  ['no tab', MARK, { ...GMAIL_TAB, tab: undefined }, false],
  ['no URL', MARK, { ...GMAIL_TAB, url: undefined }, false],
  ['no sender', MARK, undefined, false],
  ["the content scripts' own direction", { type: 'bg-cs-read-account' }, GMAIL_TAB, false],
  ['no type', { code: 'x' }, OPTIONS_TAB, false],
];
for (const [what, message, sender, answered] of SENDERS) {
  test(`sender check: ${what} → ${answered ? 'answered' : 'refused, nothing done'}`, async (t) => {
    const server = await startServer();
    t.after(server.close);
    const { handlers, storage } = setup(server, { account: ME });
    const before = JSON.stringify(storage());
    const listener = createListener(handlers, SELF);
    const warn = console.warn;
    console.warn = () => {};
    let response;
    try {
      response = await new Promise((resolve) => listener(message, sender, resolve));
    } finally {
      console.warn = warn;
    }
    assert.equal(response.ok === false && response.error.code === 'forbidden', !answered, JSON.stringify(response));
    if (answered) return;
    assert.equal(server.seen.length, 0, 'nothing reached the backend');
    assert.equal(JSON.stringify(storage()), before, 'nothing stored');
  });
}

const LANGUAGES = [
  // message, what the answer's extName says, Gmail's language kept for the options page
  [{ lang: 'fr', fromGmail: true }, 'MAX — stop à la 3e relance', 'fr'],
  [{ lang: 'en', fromGmail: true }, 'MAX — stop the third follow-up', 'en'],
  [{ lang: 'fr', fromGmail: false }, 'MAX — stop à la 3e relance', null], // Chrome's, not Gmail's
];
for (const [message, extName, kept] of LANGUAGES) {
  test(`Gmail's language ${JSON.stringify(message)} → its messages, ${kept ?? 'nothing'} kept`, async (t) => {
    const server = await startServer();
    t.after(server.close);
    const { handlers, storage } = setup(server);
    const result = await dispatch(handlers, { type: MSG.CS_BG_GMAIL_LANGUAGE, ...message });
    assert.equal(result.data.extName.message, extName);
    assert.equal(storage().uiLang ?? null, kept);
    assert.equal(server.seen.length, 0, 'nothing asked of the backend');
  });
}

test('a language MAX does not speak is refused', async (t) => {
  const server = await startServer();
  t.after(server.close);
  const { handlers, storage } = setup(server);
  const result = await dispatch(handlers, { type: MSG.CS_BG_GMAIL_LANGUAGE, lang: 'de', fromGmail: true });
  assert.deepEqual([result.ok, result.error.code], [false, 'bad_request']);
  assert.equal(storage().uiLang, undefined);
});

test('the sidebar folded or opened is remembered, and content scripts read it back', async (t) => {
  const server = await startServer();
  t.after(server.close);
  const { handlers, storage } = setup(server);
  await dispatch(handlers, { type: MSG.CS_BG_SET_SIDEBAR_OPEN, open: false });
  assert.equal(storage().sidebarOpen, false);
  const read = await dispatch(handlers, { type: MSG.CS_BG_GET_SETTINGS });
  assert.equal(read.data.sidebarOpen, false);
  await dispatch(handlers, { type: MSG.CS_BG_SET_SIDEBAR_OPEN, open: 'yes' });
  assert.equal(storage().sidebarOpen, false, 'only true opens it');
  await dispatch(handlers, { type: MSG.CS_BG_SET_SIDEBAR_OPEN, open: true });
  assert.equal(storage().sidebarOpen, true);
});

// Node sends no Origin: the backend refuses it as it refuses any program that is not the
// extension (tests/extension/test_e2e.py pairs in one click from Chromium itself).
test('one-click pairing asks the backend, which refuses a caller that is not the extension', async (t) => {
  const server = await startServer();
  t.after(server.close);
  const { handlers, storage } = setup(server, { apiToken: '' });
  const result = await dispatch(handlers, { type: MSG.OP_BG_PAIR_LOCAL, backendUrl: `${server.url}/` });
  assert.deepEqual([result.ok, result.error.code, result.error.field], [false, 'not_local', 'Origin']);
  assert.deepEqual(
    server.seen.map((r) => [r.method, r.url, r.auth]),
    [['POST', '/api/v1/pair/local', null]],
  );
  assert.equal(storage().apiToken, '');
  const bad = await dispatch(handlers, { type: MSG.OP_BG_PAIR_LOCAL, backendUrl: 'javascript:1' });
  assert.deepEqual([bad.ok, bad.error.field], [false, 'backendUrl']);
  assert.equal(server.seen.length, 1);
});

test('an analysis goes out at the clock’s now, and the reminder hears its report with the tab’s URL', async (t) => {
  const server = await startServer();
  t.after(server.close);
  const heard = [];
  const storage = { backendUrl: server.url, apiToken: TOKEN, account: ME };
  const handlers = createHandlers({
    getSettings: async () => globalThis.MAX.settings.withDefaults(storage),
    fetch: (...a) => fetch(...a),
    now: async () => TRAP.now,
    heard: async (report, tabUrl) => {
      heard.push([report, tabUrl]);
      throw new Error('a reminder that fails never fails the answer');
    },
  });
  const tab = { id: 1, url: 'https://mail.google.com/mail/u/1/#inbox/x' };
  // The default thresholds (a test above saved others) and a thread id no test marked a pivot
  // sent in: the advice is the phone message.
  await backend('PUT', '/api/v1/settings', globalThis.MAX.contract.SETTINGS_DEFAULTS);
  const thread = { ...THREAD, thread_id: '18f7c1a2b3d4e5f7' };
  const result = await dispatch(handlers, { type: MSG.CS_BG_ANALYZE_THREAD, thread, now: 'x' }, { tab });
  assert.equal(result.ok, true);
  assert.equal(server.seen[0].body.now, TRAP.now, 'the clock’s, not the message’s');
  assert.equal(heard.length, 1);
  const [report, tabUrl] = heard[0];
  assert.equal(tabUrl, tab.url);
  assert.equal(report.thread_id, thread.thread_id);
  assert.equal(report.display.offer_message, true);
  // The backend's report carries the windows the reminder rings in (the core's slots).
  const slots = report.recommendation.slots;
  assert.ok(slots.length >= 1 && slots[0].best === report.recommendation.send_at, JSON.stringify(slots));
});
