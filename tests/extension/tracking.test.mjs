// Tests extension/content/tracking.js: MAX's pixel is recognised direct or through Google's proxy,
// removed from the sender's own view and reported once; it is added to the compose body at send.
import test from 'node:test';
import assert from 'node:assert/strict';
import { installDom, loadScripts } from './jsdom-env.mjs';

installDom();
const { tracking } = await loadScripts('lib/gmail-dom.js', 'content/tracking.js');
const BACKEND = 'http://127.0.0.1:8765';

const SRCS = [
  [`${BACKEND}/t/abc123.gif`, 'abc123'],
  [`https://ci3.googleusercontent.com/proxy/XyZ=s0-d-e1-ft#${BACKEND}/t/abc123.gif`, 'abc123'],
  [`https://ci3.googleusercontent.com/meips/XyZ=s0-d-e1-ft#${BACKEND}/t/tok-9.gif`, 'tok-9'],
  [`http://127.0.0.1:9999/t/abc123.gif`, null], // another server's pixel
  [`${BACKEND}/static/logo.gif`, null],
  [`https://evil.example/#${BACKEND}/t/abc123.gif`, null], // only Google's proxy is unwrapped
  ['', null],
  [null, null],
];
for (const [src, token] of SRCS) {
  test(`pixel token of ${src} → ${token}`, () => assert.equal(tracking.pixelToken(src, BACKEND), token));
}

test("the sender's view loses MAX's pixel and reports each token once", () => {
  const { window } = installDom(`
    <div class="ii gt"><div class="a3s">Hello<img src="${BACKEND}/t/abc.gif"><img src="https://ci3.googleusercontent.com/proxy/x#${BACKEND}/t/abc.gif"><img src="https://example.com/logo.png"></div></div>`);
  const reported = [];
  const removed = tracking.neutralise(window.document, BACKEND, (t) => reported.push(t));
  assert.equal(removed, 2);
  assert.deepEqual(reported, ['abc']);
  assert.equal(window.document.querySelectorAll('img').length, 1, 'other images stay');
});

test('the pixel is added once to the compose body, built with DOM methods', () => {
  const { window } = installDom(
    '<div class="M9"><div class="Ap"><div g_editable="true" contenteditable="true">Hi</div></div></div>',
  );
  const compose = window.document.querySelector('.M9');
  assert.equal(tracking.insertPixel(compose, `${BACKEND}/t/abc.gif`), true);
  assert.equal(tracking.insertPixel(compose, `${BACKEND}/t/abc.gif`), false);
  const img = compose.querySelector('[g_editable] img');
  assert.equal(img.getAttribute('src'), `${BACKEND}/t/abc.gif`);
  assert.equal(img.width, 1);
  assert.equal(
    tracking.insertPixel(window.document.createElement('div'), `${BACKEND}/t/x.gif`),
    false,
    'no body, no pixel',
  );
});
