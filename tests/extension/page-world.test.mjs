// Tests extension/content/page-world.js in a page of its own (jsdom running the script as the
// MAIN world would): the thread data Gmail embeds in the page at load, handed to _GM_setData
// (gmail.js src/gmail.js L2203-2242), reaches MAX's content script as a Gmail response, on the
// JSON gmail.js saved from real Gmail; and Gmail's own function always runs, once, unchanged.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { ROOT, SHARED_DATA, loadScripts } from './jsdom-env.mjs';

const { gmailResponse, PAGE } = await loadScripts('lib/message-types.js', 'lib/gmail-response.js');
const PAGE_WORLD = fs.readFileSync(path.join(ROOT, 'extension/content/page-world.js'), 'utf8');
const saved = (file) => fs.readFileSync(path.join(SHARED_DATA, 'gmail-internal/gmail-js', file), 'utf8');
const FD_EMBEDDED = saved('testdata-parser-fd-embedded.json');

/** A Gmail page with page-world.js installed at document_start; `posted` collects its messages. */
function gmailPage() {
  const { window } = new JSDOM('<!doctype html><body></body>', {
    url: 'https://mail.google.com/mail/u/0/',
    runScripts: 'outside-only',
  });
  const posted = [];
  window.addEventListener('message', (e) => e.data?.source === PAGE.SOURCE && posted.push(e.data));
  window.eval(PAGE_WORLD);
  return { window, posted };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
const responses = (posted) => posted.filter((m) => m.type === PAGE.GMAIL_RESPONSE).map((m) => m.text);

test('embedded thread data handed to the function Gmail defines reaches MAX, and Gmail gets it too', async () => {
  const { window, posted } = gmailPage();
  window.__fd = FD_EMBEDDED;
  // As an inline script of Gmail's page would: a `var` and assignment, then the call.
  window.eval(`
    var _GM_setData = function (data) { (window.gmail ??= []).push([this === window, Object.keys(data)]); return 'kept'; };
    window.returned = _GM_setData({ Cl6csf: [[null, null, window.__fd]], sBEv4c: [['mla']] });
  `);
  await settle();
  assert.deepEqual(JSON.parse(JSON.stringify(window.gmail)), [[true, ['Cl6csf', 'sBEv4c']]]);
  assert.equal(window.returned, 'kept');
  const [text] = responses(posted);
  assert.equal(text, FD_EMBEDDED);
  const threads = gmailResponse.parseGmailResponse(text);
  assert.equal(threads.length, 5);
  assert.equal(threads[0].legacyThreadId, '18335a7dcae04a59');
});

test('when Gmail only calls _GM_setData (never assigns it), the data still reaches MAX', async () => {
  const { window, posted } = gmailPage();
  window.__fd = FD_EMBEDDED;
  window.eval(`window.returned = _GM_setData({ Cl6csf: [[null, null, window.__fd]] });`);
  await settle();
  assert.equal(window.returned, undefined);
  assert.equal(responses(posted).length, 1);
});

test("another extension's wrapper (gmail.js style) and Gmail's function each run once", async () => {
  const { window, posted } = gmailPage();
  window.__fd = FD_EMBEDDED;
  window.eval(`
    window.calls = [];
    window._GM_setData = function (data) { calls.push('gmail'); };
    var original_GM_setData = window._GM_setData;           // gmail.js L2211-2212
    window._GM_setData = function (data) { calls.push('gmail.js'); original_GM_setData(data); };
    _GM_setData({ Cl6csf: [[null, null, window.__fd]] });
  `);
  await settle();
  assert.deepEqual([...window.calls], ['gmail.js', 'gmail']);
  assert.equal(responses(posted).length, 1);
});

const ODD = [
  // data Gmail may hand over that holds no thread: nothing delivered, Gmail's function still runs
  ['undefined', 'undefined'],
  ['null', 'null'],
  ['a number', '42'],
  ['no array', '({ Cl6csf: "x" })'],
  ['an object where the JSON is', '({ Cl6csf: [[null, null, { "1": [] }]] })'],
  ['the accounts list', `({ sBEv4c: [${saved('testdata-parser-mla.json').trim()}] })`],
];
for (const [name, data] of ODD) {
  test(`odd embedded data (${name}): nothing delivered, nothing thrown, Gmail's function runs`, async () => {
    const { window, posted } = gmailPage();
    window.eval(`window.ran = 0; window._GM_setData = function () { ran += 1; }; _GM_setData(${data});`);
    await settle();
    assert.equal(window.ran, 1);
    assert.deepEqual(responses(posted), []);
  });
}

test('data embedded before the content script listens is replayed when it says hello', async () => {
  const { window, posted } = gmailPage();
  window.__fd = FD_EMBEDDED;
  window.eval(`_GM_setData({ Cl6csf: [[null, null, window.__fd]] });`);
  await settle();
  posted.length = 0;
  // The content script's hello, as Chrome delivers it (jsdom's postMessage leaves event.source empty).
  const data = { source: PAGE.SOURCE, type: PAGE.HELLO };
  window.dispatchEvent(new window.MessageEvent('message', { source: window, data }));
  await settle();
  assert.deepEqual(responses(posted), [FD_EMBEDDED]);
});

const LANGUAGES = [
  // GLOBALS[4] as Gmail sets it, the language posted on hello (InboxSDK reads the part after the dot)
  ['mail.fr', 'fr'],
  ['mail.en-GB', 'en-GB'],
  ['fr', 'fr'],
  ['de', 'de'], // no dot: taken as it is (MAX.pickLanguage then skips a language MAX does not speak)
  ['mail', null], // not a language tag
  ['mail.<img src=x>', null],
  [42, null],
  [undefined, null],
];
for (const [value, lang] of LANGUAGES) {
  test(`GLOBALS[4] ${JSON.stringify(value)} → Gmail's language ${lang}`, async () => {
    const { window, posted } = gmailPage();
    window.GLOBALS = [null, null, null, null, value, null, null, null, null, null, 'paul@acme.fr'];
    const data = { source: PAGE.SOURCE, type: PAGE.HELLO };
    window.dispatchEvent(new window.MessageEvent('message', { source: window, data }));
    await settle();
    const said = posted.filter((m) => m.type === PAGE.LANG).map((m) => m.lang);
    assert.deepEqual(said, lang ? [lang] : []);
    assert.equal(posted.filter((m) => m.type === PAGE.ACCOUNT).length, 1, 'the account still goes alone');
  });
}
