// Tests extension/lib/host-permission.js and its use by the options page and backend-client.js:
// https backends are asked for at run time inside the click's gesture, http only on this computer,
// a refused prompt keeps the URL in use, and a fetch without the permission is a sentence. Chrome's
// permissions API is a fake here that records what it was asked (the node tests' style).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, installDom, loadScripts } from './jsdom-env.mjs';

const LOCALE = JSON.parse(fs.readFileSync(path.join(ROOT, '_locales/en/messages.json'), 'utf8'));

/** chrome.permissions as Chrome answers it: `answer` is what the person picks in the prompt. */
function fakePermissions(answer = true, granted = []) {
  const asked = [];
  return {
    asked,
    granted,
    request: ({ origins }) => {
      asked.push(...origins);
      if (answer) granted.push(...origins);
      return Promise.resolve(answer);
    },
    contains: ({ origins }) => Promise.resolve(origins.every((o) => granted.includes(o))),
  };
}

let sent = [];
let storage = { backendUrl: 'http://127.0.0.1:8765', apiToken: 'tok' };
let permissions = fakePermissions();
installDom(
  fs.readFileSync(path.join(ROOT, 'extension/options/options.html'), 'utf8'),
  'chrome-extension://maxid/extension/options/options.html',
);
globalThis.chrome = {
  runtime: {
    getURL: (p) => `chrome-extension://maxid/${p}`,
    sendMessage: async (m) => {
      sent.push(m);
      if (m.type === MAX.MSG.OP_BG_GET_SETTINGS) return { ok: true, data: MAX.contract.SETTINGS_DEFAULTS };
      return { ok: true, data: { paired: true } };
    },
  },
  storage: {
    local: {
      get: async () => ({ ...storage }),
      set: async (v) => (storage = { ...storage, ...v }),
    },
  },
  get permissions() {
    return permissions;
  },
  i18n: { getMessage: () => '', getUILanguage: () => 'en' },
};
const MAX = await loadScripts(
  'lib/message-types.js',
  'lib/contract.js',
  'lib/settings.js',
  'lib/host-permission.js',
  'lib/i18n.js',
  'lib/error-text.js',
  'lib/backend-client.js',
);
MAX.i18n.use('en', LOCALE);
const HP = MAX.hostPermission;

const URLS = [
  // typed, ok, normalised url or error code, the pattern asked for (null: the manifest grants it)
  ['https://max.acme.fr/', true, 'https://max.acme.fr', 'https://max.acme.fr/*'],
  ['https://max.acme.fr:8443/base/', true, 'https://max.acme.fr:8443/base', 'https://max.acme.fr/*'],
  ['http://127.0.0.1:9000', true, 'http://127.0.0.1:9000', null],
  ['http://localhost:8765/', true, 'http://localhost:8765', null],
  ['http://max.acme.fr', false, 'insecure_backend_url'],
  ['http://192.168.1.20:8765', false, 'insecure_backend_url'],
  ['ftp://max.acme.fr', false, 'bad_request'],
  ['not a url', false, 'bad_request'],
  ['', false, 'bad_request'],
];
for (const [typed, ok, expected, pattern] of URLS) {
  test(`backend URL ${JSON.stringify(typed)} → ${expected}`, () => {
    const checked = HP.checkBackendUrl(typed);
    assert.equal(checked.ok, ok);
    if (!ok) return assert.deepEqual([checked.error.code, checked.error.field], [expected, 'backendUrl']);
    assert.equal(checked.url, expected);
    assert.equal(HP.originPattern(checked.url), pattern);
  });
}

test('an http URL off this computer is refused with a sentence that says why, in both languages', () => {
  const text = MAX.errorText(HP.checkBackendUrl('http://max.acme.fr').error);
  assert.match(text, /https/);
  assert.doesNotMatch(text, /error|undefined|\$/i);
});

test('a loopback URL asks nothing; an https one asks for its origin on every port', async () => {
  const p = fakePermissions(true);
  assert.deepEqual(await HP.request('http://127.0.0.1:9000', p), { ok: true });
  assert.deepEqual(p.asked, []);
  assert.deepEqual(await HP.request('https://max.acme.fr:8443', p), { ok: true });
  assert.deepEqual(p.asked, ['https://max.acme.fr/*']);
});

test('a refused prompt, or a request Chrome throws on, is permission_refused naming the origin', async () => {
  const refused = await HP.request('https://max.acme.fr/x', fakePermissions(false));
  assert.deepEqual(
    [refused.ok, refused.error.code, refused.error.args],
    [false, 'permission_refused', ['https://max.acme.fr']],
  );
  const throwing = {
    request: () => {
      throw new Error('This function must be called during a user gesture');
    },
  };
  assert.equal((await HP.request('https://max.acme.fr', throwing)).error.code, 'permission_refused');
});

const failingFetch = async () => {
  throw new TypeError('Failed to fetch');
};

test('a fetch that fails without the host permission is no_permission, said as a sentence', async () => {
  const fetchImpl = HP.permittedFetch(fakePermissions(false), failingFetch);
  const s = { backendUrl: 'https://max.acme.fr', apiToken: 'tok' };
  const result = await MAX.backendClient.getSettings(s, fetchImpl);
  assert.deepEqual([result.ok, result.error.code], [false, 'no_permission']);
  const text = MAX.errorText(result.error, s.backendUrl);
  assert.match(text, /https:\/\/max\.acme\.fr/);
  assert.doesNotMatch(text, /TypeError|Failed to fetch/);
});

