// Tests extension/content/banner.js: when the banner speaks, and what it offers.
import test from 'node:test';
import assert from 'node:assert/strict';
import { installDom, loadScripts } from './jsdom-env.mjs';

installDom();
const { banner } = await loadScripts('lib/i18n.js', 'content/dom-build.js', 'content/banner.js');

const KINDS = [
  // report, pivot opens, banner
  [null, 2, null],
  [{ level: 'ok', unanswered: 1, opens: 5 }, 2, null],
  [{ level: 'watch', unanswered: 2, opens: 1 }, 2, null],
  [{ level: 'watch', unanswered: 2, opens: 2 }, 2, 'watch'],
  [{ level: 'watch', unanswered: 2, opens: 2 }, 3, null],
  [{ level: 'trap', unanswered: 3, opens: 0 }, 2, 'trap'],
  [{ level: 'trap', unanswered: 5 }, 2, 'trap'],
];
for (const [report, pivotOpens, kind] of KINDS) {
  test(`${JSON.stringify(report)} with pivot at ${pivotOpens} opens → ${kind}`, () => {
    assert.equal(banner.bannerKind(report, pivotOpens), kind);
  });
}

function mount(report, options) {
  const { window } = installDom('<div class="M9"><form></form></div>');
  const compose = window.document.querySelector('.M9');
  const shown = banner.render(compose, report, { pivotOpens: 2, ...options });
  const host = compose.querySelector('[data-max="banner"]');
  return { compose, shown, host, root: host?.shadowRoot };
}

test('at trap: the count, the evidence with its source, the phone message; send anyway only when held', () => {
  let clicked = 0;
  const { shown, host, root } = mount(
    { level: 'trap', unanswered: 3 },
    { held: false, onShowMessage: () => clicked++ },
  );
  assert.equal(shown, true);
  assert.equal(host.dataset.maxKind, 'trap');
  assert.equal(host.parentElement.firstElementChild, host, 'at the top of the compose');
  const text = root.textContent;
  for (const key of ['bannerTrapTitle', 'bannerEvidence', 'bannerEvidenceSource']) assert.ok(text.includes(key), key);
  assert.equal(root.querySelector('[data-max-action="send-anyway"]'), null);
  root.querySelector('[data-max-action="show-message"]').click();
  assert.equal(clicked, 1);
});

test('held: "send anyway" is offered and calls back', () => {
  let sent = 0;
  const { root } = mount(
    { level: 'trap', unanswered: 4 },
    { held: true, onShowMessage: null, onSendAnyway: () => sent++ },
  );
  assert.equal(
    root.querySelector('[data-max-action="show-message"]'),
    null,
    'no phone message when none is recommended',
  );
  root.querySelector('[data-max-action="send-anyway"]').click();
  assert.equal(sent, 1);
});

test('a report that says nothing removes the banner', () => {
  const { compose } = mount({ level: 'trap', unanswered: 3 }, {});
  assert.equal(banner.render(compose, { level: 'ok', unanswered: 0 }, { pivotOpens: 2 }), false);
  assert.equal(compose.querySelector('[data-max="banner"]'), null);
});
