// Tests extension/lib/reminder-plan.js (when a reminder rings, from the core's windows) and
// extension/reminders.js (what is kept, scheduled, shown) over in-memory stand-ins for Chrome's
// storage, alarms and notifications. The report the plan reads is the backend's own: the
// e2e (test_e2e_reminder.py) runs it all in Chromium against the real backend.
import test from 'node:test';
import assert from 'node:assert/strict';
import '../../extension/lib/contract.js';
import '../../extension/lib/reminder-plan.js';
import '../../extension/lib/clock.js';
import fs from 'node:fs';
import path from 'node:path';
import { createReminders, reminderOf, wordsIn, PREFIX } from '../../extension/reminders.js';
import { ROOT } from './jsdom-env.mjs';

const { reminderPlan: plan, createClock } = globalThis.MAX;
const HOUR = 3_600_000;
const MIN = 60_000;
const at = (iso) => Date.parse(iso);

// Three days' windows in Paris winter time (+01:00), as the core writes them.
const SLOTS = [
  { opens: '2026-12-08T09:00:00+01:00', best: '2026-12-08T10:30:00+01:00', closes: '2026-12-08T17:45:00+01:00' },
  { opens: '2026-12-09T09:00:00+01:00', best: '2026-12-09T10:30:00+01:00', closes: '2026-12-09T17:45:00+01:00' },
  { opens: '2026-12-10T09:00:00+01:00', best: '2026-12-10T10:30:00+01:00', closes: '2026-12-10T17:45:00+01:00' },
];
const THREAD = '18f3a0c2b1d4e5f6';

function report({ offer = true, slots = SLOTS, channel = 'whatsapp', thread = THREAD } = {}) {
  return {
    thread_id: thread,
    subject: 'Proposition Acme',
    prospect: { email: 'marc@client.fr', name: 'Marc Dupont', phone: '+33612345678' },
    recommendation: { channel, send_at: slots[0]?.best ?? null, code: 'trap', slots },
    display: { offer_message: offer, level: 'trap' },
  };
}

test('slotsOf keeps well-formed windows only, in order', () => {
  const bad = [
    { opens: 'x', best: 'y', closes: 'z' },
    { opens: SLOTS[0].closes, best: SLOTS[0].best, closes: SLOTS[0].opens },
    null,
  ];
  assert.deepEqual(
    plan.slotsOf([SLOTS[2], ...bad, SLOTS[0]]).map((s) => s.iso),
    [SLOTS[0].best, SLOTS[2].best],
  );
  assert.deepEqual(plan.slotsOf('not a list'), []);
});

const RING_AT = [
  ['days before: the first slot', '2026-12-07T18:00:00+01:00', SLOTS[0].best],
  ['the first slot is now: the next day', '2026-12-08T10:25:00+01:00', SLOTS[1].best],
  ['within SOON of the first: the next', '2026-12-08T10:16:00+01:00', SLOTS[1].best],
  ['just over SOON before: the first', '2026-12-08T10:14:00+01:00', SLOTS[0].best],
  ['after every slot: none', '2026-12-10T11:00:00+01:00', null],
];
for (const [name, now, expected] of RING_AT)
  test(`ringAt: ${name}`, () => assert.equal(plan.ringAt(SLOTS, at(now)), expected && at(expected)));

const AT_RING = [
  ['inside the first window', report(), '2026-12-08T10:30:00+01:00', { action: 'notify' }],
  ['late but inside the window', report(), '2026-12-08T17:40:00+01:00', { action: 'notify' }],
  [
    'after the window closed: the next day',
    report(),
    '2026-12-08T19:00:00+01:00',
    { action: 'wait', when: at(SLOTS[1].best) },
  ],
  [
    'before it opens (an alarm early)',
    report(),
    '2026-12-08T07:00:00+01:00',
    { action: 'wait', when: at(SLOTS[0].best) },
  ],
  ['past every window', report(), '2026-12-11T09:00:00+01:00', { action: 'drop' }],
  ['no longer the advice', report({ offer: false }), '2026-12-08T10:30:00+01:00', { action: 'drop' }],
  ['no report (not at risk)', null, '2026-12-08T10:30:00+01:00', { action: 'drop' }],
  ['no slots', report({ slots: [] }), '2026-12-08T10:30:00+01:00', { action: 'drop' }],
];
for (const [name, r, now, expected] of AT_RING)
  test(`atRing: ${name}`, () => assert.deepEqual(plan.atRing(r, at(now)), expected));

