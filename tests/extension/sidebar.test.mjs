// Tests extension/content/sidebar.js in jsdom: what it shows for a report, a suggestion, and a
// backend that is down or not paired; links follow the edited text; the QR is parsed safely.
import test from 'node:test';
import assert from 'node:assert/strict';
import { installDom, loadScripts } from './jsdom-env.mjs';

installDom();
const { sidebar, dom } = await loadScripts('lib/i18n.js', 'content/dom-build.js', 'content/sidebar.js');

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
  recommendation: { channel: 'whatsapp', send_at: '2026-12-01T10:30:00+01:00', reason: 'Switch to WhatsApp.' },
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

function fresh() {
  installDom();
  sidebar.remove();
}

test('a trap report: level, why, what was ignored and for what, the recommendation and its reason', () => {
  fresh();
  sidebar.showReport({ report: REPORT, thread: THREAD }, { onChannel() {}, onOpenOptions() {} });
  const r = root();
  assert.equal(r.querySelector('[data-max-level]').dataset.maxLevel, 'trap');
  assert.ok(r.querySelector('[data-max="why"]'));
  assert.match(r.querySelector('[data-max="ignored"]').textContent, /Marc Lefèvre, .*reasonAutoReply/);
  assert.ok(r.querySelector('[data-max="recommendation"]'));
  assert.equal(r.querySelector('[data-max="reason"]').textContent, 'Switch to WhatsApp.');
  assert.equal(r.querySelector('[data-max="incomplete"]'), null);
});

test('an incomplete thread says so', () => {
  fresh();
  sidebar.showReport({ report: { ...REPORT, complete: false }, thread: THREAD }, {});
  assert.ok(root().querySelector('[data-max="incomplete"]'));
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
  r.querySelector('[data-max-channel="sms"]').click();
  r.querySelector('[data-max-channel="whatsapp"]').click(); // already chosen: no request
  assert.deepEqual(asked, ['sms']);
});

const ERRORS = [
  // code, what it says, whether the settings are offered as the fix
  ['unreachable', 'sidebarUnreachable', true],
  ['not_paired', 'sidebarNotPaired', true],
  ['no_account', 'sidebarNoAccount', false],
  ['bad_thread', 'sidebarError', true],
];
for (const [code, key, options] of ERRORS) {
  test(`backend error ${code}: said plainly${options ? ', with the way to the options' : ''}`, () => {
    fresh();
    let opened = 0;
    sidebar.showError({ code }, { onOpenOptions: () => opened++, backendUrl: 'http://127.0.0.1:8765' });
    const r = root();
    assert.equal(r.querySelector(`[data-max-state="${code}"]`).textContent, key);
    r.querySelector('[data-max-action="options"]')?.click();
    assert.equal(opened, options ? 1 : 0);
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
    assert.equal(sidebar.linkWithText(link, channel, text), expected));
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
