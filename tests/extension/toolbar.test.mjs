// Tests the toolbar button (manifest "action", extension/background.js): a click opens MAX's
// settings. background.js is loaded here in a fake `chrome` that records what it registers.
import test from 'node:test';
import assert from 'node:assert/strict';

const registered = {};
let opened = 0;
const event = (name) => ({ addListener: (fn) => (registered[name] = fn) });
globalThis.chrome = {
  runtime: {
    id: 'max',
    onMessage: event('message'),
    openOptionsPage: async () => opened++,
    getURL: (p) => `chrome-extension://max/${p}`,
    getManifest: () => ({ options_ui: { page: 'extension/options/options.html' } }),
  },
  storage: { local: { get: async () => ({}), set: async () => {} } },
  action: { onClicked: event('action') },
};
await import('../../extension/background.js');

test('a click on the toolbar button opens the settings page', () => {
  assert.equal(typeof registered.action, 'function');
  registered.action({ id: 1, url: 'https://mail.google.com/mail/u/0/' });
  assert.equal(opened, 1);
});