const SNOOZE = [
  ['an hour, inside the window', '2026-12-08T10:30:00+01:00', 'hour', '2026-12-08T11:30:00+01:00'],
  ['an hour past closing: the next best', '2026-12-08T17:00:00+01:00', 'hour', SLOTS[1].best],
  ['tomorrow: the next day', '2026-12-08T10:30:00+01:00', 'tomorrow', SLOTS[1].best],
  // 23:30 UTC is already the 9th in Paris: "tomorrow" is the 10th there.
  ['tomorrow, at the prospect offset', '2026-12-08T23:30:00Z', 'tomorrow', SLOTS[2].best],
  ['tomorrow on the last day: none', '2026-12-10T10:30:00+01:00', 'tomorrow', null],
  ['an unknown kind', '2026-12-08T10:30:00+01:00', 'week', null],
];
for (const [name, now, kind, expected] of SNOOZE)
  test(`snoozeUntil: ${name}`, () => assert.equal(plan.snoozeUntil(SLOTS, at(now), kind), expected && at(expected)));

test('retryAt: ten minutes later inside a window, else the next best', () => {
  assert.equal(plan.retryAt(SLOTS, at('2026-12-08T11:00:00+01:00')), at('2026-12-08T11:10:00+01:00'));
  assert.equal(plan.retryAt(SLOTS, at('2026-12-08T17:40:00+01:00')), at(SLOTS[1].best));
});

test('reminderOf: a phone pivot only, with the Gmail account it was read in', () => {
  const r = reminderOf(report(), 'https://mail.google.com/mail/u/2/#inbox/18f3a0c2b1d4e5f6');
  assert.equal(r.account, 'https://mail.google.com/mail/u/2/');
  assert.equal(r.name, 'Marc Dupont');
  assert.equal(r.channel, 'whatsapp');
  assert.deepEqual(r.slots, SLOTS);
  assert.equal(reminderOf(report({ offer: false })), null);
  assert.equal(reminderOf(report({ channel: 'email' })), null);
  assert.equal(reminderOf(report({ thread: '../../x' })), null);
  assert.equal(reminderOf(report(), 'https://evil.example/mail/u/2/').account, null);
});

// Chrome's storage, alarms and notifications as the reminder uses them, in memory.
function world({ now, offset = 0, words = null } = {}) {
  const w = {
    stored: undefined,
    alarms: new Map(),
    shown: new Map(),
    opened: [],
    answers: [],
    clockNow: now,
    enabled: true,
  };
  const session = { get: async () => ({ clockOffsetMs: offset }) };
  const real = createClock(session);
  w.reminders = createReminders({
    store: { load: async () => structuredClone(w.stored), save: async (v) => void (w.stored = structuredClone(v)) },
    alarms: {
      create: async (name, { when }) => void w.alarms.set(name, when),
      clear: async (name) => w.alarms.delete(name),
      getAll: async () => [...w.alarms].map(([name, scheduledTime]) => ({ name, scheduledTime })),
    },
    notifications: {
      create: async (id, options) => void w.shown.set(id, options),
      clear: async (id) => w.shown.delete(id),
    },
    clock: { now: async () => w.clockNow, real: real.real },
    recheck: async (threadId, nowMs) => {
      w.asked = { threadId, nowMs };
      return w.answers.shift() ?? { ok: true, report: report({ thread: threadId }) };
    },
    open: async (threadId, account) => void w.opened.push([threadId, account]),
    words: async () =>
      words ?? {
        t: (key, subs = []) => `${key}(${subs.join('|')})`,
        time: (ms) => new Date(ms).toISOString().slice(11, 16),
      },
    enabled: async () => w.enabled,
    iconUrl: 'chrome-extension://x/icons/icon-128.png',
  });
  // Chrome drops a one-shot alarm as it rings it.
  w.fire = (name) => {
    w.alarms.delete(name);
    return w.reminders.ring(name);
  };
  return w;
}
const NAME = PREFIX + THREAD;

