// Tests extension/content/sidebar.js in jsdom, on the trap thread's fixture page: what it shows
// for a report (a partial one says "at least N", never a green ok), a suggestion, and a backend
// that is down or not paired; links follow the edited text; the QR is parsed safely.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fixture, installDom, loadScripts, ROOT, userClick } from './jsdom-env.mjs';

installDom();
const { sidebar, dom, contract, phoneMessage } = await loadScripts(
  'lib/contract.js',
  'lib/i18n.js',
  'lib/error-text.js',
  'lib/gmail-dom.js',
  'content/dom-build.js',
  'content/thread-reader.js',
  'content/side-panel.js',
  'content/chip.js',
  'content/phone-message.js',
  'content/sidebar.js',
);

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"><path d="M4 4h7v7h-7z"/></svg>';
const THREAD = {
  thread_id: '18f3a0c2b1d4e5f6',
  complete: true,
  messages: [
    { id: 'm2', from: { email: 'marc@batiplus.fr', name: 'Marc Lefèvre' }, date: '2026-11-05T09:00:00+01:00' },
  ],
};
const REPORT = {
  thread_id: '18f3a0c2b1d4e5f6',
  unanswered: 3,
  level: 'trap',
  opens: 2,
  last_reply_at: '2026-10-21T10:12:00+02:00',
  wait_until: null,
  complete: true,
  ignored: [{ message_id: 'm2', reason: 'auto_reply' }],
  recommendation: {
    channel: 'whatsapp',
    send_at: '2026-12-01T10:30:00+01:00',
    reason: 'Switch to WhatsApp.',
    code: 'a_rule_this_extension_does_not_know',
    facts: {},
    notes: [],
  },
};
const SUGGESTION = {
  channel: 'whatsapp',
  text: 'Bonjour Marc, on garde le 1er décembre ?',
  lang: 'fr',
  link: 'https://wa.me/33612345678?text=x',
  sms: null,
  qr_svg: SVG,
};

const root = () => document.querySelector('[data-max="sidebar"]').shadowRoot;

// A thread page (no side panel here: the sidebar takes the column beside the thread).
function fresh() {
  sidebar.remove();
  installDom(fixture('thread-trap-en.html'));
}

test('a trap report: level, why, what was ignored and for what, the recommendation and its reason', () => {
  fresh();
  sidebar.showReport({ report: REPORT, thread: THREAD }, { onChannel() {}, onOpenOptions() {} });
  const r = root();
  assert.equal(r.querySelector('[data-max-level]').dataset.maxLevel, 'trap');
  assert.ok(r.querySelector('[data-max="why"]'));
  assert.match(r.querySelector('[data-max="ignored"]').textContent, /Marc Lefèvre, .*ignored_auto_reply/);
  assert.ok(r.querySelector('[data-max="recommendation"]'));
  assert.equal(r.querySelector('[data-max="reason"]').textContent, 'Switch to WhatsApp.');
  assert.equal(r.querySelector('[data-max="incomplete"]'), null);
});

test('an incomplete thread says so, and "at least N"', () => {
  fresh();
  sidebar.showReport({ report: { ...REPORT, complete: false }, thread: THREAD }, {});
  assert.ok(root().querySelector('[data-max="incomplete"]'));
  assert.equal(root().querySelector('[data-max-level]').dataset.maxLevel, 'trap', 'at least 3 is still a trap');
  assert.equal(root().querySelector('[data-max="why"]').textContent, 'atLeastOther');
});

const PARTIAL_OK = {
  ...REPORT,
  level: 'ok',
  unanswered: 1,
  complete: false,
  display: { level: 'unknown' }, // the backend's say (policy.display_for)
  recommendation: { ...REPORT.recommendation, code: 'email_ok', facts: { unanswered: 1 } },
};

