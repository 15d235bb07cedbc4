// Tests extension/content/send-hold.js on the composes of fixtures/ (compose-reply.html: Send +
// Archive, Send, Send's options arrow and "Schedule send"; compose-popup.html: a new message):
// which events are a Send, the first Send held once, "send anyway" activating the very button the
// user pressed, and never a hold otherwise. The user's clicks and keys are dispatched trusted
// (userClick, userKey), as the browser does; el.click() and dispatchEvent are a page script's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fixture, installDom, loadScripts, userClick, userKey } from './jsdom-env.mjs';

const PAGE = `${fixture('compose-reply.html')}${fixture('compose-popup.html')}
  <div role="button" class="T-I J-J5-Ji aap L3" aria-haspopup="true" id="message-more">More</div>`;

installDom(PAGE);
const { sendHold } = await loadScripts('lib/gmail-dom.js', 'content/dom-build.js', 'content/send-hold.js');

// Which control a click or key reached: the page's own listeners at the target (bubble phase),
// which MAX's capture-phase hold must stop before they run.
function setup(shouldHold) {
  const { window } = installDom(PAGE);
  const doc = window.document;
  const activated = [];
  for (const id of ['fixture-send', 'fixture-send-archive', 'fixture-send-options', 'fixture-popup-send']) {
    const el = doc.getElementById(id);
    el.addEventListener('click', () => activated.push(`click ${id}`));
    el.addEventListener('keydown', (e) => activated.push(`${e.ctrlKey || e.metaKey ? 'ctrl+' : ''}${e.key} ${id}`));
  }
  const held = [];
  const uninstall = sendHold.install(doc, {
    shouldHold: () => shouldHold,
    onHold: (compose, sendAnyway) => held.push({ compose, sendAnyway }),
  });
  return { window, doc, activated, held, uninstall };
}