test('a reading schedules the alarm at the slot, on the real clock when a fake one is set', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00'), offset: 5 * HOUR });
  await w.reminders.heard(report(), 'https://mail.google.com/mail/u/0/#inbox');
  assert.equal(w.alarms.get(NAME), at(SLOTS[0].best) - 5 * HOUR);
  assert.equal(w.stored[THREAD].when, at(SLOTS[0].best));
});

test('a reading whose advice is no longer a phone message drops the reminder and its alarm', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00') });
  await w.reminders.heard(report(), null);
  await w.reminders.heard(report({ offer: false }), null);
  assert.equal(w.alarms.size, 0);
  assert.deepEqual(w.stored, {});
});

test('ringing inside the window shows the notification; its click opens the thread in its account', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00') });
  await w.reminders.heard(report(), 'https://mail.google.com/mail/u/1/#inbox/x');
  w.clockNow = at(SLOTS[0].best);
  await w.fire(NAME);
  assert.deepEqual(w.asked, { threadId: THREAD, nowMs: at(SLOTS[0].best) });
  const shown = w.shown.get(NAME);
  assert.equal(shown.title, 'reminderTitle(09:30|Marc Dupont|channel_whatsapp())');
  assert.equal(shown.message, 'reminderBody(Proposition Acme)');
  assert.deepEqual(
    shown.buttons.map((b) => b.title),
    ['reminderSnoozeHour()', 'reminderSnoozeTomorrow(09:30)'],
  );
  await w.reminders.clicked(NAME);
  assert.deepEqual(w.opened, [[THREAD, 'https://mail.google.com/mail/u/1/']]);
  assert.equal(w.shown.size, 0);
  assert.deepEqual(w.stored, {});
});

const SILENT = [
  ['they answered (no longer at risk)', { ok: true, report: null }],
  ['the answer is about another thread', { ok: true, report: report({ thread: '18f3a0c2b1d4e600' }) }],
  ['the advice is now to wait', { ok: true, report: report({ offer: false }) }],
];
for (const [name, answer] of SILENT)
  test(`no notification at ring time when ${name}`, async () => {
    const w = world({ now: at('2026-12-07T18:00:00+01:00') });
    await w.reminders.heard(report(), null);
    w.clockNow = at(SLOTS[0].best);
    w.answers.push(answer);
    await w.fire(NAME);
    assert.equal(w.shown.size, 0);
    assert.equal(w.alarms.size, 0);
    assert.deepEqual(w.stored, {});
  });

test('a backend that does not answer at ring time is asked again ten minutes later, no notification', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00') });
  await w.reminders.heard(report(), null);
  w.clockNow = at(SLOTS[0].best);
  w.answers.push({ ok: false, error: { code: 'unreachable' } });
  await w.fire(NAME);
  assert.equal(w.shown.size, 0);
  assert.equal(w.alarms.get(NAME), at(SLOTS[0].best) + 10 * MIN);
});

test('a late ring (the browser was closed) waits for the next window instead of ringing at night', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00') });
  await w.reminders.heard(report(), null);
  w.clockNow = at('2026-12-08T22:00:00+01:00');
  await w.fire(NAME);
  assert.equal(w.shown.size, 0);
  assert.equal(w.alarms.get(NAME), at(SLOTS[1].best));
});

test('snooze an hour, then tomorrow; a new reading keeps the snooze', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00') });
  await w.reminders.heard(report(), null);
  w.clockNow = at(SLOTS[0].best);
  await w.fire(NAME);
  await w.reminders.snoozed(NAME, 0);
  assert.equal(w.shown.size, 0);
  assert.equal(w.alarms.get(NAME), at('2026-12-08T11:30:00+01:00'));
  await w.reminders.heard(report(), null); // the user glances at the thread meanwhile
  assert.equal(w.alarms.get(NAME), at('2026-12-08T11:30:00+01:00'));
  w.clockNow = at('2026-12-08T11:30:00+01:00');
  await w.fire(NAME);
  assert.ok(w.shown.has(NAME));
  await w.reminders.snoozed(NAME, 1);
  assert.equal(w.alarms.get(NAME), at(SLOTS[1].best));
});

