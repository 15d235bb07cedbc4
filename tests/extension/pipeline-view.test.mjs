// Tests extension/pipeline/pipeline-view.js, what the pipeline panel draws: the threads in the
// backend's order (never re-sorted), each with its level as the chip says it, the next action and
// its time in the user's clock, a person's click opening it; and "Did it work?" — a figure only
// where the backend gave one, "not enough cases yet (N/10)" otherwise.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, installDom, loadScripts, userClick } from './jsdom-env.mjs';

installDom();
const { pipelineView: view, i18n } = await loadScripts(
  'lib/contract.js',
  'lib/i18n.js',
  'lib/error-text.js',
  'content/dom-build.js',
  'content/chip.js',
  'pipeline/pipeline-view.js',
);

const messages = (lang) => JSON.parse(fs.readFileSync(path.join(ROOT, '_locales', lang, 'messages.json'), 'utf8'));

const rec = (channel, send_at) => ({ channel, send_at, code: 'trap', reason: '', facts: {}, notes: [] });
const report = (
  thread_id,
  level,
  unanswered,
  recommendation,
  prospect = { email: 'marc@batiplus.fr', name: 'Marc' },
) => ({
  thread_id,
  subject: `Subject ${thread_id}`,
  level,
  unanswered,
  complete: true,
  display: { level },
  prospect,
  recommendation,
});

const NEXT = [
  // lang, recommendation, the time zone of the user's clock, what the panel says
  ['en', rec('whatsapp', '2026-12-16T10:30:00+01:00'), 'Europe/Paris', 'WhatsApp · Dec 16, 2026, 10:30 AM'],
  ['en', rec('whatsapp', '2026-12-16T10:30:00+01:00'), 'America/New_York', 'WhatsApp · Dec 16, 2026, 4:30 AM'],
  ['fr', rec('sms', '2026-12-16T10:30:00+01:00'), 'Europe/Paris', 'SMS · 16 déc. 2026, 10:30'],
  ['en', rec('email', null), 'Europe/Paris', 'one more email'],
  ['fr', rec('wait', '2026-12-15T00:00:00+01:00'), 'Europe/Paris', 'attendre · 15 déc. 2026, 00:00'],
  ['en', rec('carrier-pigeon', 'not a date'), 'Europe/Paris', 'nothing to send'],
  ['en', null, 'Europe/Paris', 'nothing to send'],
];
for (const [lang, recommendation, zone, said] of NEXT) {
  test(`${lang} ${JSON.stringify(recommendation)} in ${zone} → "${said}"`, () => {
    i18n.use(lang, messages(lang));
    assert.equal(view.nextAction({ recommendation }, zone).replace(/\u202f|\u00a0/g, ' '), said);
  });
}

test("the threads in the backend's order, each opening its own thread on a person's click only", () => {
  i18n.use('en', messages('en'));
  // Not the order a sort by level would give: the panel never re-sorts.
  const pipeline = {
    threads: [
      report('18f3a0c2b1d4e600', 'watch', 2, rec('email', null)),
      report('18f3a0c2b1d4e5f6', 'trap', 3, rec('whatsapp', '2026-12-16T10:30:00+01:00')),
      report('../pair', 'trap', 3, null),
    ],
  };
  const opened = [];
  const items = view.threadNodes(pipeline, (id) => opened.push(id));
  const buttons = items.map((li) => li.querySelector('[data-max="open-thread"]'));
  assert.deepEqual(
    buttons.map((b) => [b.dataset.maxThread, b.dataset.maxLevel]),
    [
      ['18f3a0c2b1d4e600', 'watch'],
      ['18f3a0c2b1d4e5f6', 'trap'],
    ],
  );
  assert.match(buttons[1].textContent, /3 · Trap/);
  assert.match(buttons[1].textContent, /Marc — WhatsApp · /);
  buttons[1].click(); // a script's click
  assert.deepEqual(opened, []);
  userClick(buttons[1]);
  assert.deepEqual(opened, ['18f3a0c2b1d4e5f6']);
});

const outcome = (cases, answered, reply_rate, median_hours_to_reply) => ({
  cases,
  answered,
  reply_rate,
  median_hours_to_reply,
});
const STATS = [
  // lang, Stats, the two rows' text
  [
    'en',
    { after_pivot: outcome(4, 2, null, null), after_third_email: outcome(0, 0, null, null), min_cases: 10 },
    ['After a WhatsApp/SMSnot enough cases yet (4/10)', 'After a third emailnot enough cases yet (0/10)'],
  ],
  [
    'en',
    { after_pivot: outcome(12, 6, 0.5, 5.25), after_third_email: outcome(30, 3, 0.1, null), min_cases: 10 },
    ['After a WhatsApp/SMS50% (6 of 12)5.3 h', 'After a third email10% (3 of 30)—'],
  ],
  [
    'fr',
    { after_pivot: outcome(12, 6, 0.5, 5.25), after_third_email: outcome(9, 1, 0.11, 2), min_cases: 10 },
    // a figure under min_cases, were the backend to send one, is still not shown
    ['Après un WhatsApp/SMS50 % (6 sur 12)5,3 h', 'Après un troisième emailpas encore assez de cas (9/10)'],
  ],
];
for (const [lang, stats, rows] of STATS) {
  test(`${lang} stats ${JSON.stringify(stats).slice(0, 70)}…`, () => {
    i18n.use(lang, messages(lang));
    const text = view.statsRows(stats).map((tr) => tr.textContent.replace(/\u202f|\u00a0/g, ' '));
    assert.deepEqual(text, rows);
  });
}