test('an incomplete ok is no green ok: "?", could not read all messages, no "still fine"', () => {
  fresh();
  sidebar.showReport({ report: PARTIAL_OK, thread: THREAD }, {});
  const r = root();
  assert.equal(r.querySelector('[data-max-level]').dataset.maxLevel, 'unknown');
  assert.equal(r.querySelector('.level-ok'), null);
  assert.equal(r.querySelector('[data-max-level]').textContent, 'levelUnknownIncomplete');
  assert.equal(r.querySelector('[data-max="why"]').textContent, 'atLeastOne');
  assert.equal(r.querySelector('[data-max="reason"]'), null, 'no advice that one more email is fine');
  assert.equal(sidebar.advice({ ...PARTIAL_OK, complete: true }) !== '', true, 'read whole, the advice is given');
  assert.equal(document.querySelector('[data-max="chip"]').dataset.maxLevel, 'unknown');
});

test('the suggestion: editable message, channel switch, link following the text, QR drawn', () => {
  fresh();
  const asked = [];
  sidebar.showReport({ report: REPORT, thread: THREAD, suggestion: SUGGESTION }, { onChannel: (c) => asked.push(c) });
  const r = root();
  const message = r.querySelector('[data-max="message"]');
  assert.equal(message.value, SUGGESTION.text);
  assert.equal(message.getAttribute('lang'), 'fr');
  assert.ok(r.querySelector('[data-max="copy"]'));
  const qr = r.querySelector('[data-max="qr"] img');
  assert.equal(decodeURIComponent(qr.getAttribute('src').split(',')[1]), SVG);
  const open = r.querySelector('[data-max="open"]');
  assert.equal(open.getAttribute('href'), `https://wa.me/33612345678?text=${encodeURIComponent(SUGGESTION.text)}`);
  message.value = 'Autre texte';
  message.dispatchEvent(new window.Event('input'));
  assert.equal(open.getAttribute('href'), 'https://wa.me/33612345678?text=Autre%20texte');
  assert.ok(r.querySelector('[data-max="qr"]').classList.contains('stale'));
  userClick(r.querySelector('[data-max-channel="sms"]'));
  userClick(r.querySelector('[data-max-channel="whatsapp"]')); // already chosen: no request
  assert.deepEqual(asked, ['sms']);
});

const ERRORS = [
  // code, what it says, whether the settings are offered as the fix
  ['unreachable', 'error_unreachable', true],
  ['not_paired', 'error_not_paired', true],
  ['no_account', 'error_no_account', true], // the address is confirmed in the settings
  ['wrong_account', 'error_wrong_account', true],
  ['no_messages', 'error_no_messages', false],
  ['unreadable', 'error_unreadable', false],
  ['bad_thread', 'error_other', true],
];
for (const [code, key, options] of ERRORS) {
  test(`backend error ${code}: said plainly${options ? ', with the way to the options' : ''}`, () => {
    fresh();
    let opened = 0;
    sidebar.showError({ code }, { onOpenOptions: () => opened++, backendUrl: 'http://127.0.0.1:8765' });
    const r = root();
    assert.equal(r.querySelector(`[data-max-state="${code}"]`).textContent, key);
    const button = r.querySelector('[data-max-action="options"]');
    if (button) userClick(button);
    assert.equal(opened, options ? 1 : 0);
    const chip = document.querySelector('[data-max="chip"]');
    assert.equal(chip.dataset.maxLevel, 'unknown', 'the chip says "?"…');
    assert.equal(chip.dataset.maxReason, code === 'bad_thread' ? 'error' : code, '…and why');
    assert.equal(chip.shadowRoot.querySelector('button').title, `MAX — ${key}`);
  });
}

const LINKS = [
  [
    'https://wa.me/33612345678?text=old',
    'whatsapp',
    'à demain ?',
    'https://wa.me/33612345678?text=%C3%A0%20demain%20%3F',
  ],
  ['sms:+33612345678?body=old', 'sms', 'Oui & non', 'sms:+33612345678?body=Oui%20%26%20non'],
  ['sms:+33612345678', 'sms', 'x', 'sms:+33612345678?body=x'],
  [null, 'sms', 'x', null],
];
for (const [link, channel, text, expected] of LINKS) {
  test(`${channel} link ${link} with "${text}"`, () =>
    assert.equal(phoneMessage.linkWithText(link, channel, text), expected));
}

