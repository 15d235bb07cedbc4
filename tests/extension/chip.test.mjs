// Tests extension/content/chip.js: what the level chip shows for each report and failure — the
// level, "≥N" on a partial reading, and "?" with the reason when MAX could not read the thread
// (never nothing, and never a green ok on a thread MAX could not read whole).
import test from 'node:test';
import assert from 'node:assert/strict';
import { installDom, loadScripts, userClick } from './jsdom-env.mjs';

installDom();
const { chip } = await loadScripts(
  'lib/contract.js',
  'lib/i18n.js',
  'lib/error-text.js',
  'content/dom-build.js',
  'content/chip.js',
);

// As the backend answers: display.level is the level to show (maxcore's policy.display_for says
// "unknown" for a partial reading that would say ok).
const report = (level, unanswered, complete = true, shown = level) => ({
  level,
  unanswered,
  complete,
  display: { level: shown },
});
const CASES = [
  // state, level, glyph, word, reason
  [{ report: report('ok', 1) }, 'ok', '1', 'chip_ok', undefined],
  [{ report: report('watch', 2) }, 'watch', '2', 'chip_watch', undefined],
  [{ report: report('trap', 3) }, 'trap', '3', 'chip_trap', undefined],
  [{ report: report('trap', 3, false) }, 'trap', '≥3', 'chip_trap', undefined], // at least 3
  [{ report: report('watch', 2, false) }, 'watch', '≥2', 'chip_watch', undefined],
  [{ report: report('ok', 1, false, 'unknown') }, 'unknown', '?', 'chipWhy_incomplete', 'incomplete'], // never a green ok
  [{ report: report('ok', 0, false, 'unknown') }, 'unknown', '?', 'chipWhy_incomplete', 'incomplete'],
  [{ report: { level: 'trap', unanswered: 3 } }, 'trap', '3', 'chip_trap', undefined], // an older backend: no display
  [{ report: report('maybe', 2) }, 'unknown', '?', 'chipWhy_error', 'error'], // a level MAX does not know
  [{ error: { code: 'no_messages' } }, 'unknown', '?', 'chipWhy_no_messages', 'no_messages'],
  [{ error: { code: 'unreadable' } }, 'unknown', '?', 'chipWhy_unreadable', 'unreadable'],
  [{ error: { code: 'unreachable' } }, 'unknown', '?', 'chipWhy_unreachable', 'unreachable'],
  [{ error: { code: 'not_paired' } }, 'unknown', '?', 'chipWhy_not_paired', 'not_paired'],
  [{ error: { code: 'no_account' } }, 'unknown', '?', 'chipWhy_no_account', 'no_account'],
  [{ error: { code: 'internal_error' } }, 'unknown', '?', 'chipWhy_error', 'error'],
  [{}, 'loading', '…', 'MAX', undefined],
];
for (const [state, level, glyph, word, reason] of CASES) {
  test(`${JSON.stringify(state)} → ${level} "${glyph}" ${word}`, () => {
    const d = chip.describe(state, 'http://127.0.0.1:8765');
    assert.deepEqual([d.level, d.glyph, d.word, d.reason], [level, glyph, word, reason]);
    assert.ok(d.title, 'always a sentence to say');
  });
}

test("a failure's title is its sentence; a report's says the level and the count", () => {
  assert.equal(chip.describe({ error: { code: 'unreachable' } }).title, 'error_unreachable');
  assert.equal(chip.describe({ report: report('trap', 3) }).title, 'level_trap — whyUnansweredOther');
  assert.equal(chip.describe({ report: report('trap', 3, false) }).title, 'level_trap — atLeastOther');
  assert.equal(chip.describe({ report: report('ok', 1, false, 'unknown') }).title, 'incompleteOk');
});

test('drawn: the level on the host, the glyph and word on the button, the reason in its name', () => {
  const c = chip.create(() => {});
  chip.draw(c, chip.describe({ error: { code: 'no_messages' } }), false);
  assert.equal(c.host.dataset.max, 'chip');
  assert.equal(c.host.dataset.maxLevel, 'unknown');
  assert.equal(c.host.dataset.maxReason, 'no_messages');
  assert.equal(c.button.textContent, 'MAX?chipWhy_no_messages');
  assert.equal(c.button.getAttribute('aria-label'), 'MAX — error_no_messages');
  assert.equal(c.button.getAttribute('aria-expanded'), 'false');
  chip.draw(c, chip.describe({ report: report('trap', 3) }), true);
  assert.equal(c.host.dataset.maxReason, undefined);
  assert.equal(c.button.className, 'trap');
  assert.equal(c.button.getAttribute('aria-expanded'), 'true');
});

test("a click on the chip calls back; a page script's synthetic click does not", () => {
  let clicks = 0;
  const c = chip.create(() => clicks++);
  c.button.click();
  assert.equal(clicks, 0);
  userClick(c.button);
  assert.equal(clicks, 1);
});
