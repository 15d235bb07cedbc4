// Tests extension/lib/settings.js: defaults in one place, and stored values read defensively.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadScripts } from './jsdom-env.mjs';

const { settings: S } = await loadScripts('lib/contract.js', 'lib/settings.js');

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
  [{}, 'remind', true], // the reminder is on until turned off
  [{ remind: false }, 'remind', false],
  [{ remind: 'no' }, 'remind', true],
  [{ apiToken: 42 }, 'apiToken', ''],
  [{}, 'account', ''],
  [{ account: ' Paul.Martin@Acme-Sales.com ' }, 'account', 'paul.martin@acme-sales.com'],
  [{ account: 'Paul Martin <paul@acme.fr>' }, 'account', ''],
  [{ account: 'paul@acme' }, 'account', ''],
  [{ account: ['paul@acme.fr'] }, 'account', ''],
  [{}, 'sidebarOpen', true], // MAX opens in the side panel until folded
  [{ sidebarOpen: false }, 'sidebarOpen', false],
  [{ sidebarOpen: 'no' }, 'sidebarOpen', true],
  [{}, 'uiLang', null], // Gmail not seen yet: the options page speaks Chrome's language
  [{ uiLang: 'fr' }, 'uiLang', 'fr'],
  [{ uiLang: 'de' }, 'uiLang', null],
  // The pivots marked sent, by thread: well-formed ids only.
  [{}, 'pivots', {}],
  [{ pivots: { '18f3a0c2b1d4e5f6': 'a'.repeat(32) } }, 'pivots', { '18f3a0c2b1d4e5f6': 'a'.repeat(32) }],
  [{ pivots: { '../pair': 'a'.repeat(32), '18f3a0c2b1d4e5f6': 'nope' } }, 'pivots', {}],
  [{ pivots: 'x' }, 'pivots', {}],
  // The suggestions marked answered on the phone: well-formed ids only, once each.
  [{}, 'answered', []],
  [{ answered: ['a'.repeat(32), 'nope', 'a'.repeat(32)] }, 'answered', ['a'.repeat(32)]],
  [{ answered: 'x' }, 'answered', []],
];
for (const [stored, field, expected] of STORED) {
  test(`stored ${JSON.stringify(stored)} → ${field} ${JSON.stringify(expected)}`, () => {
    assert.deepEqual(S.withDefaults(stored)[field], expected);
  });
}

test("the thresholds and team domains are not the extension's: the backend keeps them", () => {
  const s = S.withDefaults({ thresholds: { trap_at: 4 }, teamDomains: ['acme.fr'] });
  assert.deepEqual(Object.keys(s).sort(), [
    'account',
    'answered',
    'apiToken',
    'backendUrl',
    'channel',
    'lang',
    'pivots',
    'remind',
    'sidebarOpen',
    'tracking',
    'uiLang',
  ]);
});

const DOMAINS = [
  ['Acme.fr, @acme.com;bad domain,acme.fr', ['acme.fr', 'acme.com']],
  [['acme.fr', 'x'], ['acme.fr']],
  [42, []],
];
for (const [typed, domains] of DOMAINS) {
  test(`team domains ${JSON.stringify(typed)} → ${JSON.stringify(domains)}`, () => {
    assert.deepEqual(S.readDomains(typed), domains);
  });
}

test('a pivot marked sent again moves to the end; only the newest 200 are kept', () => {
  const id = (n) => n.toString(16).padStart(16, '0');
  let pivots = {};
  for (let n = 0; n < 205; n++) pivots = S.withPivot(pivots, id(n), 'b'.repeat(32));
  assert.equal(Object.keys(pivots).length, 200);
  assert.equal(Object.keys(pivots)[0], id(5), 'the oldest dropped');
  pivots = S.withPivot(pivots, id(10), 'c'.repeat(32));
  assert.deepEqual(Object.entries(pivots).at(-1), [id(10), 'c'.repeat(32)]);
});