const SVGS = [
  // backend's qr_svg, drawn
  [SVG, true],
  ['<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>', true],
  ['<div>not svg</div>', false],
  ['<img src=x onerror=alert(1)><svg></svg>', false],
  ['', false],
  [null, false],
];
for (const [text, drawn] of SVGS) {
  test(`QR ${String(text).slice(0, 40)}… → ${drawn ? 'an image' : 'refused'}`, () => {
    installDom();
    const img = dom.svgImage(text, 'QR');
    assert.equal(Boolean(img), drawn);
    if (!img) return;
    assert.equal(img.localName, 'img');
    assert.match(img.getAttribute('src'), /^data:image\/svg\+xml;charset=utf-8,%3C/);
  });
}

// chrome.i18n over the real _locales files, so the advice is checked in the words users read.
const LOCALE_FILES = {
  en: JSON.parse(fs.readFileSync(path.join(ROOT, '_locales', 'en', 'messages.json'), 'utf8')),
  fr: JSON.parse(fs.readFileSync(path.join(ROOT, '_locales', 'fr', 'messages.json'), 'utf8')),
};
function speak(lang) {
  globalThis.chrome = {
    i18n: {
      getUILanguage: () => lang,
      getMessage: (key, subs = []) =>
        LOCALE_FILES[lang][key]?.message.replace(/\$(\d)/g, (_, n) => subs[Number(n) - 1] ?? '') ?? '',
    },
  };
}

// What each fact looks like on the wire (contract Facts): numbers, ISO dates, a channel code.
const FACT_VALUES = {
  unanswered: 3,
  opens: 4,
  channel: 'whatsapp',
  count: 4,
  days: 30,
  cap: 4,
  until: '2026-12-04',
  grace: 2,
  when: '2026-12-01',
};
const rec = (code, facts = {}, notes = []) => ({
  channel: 'whatsapp',
  send_at: '2026-12-01T10:30:00+01:00',
  reason: 'ENGLISH FROM THE BACKEND',
  code,
  facts: Object.fromEntries(
    (contract.REASON_FACTS[code] ?? []).map((n) => [n, FACT_VALUES[n]]).concat(Object.entries(facts)),
  ),
  notes,
});
for (const code of contract.CODES) {
  for (const lang of ['en', 'fr']) {
    test(`advice ${code} in ${lang}: a localized sentence with its facts, not the backend's English`, () => {
      speak(lang);
      const text = sidebar.advice({ ...REPORT, recommendation: rec(code) });
      delete globalThis.chrome;
      assert.notEqual(text, 'ENGLISH FROM THE BACKEND');
      assert.ok(text.length > 20, text);
      assert.doesNotMatch(text, /\$\d|reason_|undefined|null/);
    });
  }
}

const ADVICE_CASES = [
  // lang, recommendation, words the advice says, words it must not say
  ['fr', rec('trap'), ['3 emails sans réponse', 'court message WhatsApp'], ['without an answer']],
  ['en', rec('trap', { channel: 'sms' }), ['3 emails without an answer', 'short SMS message'], []],
  ['fr', rec('opened'), ['ouverts 4 fois'], []],
  ['fr', rec('email_ok', { unanswered: 1 }), ['1 email sans réponse'], ['emails']],
  ['en', rec('email_ok', { unanswered: 1 }), ['1 email without an answer'], ['emails']],
  ['en', rec('email_ok', { unanswered: 2 }), ['2 emails without'], []],
  ['fr', rec('away'), ['décembre 2026', '2 jours ouvrés'], []],
  ['en', rec('too_soon'), ['December 1, 2026', 'WhatsApp'], []],
  ['en', rec('cap'), ['4 times in 30 days (at most 4)'], []],
  ['fr', rec('trap', {}, ['no_phone']), ['Aucun numéro connu'], []],
  ['fr', rec('trap'), [], ['Aucun numéro']],
  ['fr', rec('trap', {}, ['incomplete']), [], ['repliés']], // the panel's own warning says it
  // Unknown, empty or unfillable: the backend's own sentence.
  ['fr', rec('a_new_rule'), ['ENGLISH FROM THE BACKEND'], []],
  ['fr', rec(''), ['ENGLISH FROM THE BACKEND'], []],
  ['fr', { ...rec('trap'), code: undefined }, ['ENGLISH FROM THE BACKEND'], []],
  ['fr', rec('away', { until: null }), ['ENGLISH FROM THE BACKEND'], []],
  ['fr', rec('trap', { channel: 'fax' }), ['ENGLISH FROM THE BACKEND'], []],
];
for (const [lang, recommendation, says, never] of ADVICE_CASES) {
  test(`advice ${recommendation.code} (${lang}) says ${says.join(', ') || 'no more'}`, () => {
    speak(lang);
    const text = sidebar.advice({ ...REPORT, recommendation });
    delete globalThis.chrome;
    for (const w of says) assert.ok(text.includes(w), `${w} in ${text}`);
    for (const w of never) assert.ok(!text.includes(w), `${w} not in ${text}`);
  });
}

