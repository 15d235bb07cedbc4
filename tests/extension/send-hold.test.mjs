// Tests extension/content/send-hold.js on a compose built from gmail-page.md's selectors: which
// events are a Send, the first Send held once, "send anyway" sending, and never a hold otherwise.
import test from 'node:test';
import assert from 'node:assert/strict';
import { installDom, loadScripts } from './jsdom-env.mjs';

const COMPOSE = `
  <div class="M9"><form>
    <input type="hidden" name="lts" value="18f3a0c2b1d4e5f6">
    <div class="Ap"><div g_editable="true" contenteditable="true" id="body"></div></div>
    <div class="IZ"><div class="Up"><div>
      <div role="button" class="T-I T-I-atl" id="send">Send</div>
      <div role="button" aria-haspopup="true" id="more">▾</div>
    </div></div></div>
  </div></form></div>
  <div role="button" class="T-I" id="elsewhere">Archive</div>`;

installDom(COMPOSE);
const { sendHold } = await loadScripts('content/dom-build.js', 'content/send-hold.js');

function setup(shouldHold) {
  const { window } = installDom(COMPOSE);
  const doc = window.document;
  const sent = [];
  const held = [];
  doc.getElementById('send').addEventListener('click', () => sent.push('click'));
  const uninstall = sendHold.install(doc, {
    shouldHold: () => shouldHold,
    onHold: (compose, sendAnyway) => held.push(sendAnyway),
  });
  return { window, doc, sent, held, uninstall };
}

const key = (window, target, init) =>
  target.dispatchEvent(new window.KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));

const ATTEMPTS = [
  // what the user does, is it a Send attempt
  ['click Send', (w, d) => d.getElementById('send').click(), true],
  ['Enter on Send', (w, d) => key(w, d.getElementById('send'), { key: 'Enter' }), true],
  ['Space on Send', (w, d) => key(w, d.getElementById('send'), { key: ' ' }), true],
  ['Ctrl+Enter in the body', (w, d) => key(w, d.getElementById('body'), { key: 'Enter', ctrlKey: true }), true],
  ['Cmd+Enter in the body', (w, d) => key(w, d.getElementById('body'), { key: 'Enter', metaKey: true }), true],
  ['Enter in the body', (w, d) => key(w, d.getElementById('body'), { key: 'Enter' }), false],
  ['the send-options menu', (w, d) => d.getElementById('more').click(), false],
  ['a button outside the compose', (w, d) => d.getElementById('elsewhere').click(), false],
];
for (const [name, act, isSend] of ATTEMPTS) {
  test(`${name}: ${isSend ? 'held in a trap thread' : 'never held'}`, () => {
    const { window, doc, held } = setup(true);
    act(window, doc);
    assert.equal(held.length, isSend ? 1 : 0);
  });
}

test('the first Send is held once; the second goes', () => {
  const { doc, sent, held } = setup(true);
  doc.getElementById('send').click();
  assert.deepEqual([sent.length, held.length], [0, 1]);
  doc.getElementById('send').click();
  assert.deepEqual([sent.length, held.length], [1, 1]);
});

test('"send anyway" sends', () => {
  const { doc, sent, held } = setup(true);
  doc.getElementById('send').click();
  held[0]();
  assert.deepEqual(sent, ['click']);
});

test('no hold when the thread is not at trap', () => {
  const { doc, sent, held } = setup(false);
  doc.getElementById('send').click();
  assert.deepEqual([sent.length, held.length], [1, 0]);
});

test('a failing decision lets the email go', () => {
  const { window } = installDom(COMPOSE);
  const doc = window.document;
  const sent = [];
  doc.getElementById('send').addEventListener('click', () => sent.push('click'));
  const warn = console.warn;
  console.warn = () => {};
  try {
    sendHold.install(doc, {
      shouldHold: () => {
        throw new Error('boom');
      },
      onHold: () => {},
    });
    doc.getElementById('send').click();
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(sent, ['click']);
});
