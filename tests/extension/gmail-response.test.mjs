// Tests extension/lib/gmail-response.js on Gmail's real saved responses (../shared/data/gmail-internal).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SHARED_DATA, loadScripts } from './jsdom-env.mjs';

const { gmailResponse } = await loadScripts('lib/gmail-response.js');
const read = (rel) => fs.readFileSync(path.join(SHARED_DATA, 'gmail-internal', rel), 'utf8');

const CASES = [
  // file, threads, [legacy id, subject, messages, sent by me (^f), first sender] of the first thread
  [
    'inboxsdk/thread-response-2018-03-14.json',
    1,
    ['1620d2f175a1a6c9', 'Validate emails within Streak', 4, 0, 'sara@streak.com'],
  ],
  [
    'inboxsdk/thread-response-2018-03-08.json',
    1,
    ['16207922dbd860d9', 'roman.boev@securedata.com billing change', 1, 0, 'notifications@mailfoogae.appspotmail.com'],
  ],
  [
    'inboxsdk/fd-response-20180709.json',
    1,
    [
      '1636109e7816ac5d',
      'Update on: threadRowView.addStatusText() should be added to SDK',
      1,
      0,
      'notifications@streak.com',
    ],
  ],
  ['gmail-js/testdata-parser-fd-request.json', 2, ['17c3d9041ec7d0a5', 'test subject', 1, 0, 'user@gmail.com']],
  [
    'gmail-js/testdata-parser-fd-embedded.json',
    5,
    ['18335a7dcae04a59', 'Test email 4', 1, 0, 'jostein@secure.kjonigsen.net'],
  ],
  [
    'inboxsdk/2022-09-09-cvOnReplySend_response.json',
    1,
    ['18332e4292f304f1', 'tracking test', 9, 9, 'test@streak.com'],
  ],
  ['inboxsdk/2022-09-09-cvOnSend_response.json', 1, ['183234ce86ffa010', '', 1, 1, 'test@gmail.com']],
  // A thread list (/i/bv) carries no messages: nothing to read, nothing guessed.
  ['inboxsdk/input-triggered-search-response-2018-01-25.json', 0, null],
];

for (const [file, count, first] of CASES) {
  test(`reads ${file}`, () => {
    const threads = gmailResponse.parseGmailResponse(read(file));
    assert.equal(threads.length, count);
    if (!first) return;
    const [legacy, subject, n, sent, sender] = first;
    const t = threads[0];
    assert.equal(t.legacyThreadId, legacy);
    assert.equal(t.subject, subject);
    assert.equal(t.messages.length, n);
    assert.equal(t.messages.filter((m) => m.labels.includes('^f')).length, sent);
    assert.equal(t.messages[0].from.email, sender);
    for (const m of t.messages) assert.match(m.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const dates = t.messages.map((m) => m.date);
    assert.deepEqual(dates, [...dates].sort(), 'oldest first');
  });
}

test('the four-message thread keeps millisecond timestamps, senders and recipients', () => {
  const [t] = gmailResponse.parseGmailResponse(read('inboxsdk/thread-response-2018-03-14.json'));
  assert.deepEqual(
    t.messages.map((m) => [m.from.email, m.date]),
    [
      ['sara@streak.com', '2018-03-09T23:53:32.694Z'],
      ['michael@streak.com', '2018-03-10T00:33:57.229Z'],
      ['sara@streak.com', '2018-03-10T00:39:08.669Z'],
      ['michael@streak.com', '2018-03-14T23:53:18.683Z'],
    ],
  );
  assert.deepEqual(
    t.messages[1].to.map((a) => a.email),
    ['sara@streak.com'],
  );
  assert.deepEqual(
    t.messages[1].cc.map((a) => a.email),
    ['eng@streak.com'],
  );
});

const ODD = [
  ['empty', ''],
  ['not JSON', '<html>sign in</html>'],
  ['XSSI guard only', ")]}'\n"],
  ['a number', '42'],
  ['null', 'null'],
  ['a thread without messages', JSON.stringify([[null, null, null, 'thread-f:1', []]])],
  [
    'a message without a sender',
    JSON.stringify([['s', null, 1, 'thread-f:1', [['msg-f:1', null, null, null, null, null, 1663052536832]]]]),
  ],
  ['not a string', { not: 'text' }],
];
for (const [name, body] of ODD) {
  test(`an odd response (${name}) yields no thread and no error`, () => {
    assert.deepEqual(gmailResponse.parseGmailResponse(body), []);
  });
}

test('the XSSI guard and length-prefixed chunks are read', () => {
  const thread = [
    'Subject',
    '',
    1663052536832,
    'thread-f:1743836977043622489',
    [['msg-f:1', [1, 'a@b.fr', 'A'], [], null, null, null, 1663052536832]],
  ];
  const text = `)]}'\n\n123\n${JSON.stringify([thread])}\n45\n[["di",1]]\n`;
  const [t] = gmailResponse.parseGmailResponse(text);
  assert.equal(t.legacyThreadId, BigInt('1743836977043622489').toString(16));
  assert.equal(t.messages[0].from.email, 'a@b.fr');
});

const IDS = [
  ['thread-f:1594506202591635145', '1620d2f175a1a6c9'],
  ['thread-a:r-474834441621213468', null],
  ['', null],
  [undefined, null],
];
for (const [perm, hex] of IDS) {
  test(`perm id ${perm} → legacy hex ${hex}`, () => assert.equal(gmailResponse.hexFromPermId(perm), hex));
}