test('the sidebar shows the advice in the UI language, with its code', () => {
  fresh();
  speak('fr');
  sidebar.showReport({ report: { ...REPORT, recommendation: rec('trap') }, thread: THREAD }, {});
  const reason = root().querySelector('[data-max="reason"]');
  delete globalThis.chrome;
  assert.equal(reason.dataset.maxCode, 'trap');
  assert.match(reason.textContent, /^3 emails sans réponse/);
});

test('a bare date is the calendar day written, whatever the time zone', () => {
  speak('en');
  const text = sidebar.advice({ ...REPORT, recommendation: rec('away', { until: '2026-12-04' }) });
  delete globalThis.chrome;
  assert.match(text, /December 4, 2026/);
});

const MARK_CASES = [
  // what the backend answers, whether the button comes back, what the status says
  [{ ok: true, data: { id: 's1' } }, false, ''],
  [{ ok: false, error: { code: 'unreachable' } }, true, 'markSentFailed'],
];
for (const [answer, again, status] of MARK_CASES) {
  test(`mark as sent, the backend answers ${answer.ok ? 'ok' : answer.error.code}`, async () => {
    fresh();
    const asked = [];
    const onMarkSent = async (id) => {
      asked.push(id);
      return answer;
    };
    sidebar.showReport({ report: REPORT, thread: THREAD, suggestion: { ...SUGGESTION, id: 's1' } }, { onMarkSent });
    const button = root().querySelector('[data-max="mark-sent"]');
    assert.equal(button.textContent, 'markSent');
    userClick(button);
    assert.equal(button.disabled, true, 'one click at a time');
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(asked, ['s1']);
    assert.equal(button.disabled, !again);
    assert.equal(button.nextElementSibling.textContent, status);
  });
}

test('no suggestion id (an older backend): no mark-as-sent control', () => {
  fresh();
  sidebar.showReport({ report: REPORT, thread: THREAD, suggestion: SUGGESTION }, { onMarkSent: async () => ({}) });
  assert.equal(root().querySelector('[data-max="mark-sent"]'), null);
});

test('a message asked without the account: the sidebar says the account is unknown', () => {
  fresh();
  speak('en');
  sidebar.showReport({ report: REPORT, thread: THREAD, suggestionError: { code: 'no_account' } }, {});
  delete globalThis.chrome;
  const said = root().querySelector('[data-max-state="no_account"]').textContent;
  assert.match(said, /^No message suggestion this time: MAX needs to know your Gmail address/);
});

test('folded to its chip and opened again, as the person asks', () => {
  fresh();
  const asked = [];
  sidebar.showReport({ report: REPORT, thread: THREAD }, { onToggle: (open) => asked.push(open) });
  userClick(root().querySelector('[data-max-action="fold"]'));
  const chip = document.querySelector('[data-max="chip"]');
  userClick(chip.shadowRoot.querySelector('button'));
  assert.deepEqual(asked, [false, false], 'open: fold, and the chip folds too');
  sidebar.setOpen(false);
  assert.equal(document.querySelector('[data-max="sidebar"]').hidden, true);
  assert.equal(chip.shadowRoot.querySelector('button').getAttribute('aria-expanded'), 'false');
  assert.equal(chip.dataset.maxLevel, 'trap', 'the chip still says the level');
  userClick(chip.shadowRoot.querySelector('button'));
  assert.deepEqual(asked, [false, false, true]);
  sidebar.setOpen(true);
  assert.equal(document.querySelector('[data-max="sidebar"]').hidden, false);
});

