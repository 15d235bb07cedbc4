// Tests extension/content/tracking.js: MAX's pixel is recognised direct or through Google's proxy,
// removed from the sender's own view and reported once; it is added to the compose body at send.
import test from 'node:test';
import assert from 'node:assert/strict';
import { installDom, loadScripts } from './jsdom-env.mjs';

installDom();
const { tracking } = await loadScripts('lib/gmail-dom.js', 'content/tracking.js');
const BACKEND = 'http://127.0.0.1:8765';
const PUBLIC = 'https://max.example.test'; // MAX_PUBLIC_URL: how recipients reach the backend
const TOKEN = 'Qm9uam91ck1hcmMxMjM0NQ'; // the backend's shape: 16-64 of [A-Za-z0-9_-]

const SRCS = [
  [`${BACKEND}/t/${TOKEN}.gif`, TOKEN],
  [`${PUBLIC}/t/${TOKEN}.gif`, TOKEN], // the public URL is not the one the extension talks to
  [`https://ci3.googleusercontent.com/proxy/XyZ=s0-d-e1-ft#${PUBLIC}/t/${TOKEN}.gif`, TOKEN],
  [`https://ci3.googleusercontent.com/meips/XyZ=s0-d-e1-ft#${BACKEND}/t/tok-9_${TOKEN}.gif`, `tok-9_${TOKEN}`],
  [`http://127.0.0.1:9999/t/${TOKEN}.gif`, TOKEN], // any host: the backend counts only its own tokens
  [`${BACKEND}/t/abc123.gif`, null], // not a token the backend makes
  [`${BACKEND}/t/${TOKEN}.png`, null],
  [`${BACKEND}/static/logo.gif`, null],
  [`https://evil.example/#${BACKEND}/t/${TOKEN}.gif`, null], // only Google's proxy is unwrapped
  [`data:image/gif;base64,/t/${TOKEN}.gif`, null],
  ['', null],
  [null, null],
];
for (const [src, token] of SRCS) {
  test(`pixel token of ${src} → ${token}`, () => assert.equal(tracking.pixelToken(src), token));
}

test("the sender's view loses MAX's pixel, on the public host too, and reports each token once", () => {
  const { window } = installDom(`
    <div class="ii gt"><div class="a3s">Hello<img src="${PUBLIC}/t/${TOKEN}.gif"><img src="https://ci3.googleusercontent.com/proxy/x#${PUBLIC}/t/${TOKEN}.gif"><img src="https://example.com/logo.png"></div></div>`);
  const reported = [];
  const removed = tracking.neutralise(window.document, BACKEND, (t) => reported.push(t));
  assert.equal(removed, 2);
  assert.deepEqual(reported, [TOKEN]);
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
