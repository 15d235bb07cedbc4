// Tests extension/lib/settings.js: defaults in one place, and stored values read defensively.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadScripts } from './jsdom-env.mjs';

const { settings: S } = await loadScripts('lib/settings.js');

const STORED = [
  // stored, field, expected
  [undefined, 'backendUrl', 'http://127.0.0.1:8765'],
  [{ backendUrl: 'http://127.0.0.1:9000/' }, 'backendUrl', 'http://127.0.0.1:9000'],
  [{ backendUrl: 'https://max.acme.fr/base/' }, 'backendUrl', 'https://max.acme.fr/base'],
  [{ backendUrl: 'javascript:alert(1)' }, 'backendUrl', 'http://127.0.0.1:8765'],
  [{ backendUrl: 'not a url' }, 'backendUrl', 'http://127.0.0.1:8765'],
  [{ lang: 'de' }, 'lang', 'auto'],
  [{ lang: 'fr' }, 'lang', 'fr'],
  [{ channel: 'sms' }, 'channel', 'sms'],
  [{ channel: 'pigeon' }, 'channel', 'whatsapp'],
  [{}, 'tracking', false],
  [{ tracking: 'yes' }, 'tracking', false],
  [{ tracking: true }, 'tracking', true],
  [{ apiToken: 42 }, 'apiToken', ''],
  [{ teamDomains: 'Acme.fr, @acme.com;bad domain,acme.fr' }, 'teamDomains', ['acme.fr', 'acme.com']],
  [{ teamDomains: ['acme.fr', 'x'] }, 'teamDomains', ['acme.fr']],
  [
    { thresholds: { trap_at: 4, watch_at: -1, pivot_opens: 1.5 } },
    'thresholds',
    { watch_at: 2, trap_at: 4, pivot_opens: 2 },
  ],
];
for (const [stored, field, expected] of STORED) {
  test(`stored ${JSON.stringify(stored)} → ${field} ${JSON.stringify(expected)}`, () => {
    assert.deepEqual(S.withDefaults(stored)[field], expected);
  });
}

test('a default install sends no threshold; a changed one only', () => {
  assert.deepEqual(S.changedThresholds(S.withDefaults({})), {});
  assert.deepEqual(S.changedThresholds(S.withDefaults({ thresholds: { trap_at: 4 } })), { trap_at: 4 });
});