test('nothing is left on the page once MAX leaves the thread', () => {
  fresh();
  sidebar.showReport({ report: REPORT, thread: THREAD }, {});
  assert.ok(document.querySelector('.max-column'));
  sidebar.remove();
  assert.equal(document.querySelector('[data-max]'), null);
  assert.equal(document.querySelector('[class*="max-"]'), null);
});

const ABSENCES = [
  // display.absence, what the panel says
  ['away', 'absence_away'],
  ['back', 'absence_back'],
  [null, null],
];
for (const [absence, key] of ABSENCES) {
  test(`an announced return date, ${absence ?? 'none'}: ${key ?? 'nothing said'}`, () => {
    fresh();
    const report = { ...REPORT, wait_until: '2026-12-15', display: { absence } };
    sidebar.showReport({ report, thread: THREAD }, {});
    assert.equal(root().querySelector('[data-max="absence"]')?.textContent ?? null, key);
  });
}

// Gmail's page is untrusted and the shadow root is open: a script there can find every MAX
// button and click() it or dispatch a click. Only a person's own click acts (dom-build's el).
test("a page script's clicks on mark-as-sent, copy, the channels and the settings do nothing", async () => {
  fresh();
  const done = [];
  const actions = {
    onMarkSent: async (id) => done.push(`sent ${id}`),
    onChannel: (c) => done.push(`channel ${c}`),
    onOpenOptions: () => done.push('options'),
  };
  sidebar.showReport({ report: REPORT, thread: THREAD, suggestion: { ...SUGGESTION, id: 's1' } }, actions);
  const r = root();
  const copied = [];
  const clipboard = { writeText: async (text) => copied.push(text) };
  Object.defineProperty(globalThis, 'navigator', { value: { clipboard }, configurable: true, writable: true });
  const targets = ['[data-max="mark-sent"]', '[data-max="copy"]', '[data-max-channel="sms"]'];
  for (const selector of targets) {
    const button = r.querySelector(selector);
    button.click();
    button.dispatchEvent(new window.MouseEvent('click', { bubbles: true, composed: true }));
  }
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual([done, copied], [[], []]);
  assert.equal(r.querySelector('[data-max="mark-sent"]').disabled, false);
  // The same controls, clicked by a person.
  for (const selector of targets) userClick(r.querySelector(selector));
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(done, ['sent s1', 'channel sms']);
  assert.deepEqual(copied, [SUGGESTION.text]);
  sidebar.showError({ code: 'not_paired' }, actions);
  root().querySelector('[data-max-action="options"]').click();
  assert.deepEqual(done, ['sent s1', 'channel sms'], 'not the settings either');
});

test("dom.el wires its listeners for a person's own events only", () => {
  fresh();
  const seen = [];
  const button = dom.el('button', { on: { click: (e) => seen.push(e.isTrusted) } });
  document.body.append(button);
  button.click();
  userClick(button);
  assert.deepEqual(seen, [true]);
});

test('another Gmail account open: the sidebar names it and the confirmed one', () => {
  fresh();
  const asked = [];
  globalThis.chrome = { i18n: { getMessage: (key, subs) => (asked.push([key, subs]), key) } };
  try {
    sidebar.showError({ code: 'wrong_account', args: ['other@gmail.com', 'paul@acme.fr'] }, {});
  } finally {
    delete globalThis.chrome;
  }
  assert.deepEqual(
    asked.find(([key]) => key === 'error_wrong_account'),
    ['error_wrong_account', ['other@gmail.com', 'paul@acme.fr']],
  );
});