test('with the permission, a failing fetch is still unreachable (the server is down)', async () => {
  const fetchImpl = HP.permittedFetch(fakePermissions(true, ['https://max.acme.fr/*']), failingFetch);
  const result = await MAX.backendClient.health({ backendUrl: 'https://max.acme.fr' }, fetchImpl);
  assert.equal(result.error.code, 'unreachable');
  const local = HP.permittedFetch(fakePermissions(false), failingFetch);
  assert.equal((await MAX.backendClient.health({ backendUrl: 'http://127.0.0.1:9' }, local)).error.code, 'unreachable');
});

test('a fetch that works is passed through untouched', async () => {
  const answer = new Response('{"status":"ok"}', { status: 200 });
  const fetchImpl = HP.permittedFetch(fakePermissions(false), async () => answer);
  assert.deepEqual(await MAX.backendClient.health({ backendUrl: 'https://max.acme.fr' }, fetchImpl), {
    ok: true,
    data: { status: 'ok' },
  });
});

// The options page itself (options.js on options.html, in jsdom). jsdom has no named access on a
// form (form.backendUrl; in Chrome it even overrides built-ins such as form.lang): given here
// from form.elements, which jsdom has.
for (const form of document.querySelectorAll('form'))
  for (const el of form.elements)
    if (el.name) Object.defineProperty(form, el.name, { get: () => form.elements.namedItem(el.name) });
await import(path.join(ROOT, 'extension/options/options.js'));
const $ = (sel) => document.querySelector(sel);
const settle = () => new Promise((r) => setTimeout(r, 20));
const submitPair = (url) => {
  $('#pair-form').backendUrl.value = url;
  $('#pair-form').code.value = 'ABCD-EFGH';
  $('#pair-form').dispatchEvent(new window.Event('submit', { cancelable: true }));
};

test('pairing with an https server asks for its origin inside the gesture, then pairs with it', async () => {
  await settle();
  [sent, permissions] = [[], fakePermissions(true)];
  submitPair('https://max.acme.fr/');
  // Synchronously, before the handler's first await: Chrome's gesture still holds.
  assert.deepEqual(permissions.asked, ['https://max.acme.fr/*']);
  await settle();
  const pair = sent.find((m) => m.type === MAX.MSG.OP_BG_PAIR);
  assert.deepEqual([pair?.backendUrl, pair?.code], ['https://max.acme.fr', 'ABCD-EFGH']);
});

test('refused, nothing is sent, the old URL stays in the field and the page says so', async () => {
  [sent, permissions] = [[], fakePermissions(false)];
  storage.backendUrl = 'http://127.0.0.1:8765';
  submitPair('https://other.acme.fr');
  await settle();
  assert.deepEqual(sent, []);
  assert.equal($('#pair-form').backendUrl.value, 'http://127.0.0.1:8765');
  assert.equal(storage.backendUrl, 'http://127.0.0.1:8765');
  const said = $('#pair-status').textContent;
  assert.match(said, /https:\/\/other\.acme\.fr/);
  assert.match(said, /http:\/\/127\.0\.0\.1:8765/);
});

test('"check" with a refused origin keeps the stored URL; granted, it stores the new one', async () => {
  [sent, permissions] = [[], fakePermissions(false)];
  $('#pair-form').backendUrl.value = 'https://max.acme.fr';
  $('#check').dispatchEvent(new window.MouseEvent('click'));
  assert.deepEqual(permissions.asked, ['https://max.acme.fr/*'], 'asked inside the click');
  await settle();
  assert.equal(storage.backendUrl, 'http://127.0.0.1:8765');
  permissions = fakePermissions(true);
  $('#pair-form').backendUrl.value = 'https://max.acme.fr';
  $('#check').dispatchEvent(new window.MouseEvent('click'));
  await settle();
  assert.equal(storage.backendUrl, 'https://max.acme.fr');
  assert.ok(sent.some((m) => m.type === MAX.MSG.OP_BG_CHECK_BACKEND));
});

test('an http URL off this computer asks no permission, sends nothing and says why', async () => {
  [sent, permissions] = [[], fakePermissions(true)];
  submitPair('http://max.acme.fr');
  await settle();
  assert.deepEqual([permissions.asked, sent], [[], []]);
  assert.equal($('#pair-status').textContent, MAX.errorText({ code: 'insecure_backend_url' }));
});

test('one-click pairing with a loopback server on another port asks nothing and pairs', async () => {
  [sent, permissions] = [[], fakePermissions(false)];
  $('#pair-form').backendUrl.value = 'http://127.0.0.1:9123/';
  $('#pair-local').dispatchEvent(new window.MouseEvent('click'));
  await settle();
  assert.deepEqual(permissions.asked, []);
  assert.equal(sent.find((m) => m.type === MAX.MSG.OP_BG_PAIR_LOCAL)?.backendUrl, 'http://127.0.0.1:9123');
});