test('closed by the user: dropped; a notification MAX clears itself is not a dismissal', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00') });
  await w.reminders.heard(report(), null);
  await w.reminders.closed(NAME, false);
  assert.ok(w.stored[THREAD]);
  await w.reminders.closed(NAME, true);
  assert.deepEqual(w.stored, {});
});

test('restore puts back an alarm Chrome dropped, and drops malformed records', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00') });
  await w.reminders.heard(report(), null);
  w.alarms.clear(); // a browser restart that lost the alarms
  w.stored['not-a-thread'] = { when: 1 };
  w.stored['18f3a0c2b1d4e700'] = { when: 'soon' };
  await w.reminders.restore();
  assert.equal(w.alarms.get(NAME), at(SLOTS[0].best));
  assert.deepEqual(Object.keys(w.stored), [THREAD]);
});

test('two readings at once both keep their reminder (one queue)', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00') });
  const other = '18f3a0c2b1d4e600';
  await Promise.all([w.reminders.heard(report(), null), w.reminders.heard(report({ thread: other }), null)]);
  assert.deepEqual(Object.keys(w.stored).sort(), [THREAD, other].sort());
  assert.equal(w.alarms.size, 2);
});

test('an alarm or a notification that is not a reminder of a kept thread does nothing', async () => {
  const w = world({ now: at('2026-12-08T10:30:00+01:00') });
  await w.fire(`${PREFIX}../x`);
  await w.fire(NAME);
  await w.reminders.clicked(NAME);
  assert.equal(w.asked, undefined);
  assert.deepEqual(w.opened, []);
});

test('the clock moved (restore(true)): every kept alarm moves with it; one on screen stays', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00') });
  await w.reminders.heard(report(), null);
  await w.reminders.heard(report({ thread: '18f3a0c2b1d4e600' }), null);
  w.clockNow = at(SLOTS[0].best);
  await w.fire(`${PREFIX}18f3a0c2b1d4e600`); // on screen now: no alarm to move
  w.alarms.set(NAME, 1); // an alarm at the old clock's time
  await w.reminders.restore(); // not moved: an alarm that exists is left alone
  assert.equal(w.alarms.get(NAME), 1);
  await w.reminders.restore(true);
  assert.equal(w.alarms.get(NAME), at(SLOTS[0].best));
  assert.equal(w.alarms.has(`${PREFIX}18f3a0c2b1d4e600`), false);
});

test('the reminder turned off: no new one, none rings, clear drops every kept one', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00') });
  await w.reminders.heard(report(), null);
  await w.reminders.heard(report({ thread: '18f3a0c2b1d4e600' }), null);
  w.enabled = false;
  await w.reminders.heard(report({ thread: '18f3a0c2b1d4e700' }), null);
  assert.equal(Object.keys(w.stored).length, 2);
  w.clockNow = at(SLOTS[0].best);
  await w.fire(NAME);
  assert.equal(w.shown.size, 0);
  assert.equal(w.asked, undefined, 'the backend is not even asked');
  await w.reminders.clear();
  assert.deepEqual(w.stored, {});
  assert.equal(w.alarms.size, 0);
});

