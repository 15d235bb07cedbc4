// Tests extension/background.js: the one message table, against a loopback HTTP server started
// here (node:http on 127.0.0.1) that answers like the backend's contract.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHandlers, dispatch } from '../../extension/background.js';

const { MSG } = globalThis.MAX;
const TOKEN = 'tok-0123456789abcdef';

// Records each request; answers by path.
async function startServer() {
  const seen = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : null;
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization ?? null, body });
      const send = (status, obj) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      if (req.url === '/healthz') return send(200, { ok: true });
      if (req.url === '/api/v1/pair')
        return body.code === 'GOOD-CODE'
          ? send(200, { token: TOKEN })
          : send(400, { error: { code: 'bad_code', message: 'unknown code', field: 'code' } });
      if (req.headers.authorization !== `Bearer ${TOKEN}`)
        return send(401, { error: { code: 'unauthorized', message: 'pair first', field: null } });
      if (req.url === '/api/v1/threads/analyze')
        return send(200, { threads: [{ thread_id: body.thread.thread_id, level: 'trap' }] });
      if (req.url === '/api/v1/suggestions')
        return send(200, {
          threads: [
            { thread_id: body.thread.thread_id, suggestion: { channel: body.channel, lang: body.lang ?? 'fr' } },
          ],
        });
      const sent = req.url.match(/^\/api\/v1\/suggestions\/([^/]+)\/sent$/);
      if (sent)
        return sent[1] === 'a1b2c3'
          ? send(200, { id: sent[1], thread_id: '18f3a0c2b1d4e5f6', sent_at: '2026-11-27T03:50:00+00:00' })
          : send(404, {
              error: { code: 'unknown_suggestion', message: 'No such suggestion.', field: 'suggestion_id' },
            });
      if (req.url.startsWith('/api/v1/threads/'))
        return send(409, { error: { code: 'gmail_not_connected', message: 'connect Gmail', field: null } });
      if (req.url === '/api/v1/tracking/pixels')
        return send(200, { pixel_url: 'http://127.0.0.1/t/abc.gif', token: 'abc' });
      send(404, { error: { code: 'not_found', message: 'no', field: null } });
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => new Promise((r) => server.close(r)) };
}

function setup(server, stored = {}) {
  let storage = { backendUrl: server.url, apiToken: TOKEN, ...stored };
  const opened = [];
  const handlers = createHandlers({
    getSettings: async () => globalThis.MAX.settings.withDefaults(storage),
    saveSettings: async (v) => (storage = { ...storage, ...v }),
    fetch: (...a) => fetch(...a),
    openOptions: async () => opened.push(true),
  });
  return { handlers, storage: () => storage, opened };
}

const THREAD = { thread_id: '18f3a0c2b1d4e5f6', subject: 'S', complete: true, messages: [] };

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

