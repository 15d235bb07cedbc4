// Tests extension/content/list-chips.js on the list fixture (fixtures/list-en.html, built from
// the thread-list markup the SDKs read): which rows get a chip for which pipeline — only the
// rows whose one well-formed thread id the pipeline shows at watch or trap, never a row whose
// subject or ids the page crafted — that a pass is idempotent, and that the list asks for the
// pipeline once however often Gmail mutates, again only when MAX changed it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fixture, installDom, loadScripts } from './jsdom-env.mjs';

const dom = installDom(fixture('list-en.html'));
globalThis.performance ??= dom.window.performance;
const { listChips } = await loadScripts(
  'lib/contract.js',
  'lib/i18n.js',
  'lib/error-text.js',
  'lib/gmail-dom.js',
  'content/dom-build.js',
  'content/chip.js',
  'content/list-chips.js',
);

const TRAP = '18f3a0c2b1d4e5f6';
const WATCH = '18f3a0c2b1d4e600';
const OK = '18f3a0c2b1d4e700';
const report = (thread_id, level, unanswered, shown = level) => ({
  thread_id,
  level,
  unanswered,
  complete: true,
  display: { level: shown },
});
const PIPELINE = {
  threads: [report(TRAP, 'trap', 3), report(WATCH, 'watch', 2), report(OK, 'ok', 0)],
  last_sync_at: null,
};
const row = (n) => document.getElementById(`fixture-row-${n}`);
const chips = () =>
  [...document.querySelectorAll('[data-max="list-chip"]')].map((c) => [c.closest('tr').id, c.dataset.maxLevel]);

const IDS = [
  // row, the thread id MAX reads on it
  [1, TRAP],
  [2, WATCH],
  [3, OK],
  [4, '18f3a0c2b1d4e920'],
  [5, '18f3a0c2b1d4ea01'], // the subject names the trap thread: text, never an id
  [6, null], // upper case: not Gmail's id
  [7, null], // two id spans that disagree
  [8, null], // a space before the id
  [9, null], // no id
];
for (const [n, id] of IDS) {
  test(`row ${n} reads as thread ${id}`, () => assert.equal(listChips.rowThreadId(row(n)), id));
}

const AT_RISK = [
  // pipeline, the ids marked
  [PIPELINE, [TRAP, WATCH]], // ok is in no list chip
  [{ threads: [report(TRAP, 'ok', 1, 'unknown')] }, []], // a partial reading that says "?"
  [{ threads: [report('../pair', 'trap', 3), report('18F3A0C2B1D4E5F6', 'trap', 3)] }, []],
  [{ threads: [report(TRAP, 'trap', 3), report(TRAP, 'watch', 2)] }, [TRAP]], // the first (riskiest) wins
  [{ threads: 'x' }, []],
  [null, []],
];
for (const [pipeline, ids] of AT_RISK) {
  test(`at risk in ${JSON.stringify(pipeline).slice(0, 80)} → ${ids.join(', ') || 'none'}`, () => {
    assert.deepEqual([...listChips.atRisk(pipeline).keys()], ids);
  });
}

test('chips go on the trap and watch rows only, once; a changed pipeline moves them', () => {
  const byId = listChips.atRisk(PIPELINE);
  assert.equal(listChips.markRows(document, byId), 2);
  assert.deepEqual(chips(), [
    ['fixture-row-1', 'trap'],
    ['fixture-row-2', 'watch'],
  ]);
  const text = document.querySelector('[data-max="list-chip"]').shadowRoot.textContent;
  assert.match(text, /MAX 3/);
  assert.equal(listChips.markRows(document, byId), 0, 'nothing drawn again');
  assert.equal(document.querySelectorAll('[data-max="list-chip"]').length, 2);
  // The trap thread answered (out of the pipeline), the watch one now at trap.
  assert.equal(listChips.markRows(document, listChips.atRisk({ threads: [report(WATCH, 'trap', 3)] })), 1);
  assert.deepEqual(chips(), [['fixture-row-2', 'trap']]);
  listChips.markRows(document, new Map());
  assert.deepEqual(chips(), []);
});

test('a row Gmail drew again gets its chip again', () => {
  const byId = listChips.atRisk(PIPELINE);
  listChips.markRows(document, byId);
  // Gmail re-renders a row's subject cell from its own data: MAX's host is gone with it.
  const subject = row(1).querySelector('div.y6');
  subject.replaceChildren(subject.querySelector('span[data-legacy-thread-id]'));
  assert.equal(row(1).querySelectorAll('[data-max="list-chip"]').length, 0);
  assert.equal(listChips.markRows(document, byId), 1);
  assert.equal(row(1).querySelectorAll('[data-max="list-chip"]').length, 1);
  listChips.markRows(document, new Map());
});

test('one pipeline fetch for many mutations, one pass per frame; asked again after a change', async () => {
  const frames = [];
  window.requestAnimationFrame = (fn) => frames.push(fn);
  const flush = async () => {
    while (frames.length) frames.shift()();
    await new Promise((r) => setTimeout(r, 0));
  };
  let asked = 0;
  const lists = listChips.start(document, async () => {
    asked++;
    return { ok: true, data: PIPELINE };
  });
  for (let i = 0; i < 50; i++) lists.schedule();
  assert.equal(frames.length, 1, 'one frame asked for');
  await flush();
  await flush();
  assert.equal(asked, 1);
  assert.equal(chips().length, 2);
  for (let i = 0; i < 5; i++) {
    lists.schedule();
    await flush();
  }
  assert.equal(asked, 1, 'kept between passes');
  lists.refresh();
  await flush();
  await flush();
  assert.equal(asked, 2, 'asked again after MAX changed the pipeline');
  const measured = performance.getEntriesByName(listChips.MEASURE);
  assert.equal(measured.length, 1, 'the last pass measured, the others cleared');
  assert.equal(measured[0].detail.rows, 9);
});

test('a pipeline that failed leaves no chip', async () => {
  listChips.markRows(document, new Map());
  const frames = [];
  window.requestAnimationFrame = (fn) => frames.push(fn);
  listChips.start(document, async () => ({ ok: false, error: { code: 'unreachable' } }));
  frames.shift()();
  await new Promise((r) => setTimeout(r, 0));
  while (frames.length) frames.shift()();
  assert.deepEqual(chips(), []);
});

test.after(() => dom.window.close()); // its timers (the pipeline's refresh) end with it