const key = (window, target, init) => userKey(target, init);
const scriptKey = (window, target, init) =>
  target.dispatchEvent(new window.KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
const byId = (d, id) => d.getElementById(id);
const body = (d, composeId) =>
  d.querySelector(`input[value="${composeId}"]`).closest('.M9').querySelector('[g_editable]');

const ATTEMPTS = [
  // what the user does, is it a Send attempt
  ['click Send', (w, d) => userClick(byId(d, 'fixture-send')), true],
  ['click Send + Archive', (w, d) => userClick(byId(d, 'fixture-send-archive')), true],
  ['click Send in a popup compose', (w, d) => userClick(byId(d, 'fixture-popup-send')), true],
  ['Enter on Send', (w, d) => key(w, byId(d, 'fixture-send'), { key: 'Enter' }), true],
  ['Space on Send + Archive', (w, d) => key(w, byId(d, 'fixture-send-archive'), { key: ' ' }), true],
  ['Ctrl+Enter in the body', (w, d) => key(w, body(d, 'fixture-compose'), { key: 'Enter', ctrlKey: true }), true],
  ['Cmd+Enter in the popup body', (w, d) => key(w, body(d, 'fixture-popup'), { key: 'Enter', metaKey: true }), true],
  ['Enter in the body', (w, d) => key(w, body(d, 'fixture-compose'), { key: 'Enter' }), false],
  ["click Send's options arrow", (w, d) => userClick(byId(d, 'fixture-send-options')), false],
  ["click inside the arrow's icon", (w, d) => userClick(byId(d, 'fixture-send-options').firstElementChild), false],
  ['Enter on the options arrow', (w, d) => key(w, byId(d, 'fixture-send-options'), { key: 'Enter' }), false],
  ['click "Schedule send"', (w, d) => userClick(byId(d, 'fixture-schedule-send')), false],
  ["click the popup's options arrow", (w, d) => userClick(byId(d, 'fixture-popup-send-options')), false],
  ['click Discard', (w, d) => userClick(byId(d, 'fixture-discard')), false],
  ["a message's More menu outside any compose", (w, d) => userClick(byId(d, 'message-more')), false],
];
for (const [name, act, isSend] of ATTEMPTS) {
  test(`${name}: ${isSend ? 'held in a trap thread' : 'never held'}`, () => {
    const { window, doc, held, activated } = setup(true);
    act(window, doc);
    assert.equal(held.length, isSend ? 1 : 0);
    if (isSend) assert.deepEqual(activated, [], 'the held event never reached Gmail');
  });
}

const SEND_ANYWAY = [
  // what the user pressed first, what "send anyway" then activates
  ['click Send', (w, d) => userClick(byId(d, 'fixture-send')), 'click fixture-send'],
  ['click Send + Archive', (w, d) => userClick(byId(d, 'fixture-send-archive')), 'click fixture-send-archive'],
  ['Enter on Send', (w, d) => key(w, byId(d, 'fixture-send'), { key: 'Enter' }), 'click fixture-send'],
  [
    'Ctrl+Enter in the body',
    (w, d) => key(w, body(d, 'fixture-compose'), { key: 'Enter', ctrlKey: true }),
    'click fixture-send',
  ],
  [
    'Cmd+Enter in the popup',
    (w, d) => key(w, body(d, 'fixture-popup'), { key: 'Enter', metaKey: true }),
    'click fixture-popup-send',
  ],
];
for (const [name, act, expected] of SEND_ANYWAY) {
  test(`held by ${name}, "send anyway" → ${expected}, never the options arrow`, () => {
    const { window, doc, held, activated } = setup(true);
    act(window, doc);
    held[0].sendAnyway();
    assert.deepEqual(activated, [expected]);
  });
}

test('"send anyway" is a full click (mousedown, mouseup, click) on the button', () => {
  const { window, doc, held } = setup(true);
  const seen = [];
  for (const type of ['mousedown', 'mouseup', 'click'])
    byId(doc, 'fixture-send').addEventListener(type, (e) => seen.push(`${e.type}${e.bubbles ? '' : '!'}`));
  key(window, body(doc, 'fixture-compose'), { key: 'Enter', ctrlKey: true });
  held[0].sendAnyway();
  assert.deepEqual(seen, ['mousedown', 'mouseup', 'click']);
});

test('with no Send button left, "send anyway" presses Ctrl+Enter in the compose', () => {
  const { window, doc, held } = setup(true);
  key(window, body(doc, 'fixture-compose'), { key: 'Enter', ctrlKey: true });
  byId(doc, 'fixture-send').remove();
  const shortcuts = [];
  doc.querySelector('.M9').addEventListener('keydown', (e) => shortcuts.push([e.key, e.ctrlKey]));
  held[0].sendAnyway();
  assert.deepEqual(shortcuts, [['Enter', true]]);
});

test('the first Send is held once; the second goes', () => {
  const { doc, activated, held } = setup(true);
  userClick(byId(doc, 'fixture-send'));
  assert.deepEqual([activated.length, held.length], [0, 1]);
  userClick(byId(doc, 'fixture-send'));
  assert.deepEqual([activated, held.length], [['click fixture-send'], 1]);
});

test('each compose is held once on its own: the popup after the reply', () => {
  const { doc, held } = setup(true);
  userClick(byId(doc, 'fixture-send'));
  userClick(byId(doc, 'fixture-popup-send'));
  assert.equal(held.length, 2);
  assert.notEqual(held[0].compose, held[1].compose);
  assert.ok(held[1].compose.closest('.AD'), 'the innermost compose root of the popup');
});

test('no hold when the thread is not at trap', () => {
  const { doc, activated, held } = setup(false);
  userClick(byId(doc, 'fixture-send'));
  assert.deepEqual([activated, held.length], [['click fixture-send'], 0]);
});

test('a failing decision lets the email go', () => {
  const { window } = installDom(PAGE);
  const doc = window.document;
  const sent = [];
  byId(doc, 'fixture-send').addEventListener('click', () => sent.push('click'));
  const warn = console.warn;
  console.warn = () => {};
  try {
    sendHold.install(doc, {
      shouldHold: () => {
        throw new Error('boom');
      },
      onHold: () => {},
    });
    userClick(byId(doc, 'fixture-send'));
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(sent, ['click']);
});

// A script in Gmail's page can click Send or press Ctrl+Enter too (el.click(), dispatchEvent):
// those events are untrusted. MAX neither holds them nor counts them as the user's Send.
const FORGED = [
  ['click() on Send', (w, d) => byId(d, 'fixture-send').click()],
  [
    'a dispatched click on Send + Archive',
    (w, d) =>
      byId(d, 'fixture-send-archive').dispatchEvent(new w.MouseEvent('click', { bubbles: true, cancelable: true })),
  ],
  [
    'a dispatched Ctrl+Enter in the body',
    (w, d) => scriptKey(w, body(d, 'fixture-compose'), { key: 'Enter', ctrlKey: true }),
  ],
  ['a dispatched Enter on Send', (w, d) => scriptKey(w, byId(d, 'fixture-send'), { key: 'Enter' })],
];
for (const [name, forge] of FORGED) {
  test(`${name} from a page script: not held, not the user's; their first real Send is still held`, () => {
    const { window, doc, held } = setup(true);
    // Past MAX's capture-phase hold, what reaches the page's own listeners, un-cancelled.
    const reached = [];
    doc.addEventListener('click', (e) => reached.push(!e.defaultPrevented));
    doc.addEventListener('keydown', (e) => reached.push(!e.defaultPrevented));
    forge(window, doc);
    assert.equal(held.length, 0, 'no hold spent on it');
    assert.deepEqual(reached, [true], 'it reaches Gmail untouched: a page script can always send by itself');
    userClick(byId(doc, 'fixture-send'));
    assert.equal(held.length, 1, "the user's own Send is held");
    assert.deepEqual(reached, [true], 'and stopped before Gmail');
  });
}

test('"send anyway" reaches Gmail through the listener and says once that the compose is sending', () => {
  const { window } = installDom(PAGE);
  const doc = window.document;
  const activated = [];
  byId(doc, 'fixture-send').addEventListener('click', (e) => activated.push(e.isTrusted));
  const held = [];
  const sent = [];
  sendHold.install(doc, {
    shouldHold: () => true,
    onHold: (compose, sendAnyway) => held.push(sendAnyway),
    onSend: (compose) => sent.push(compose.querySelector('input[name="composeid"]').value),
  });
  userClick(byId(doc, 'fixture-send'));
  assert.deepEqual([activated, sent], [[], []]);
  held[0]();
  assert.deepEqual(activated, [false], "MAX's own click, untrusted, is Gmail's to act on");
  assert.deepEqual(sent, ['fixture-compose'], 'the pixel goes in once, before the click');
});