const CALLS = [
  // message, stored settings, expected ok, expected error code or data check, expected request
  [
    { type: MSG.CS_BG_ANALYZE_THREAD, thread: THREAD, me: 'paul@acme.fr' },
    {},
    true,
    (d) => d.level === 'trap',
    { url: '/api/v1/threads/analyze', me: ['paul@acme.fr'] },
  ],
  [
    { type: MSG.CS_BG_ANALYZE_THREAD, thread: THREAD, me: 'paul@acme.fr' },
    { apiToken: '' },
    false,
    'not_paired',
    { url: '/api/v1/threads/analyze' },
  ],
  [
    { type: MSG.CS_BG_SUGGEST, thread: THREAD, me: 'p@a.fr', channel: 'sms' },
    { lang: 'en' },
    true,
    (d) => d.suggestion.channel === 'sms' && d.suggestion.lang === 'en',
    { url: '/api/v1/suggestions' },
  ],
  [
    { type: MSG.CS_BG_SUGGEST, thread: THREAD, me: 'p@a.fr' },
    { channel: 'whatsapp' },
    true,
    (d) => d.suggestion.channel === 'whatsapp' && d.suggestion.lang === 'fr',
    { url: '/api/v1/suggestions' },
  ],
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
    (d) => d.token === 'abc',
    { url: '/api/v1/tracking/pixels' },
  ],
  [{ type: MSG.OP_BG_CHECK_BACKEND }, {}, true, (d) => d.ok === true, { url: '/healthz' }],
  // Never `me: []`: without the account nothing goes out and the caller hears why.
  [{ type: MSG.CS_BG_ANALYZE_THREAD, thread: THREAD, me: null }, {}, false, 'no_account', null],
  [{ type: MSG.CS_BG_ANALYZE_THREAD, thread: THREAD, me: '' }, {}, false, 'no_account', null],
  [{ type: MSG.CS_BG_ANALYZE_THREAD, thread: THREAD }, {}, false, 'no_account', null],
  [{ type: MSG.CS_BG_SUGGEST, thread: THREAD, me: undefined, channel: 'sms' }, {}, false, 'no_account', null],
  [{ type: MSG.CS_BG_SUGGEST, thread: THREAD, me: 'Paul Martin' }, {}, false, 'no_account', null],
  [
    { type: MSG.CS_BG_MARK_SENT, suggestionId: 'a1b2c3' },
    {},
    true,
    (d) => d.id === 'a1b2c3' && d.sent_at.startsWith('2026-'),
    { url: '/api/v1/suggestions/a1b2c3/sent', method: 'POST' },
  ],
  [
    { type: MSG.CS_BG_MARK_SENT, suggestionId: 'ffff' },
    {},
    false,
    'unknown_suggestion',
    { url: '/api/v1/suggestions/ffff/sent', method: 'POST' },
  ],
  [
    { type: MSG.CS_BG_MARK_SENT, suggestionId: 'a1b2c3' },
    { apiToken: '' },
    false,
    'not_paired',
    { url: '/api/v1/suggestions/a1b2c3/sent' },
  ],
  [{ type: MSG.CS_BG_MARK_SENT, suggestionId: '../../pair' }, {}, false, 'bad_request', null],
  [{ type: MSG.CS_BG_MARK_SENT }, {}, false, 'bad_request', null],
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

test('thresholds go out only when the user changed them', async (t) => {
  const server = await startServer();
  t.after(server.close);
  for (const [thresholds, expected] of [
    [undefined, undefined],
    [{ trap_at: 4 }, { trap_at: 4 }],
  ]) {
    const { handlers } = setup(server, { thresholds });
    await dispatch(handlers, { type: MSG.CS_BG_ANALYZE_THREAD, thread: THREAD, me: 'p@a.fr' });
    assert.deepEqual(server.seen.at(-1).body.settings, expected);
  }
});

test('a backend that is down is a value, not a throw', async () => {
  const server = await startServer();
  await server.close();
  const { handlers } = setup(server);
  const result = await dispatch(handlers, { type: MSG.CS_BG_ANALYZE_THREAD, thread: THREAD, me: 'p@a.fr' });
  assert.deepEqual([result.ok, result.error.code], [false, 'unreachable']);
});

const PAIRS = [
  // backendUrl, code, ok, error code, token stored
  [null, 'GOOD-CODE', true, null, TOKEN],
  [null, 'BAD', false, 'bad_code', ''],
  [null, '  ', false, 'bad_request', ''],
  ['ftp://127.0.0.1', 'GOOD-CODE', false, 'bad_request', ''],
];
for (const [url, code, ok, errorCode, token] of PAIRS) {
  test(`pairing with ${url ?? 'the server'} and "${code}" → ${ok ? 'token stored' : errorCode}`, async (t) => {
    const server = await startServer();
    t.after(server.close);
    const { handlers, storage } = setup(server, { apiToken: '' });
    const result = await dispatch(handlers, { type: MSG.OP_BG_PAIR, backendUrl: url ?? `${server.url}/`, code });
    assert.equal(result.ok, ok);
    if (!ok) assert.equal(result.error.code, errorCode);
    assert.equal(storage().apiToken, token);
    if (ok) assert.equal(storage().backendUrl, server.url, 'stored without the trailing slash');
  });
}

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