test('the pipeline plans a reminder for each phone pivot, keeping what is planned or on screen', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00') });
  const [a, b, c] = ['18f3a0c2b1d4e601', '18f3a0c2b1d4e602', '18f3a0c2b1d4e603'];
  await w.reminders.heard(report({ thread: a }), 'https://mail.google.com/mail/u/1/');
  await w.reminders.snoozed(`${PREFIX}${a}`, 0); // not on screen: no-op
  const planned = w.stored[a].when;
  w.clockNow = at('2026-12-08T10:20:00+01:00'); // ten minutes before a's slot
  await w.reminders.heard(report({ thread: b }), null);
  w.stored[b].shown = { title: 'on screen' }; // b is showing
  await w.reminders.heardAll([
    report({ thread: a }),
    report({ thread: b, offer: false }),
    report({ thread: c }),
    { thread_id: '../x' },
  ]);
  assert.equal(w.stored[a].when, planned, 'a refresh does not push a planned reminder to tomorrow');
  assert.equal(w.stored[a].account, 'https://mail.google.com/mail/u/1/');
  assert.deepEqual(w.stored[b].shown, { title: 'on screen' }, 'one on screen stays');
  assert.equal(w.stored[c].when, at(SLOTS[1].best), 'a new one: the first slot not starting now');
  assert.equal(w.alarms.get(`${PREFIX}${c}`), at(SLOTS[1].best));
  await w.reminders.heardAll([report({ thread: c, offer: false })]);
  assert.equal(w.stored[c], undefined);
  assert.equal(w.alarms.has(`${PREFIX}${c}`), false);
  w.enabled = false;
  await w.reminders.heardAll([report({ thread: c })]);
  assert.equal(w.stored[c], undefined, 'turned off: none planned');
});

test('never more than three on screen: the fourth due waits ten minutes inside its window', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00') });
  const ids = ['18f3a0c2b1d4e601', '18f3a0c2b1d4e602', '18f3a0c2b1d4e603', '18f3a0c2b1d4e604'];
  await w.reminders.heardAll(ids.map((thread) => report({ thread })));
  w.clockNow = at(SLOTS[0].best);
  for (const id of ids) await w.fire(PREFIX + id);
  assert.deepEqual(
    [...w.shown.keys()],
    ids.slice(0, 3).map((id) => PREFIX + id),
  );
  assert.equal(w.alarms.get(PREFIX + ids[3]), at(SLOTS[0].best) + 10 * MIN);
});

const messages = (lang) => JSON.parse(fs.readFileSync(path.join(ROOT, '_locales', lang, 'messages.json'), 'utf8'));
const SAYS = [
  ['en', '10:30 AM for Marc Dupont: your WhatsApp message is ready', 'In an hour', 'Tomorrow, 10:30 AM'],
  ['fr', '10:30 pour Marc Dupont : votre message WhatsApp est prêt', 'Dans une heure', 'Demain, 10:30'],
];
for (const [lang, title, hour, tomorrow] of SAYS)
  test(`the notification in ${lang}, from its messages.json`, async () => {
    const words = wordsIn(lang, messages(lang));
    // Times in the user's clock: pinned here to the prospect's (Paris) to compare the words.
    const paris = new Intl.DateTimeFormat(lang, { timeStyle: 'short', timeZone: 'Europe/Paris' });
    const w = world({ now: at('2026-12-07T18:00:00+01:00'), words: { ...words, time: (ms) => paris.format(ms) } });
    await w.reminders.heard(report(), null);
    w.clockNow = at(SLOTS[0].best);
    await w.fire(NAME);
    const shown = w.shown.get(NAME);
    const plain = (text) => text.replace(/\u202f/g, ' '); // ICU versions differ: U+202F before AM
    assert.equal(plain(shown.title), title);
    assert.ok(shown.message.includes('Proposition Acme'), shown.message);
    assert.deepEqual(
      shown.buttons.map((b) => plain(b.title)),
      [hour, tomorrow],
    );
    assert.equal(words.t('noSuchKey'), 'noSuchKey');
  });

test('a poisoned email: a huge or marked-up sender name and subject stay short plain text', async () => {
  const w = world({ now: at('2026-12-07T18:00:00+01:00') });
  const poisoned = report();
  poisoned.prospect = { email: 'x@evil.example', name: `<img src=x onerror=alert(1)>\n${'A'.repeat(10_000)}` };
  poisoned.subject = `Re: ${'B'.repeat(10_000)}`;
  await w.reminders.heard(poisoned, null);
  assert.equal(w.stored[THREAD].name.length, 80);
  assert.equal(w.stored[THREAD].subject.length, 120);
  w.clockNow = at(SLOTS[0].best);
  await w.fire(NAME);
  const { title, message } = w.shown.get(NAME);
  // chrome.notifications shows text, never markup; what reaches it is bounded.
  assert.ok(title.length < 200 && message.length < 200, `${title.length} ${message.length}`);
});
