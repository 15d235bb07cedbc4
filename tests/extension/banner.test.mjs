// Tests extension/content/banner.js: when the banner speaks, and what it offers.
import test from 'node:test';
import assert from 'node:assert/strict';
import { installDom, loadScripts, userClick } from './jsdom-env.mjs';

installDom();
const { banner } = await loadScripts('lib/contract.js', 'lib/i18n.js', 'content/dom-build.js', 'content/banner.js');

// The banner draws what the report's `display.banner` says (maxcore decides: policy.display_for,
// tested in tests/maxcore/test_policy.py); whatever else the report holds does not matter.
const KINDS = [
  // report, banner
  [null, null],
  [{ level: 'trap', unanswered: 3 }, null], // an older backend's report, without display
  [{ level: 'watch', unanswered: 2, opens: 9, display: { banner: null } }, null],
  [{ level: 'watch', unanswered: 2, opens: 2, display: { banner: 'watch' } }, 'watch'],
  [{ level: 'trap', unanswered: 3, display: { banner: 'trap' } }, 'trap'],
  [{ level: 'trap', unanswered: 3, display: { banner: '<script>' } }, null],
];
for (const [report, kind] of KINDS) {
  test(`${JSON.stringify(report)} → ${kind}`, () => {
    assert.equal(banner.bannerKind(report), kind);
  });
}

const trap = (unanswered) => ({ level: 'trap', unanswered, display: { banner: 'trap', hold_send: true } });

function mount(report, options) {
  const { window } = installDom('<div class="M9"><form></form></div>');
  const compose = window.document.querySelector('.M9');
  const shown = banner.render(compose, report, options);
  const host = compose.querySelector('[data-max="banner"]');
  return { compose, shown, host, root: host?.shadowRoot };
}

test('at trap: the count, the evidence with its source, the phone message; send anyway only when held', () => {
  let clicked = 0;
  const { shown, host, root } = mount(trap(3), { held: false, onShowMessage: () => clicked++ });
  assert.equal(shown, true);
  assert.equal(host.dataset.maxKind, 'trap');
  assert.equal(host.parentElement.firstElementChild, host, 'at the top of the compose');
  const text = root.textContent;
  for (const key of ['bannerTrapTitle', 'bannerEvidence', 'bannerEvidenceSource']) assert.ok(text.includes(key), key);
  assert.equal(root.querySelector('[data-max-action="send-anyway"]'), null);
  userClick(root.querySelector('[data-max-action="show-message"]'));
  assert.equal(clicked, 1);
});

test('held: "send anyway" is offered and calls back', () => {
  let sent = 0;
  const { root } = mount(trap(4), { held: true, onShowMessage: null, onSendAnyway: () => sent++ });
  assert.equal(
    root.querySelector('[data-max-action="show-message"]'),
    null,
    'no phone message when none is recommended',
  );
  userClick(root.querySelector('[data-max-action="send-anyway"]'));
  assert.equal(sent, 1);
});

test('a report that says nothing removes the banner', () => {
  const { compose } = mount(trap(3), {});
  assert.equal(banner.render(compose, { level: 'ok', unanswered: 0, display: { banner: null } }, {}), false);
  assert.equal(compose.querySelector('[data-max="banner"]'), null);
});

test('a page script cannot press "send anyway" nor "phone message": only a person can', () => {
  let sent = 0;
  let shown = 0;
  const { root } = mount(trap(3), { held: true, onShowMessage: () => shown++, onSendAnyway: () => sent++ });
  for (const action of ['send-anyway', 'show-message']) {
    const button = root.querySelector(`[data-max-action="${action}"]`);
    button.click();
    button.dispatchEvent(new button.ownerDocument.defaultView.MouseEvent('click', { bubbles: true }));
    button.dispatchEvent(
      new button.ownerDocument.defaultView.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }),
    );
  }
  assert.deepEqual([sent, shown], [0, 0]);
  userClick(root.querySelector('[data-max-action="send-anyway"]'));
  assert.equal(sent, 1);
});

test('a partial reading says "at least N"', () => {
  const whole = mount(trap(3), {}).root.querySelector('[data-max="count"]').textContent;
  const partial = mount({ ...trap(3), complete: false }, {}).root.querySelector('[data-max="count"]').textContent;
  assert.deepEqual([whole, partial], ['bannerTrapTitle', 'bannerTrapTitleAtLeast']);
});
