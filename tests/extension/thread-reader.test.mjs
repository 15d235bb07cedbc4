// Tests extension/content/thread-reader.js on the fixture Gmail pages (fixtures/*.html, built from
// the markup the SDKs read, README.md) and on Gmail's real saved thread data. Expected values are
// read off the pages by hand, not computed with the selector table.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES, SHARED_DATA, fixture, installDom, loadScripts } from './jsdom-env.mjs';

installDom();
const { threadReader, gmailResponse } = await loadScripts(
  'lib/gmail-dom.js',
  'lib/gmail-response.js',
  'content/thread-reader.js',
);
const page = (html) => installDom(html).window.document;
const parsed = (file) => gmailResponse.parseGmailResponse(fs.readFileSync(file, 'utf8'));
const PAUL = 'paul.martin@acme-sales.com';

const PAGES = [
  // fixture, thread id, subject, complete, hidden, senders, dates as Gmail displays them, ids
  [
    'thread-trap-en.html',
    '18f3a0c2b1d4e5f6',
    'Proposal – planning module',
    true,
    0,
    [PAUL, 'james.walker@northwind-build.co.uk', PAUL, PAUL, PAUL],
    [
      'Tue, Oct 20, 2026, 9:05 AM',
      'Wed, Oct 21, 2026, 10:12 AM',
      'Tue, Nov 10, 2026, 9:30 AM',
      'Tue, Nov 17, 2026, 9:45 AM',
      'Mon, Nov 23, 2026, 10:02 AM',
    ],
    ['18f3a0c2b1d4e5f6', '18f3a0c2b1d4e5f7', 'position-2', '18f3a0c2b1d4e5f9', '18f3a0c2b1d4e5fa'],
  ],
  [
    'thread-trap-fr.html',
    '18f3a0c2b1d4e5f6',
    'Proposition – module planification',
    true,
    0,
    [PAUL, 'marc.lefevre@batiplus.fr', PAUL, PAUL, PAUL],
    [
      'mar. 20 oct. 2026, 09:05',
      'mer. 21 oct. 2026, 10:12',
      'mar. 10 nov. 2026, 09:30',
      'mar. 17 nov. 2026, 09:45',
      'lun. 23 nov. 2026, 10:02',
    ],
    ['position-0', '18f3a0c2b1d4e5f7', '18f3a0c2b1d4e5f8', 'position-3', '18f3a0c2b1d4e5fa'],
  ],
  [
    'thread-watch-en.html',
    '18f3a0c2b1d4e600',
    'Proposal – planning module',
    true,
    0,
    [PAUL, 'james.walker@northwind-build.co.uk', PAUL, PAUL],
    [
      'Tue, Oct 20, 2026, 9:05 AM',
      'Wed, Oct 21, 2026, 10:12 AM',
      'Tue, Nov 10, 2026, 9:30 AM',
      'Tue, Nov 17, 2026, 9:45 AM',
    ],
    ['18f3a0c2b1d4e600', '18f3a0c2b1d4e601', 'position-2', '18f3a0c2b1d4e603'],
  ],
  [
    'thread-folded-en.html',
    '18f3a0c2b1d4e5f6',
    'Proposal – planning module',
    false,
    3,
    [PAUL, PAUL],
    ['Tue, Oct 20, 2026, 9:05 AM', 'Mon, Nov 23, 2026, 10:02 AM'],
    ['18f3a0c2b1d4e5f6', '18f3a0c2b1d4e5fa'],
  ],
  [
    'thread-folded-fr.html',
    '18f3a0c2b1d4e5f6',
    'Proposition – module planification',
    false,
    3,
    [PAUL, PAUL],
    ['mar. 20 oct. 2026, 09:05', 'lun. 23 nov. 2026, 10:02'],
    ['position-0', '18f3a0c2b1d4e5fa'],
  ],
];

for (const [file, id, subject, complete, hidden, senders, dates, ids] of PAGES) {
  test(`reads every message of ${file} in the state Gmail shows it`, () => {
    const t = threadReader.readThread(page(fixture(file)));
    assert.equal(t.thread_id, id);
    assert.equal(t.subject, subject);
    assert.equal(t.complete, complete);
    assert.equal(t.folded, hidden);
    assert.deepEqual(
      t.messages.map((m) => m.from.email),
      senders,
    );
    assert.deepEqual(
      t.messages.map((m) => m.date),
      dates,
    );
    assert.deepEqual(
      t.messages.map((m) => m.id),
      ids,
    );
    assert.equal(t.messages[0].from.name, 'Paul Martin');
    assert.ok(
      t.messages.every((m) => m.text.length > 10),
      'the body, or the snippet of a collapsed message',
    );
  });
}

test('a collapsed message is read from its header: snippet as text, no recipients shown', () => {
  const t = threadReader.readThread(page(fixture('thread-trap-en.html')));
  const [first, reply, , , last] = t.messages;
  assert.equal(
    first.text,
    'Hello James, as promised after our call, here is the proposal for the planning module for your three sites.',
  );
  assert.deepEqual(first.to, []);
  // Expanded ones keep their recipients and full body (the hidden header is not read instead).
  assert.deepEqual(
    reply.to.map((a) => a.email),
    [PAUL],
  );
  assert.match(reply.text, /Mobile: \+44 7911 123456/);
  assert.deepEqual(
    last.to.map((a) => a.email),
    ['james.walker@northwind-build.co.uk'],
  );
});

test('the thread id comes from the thread view, never from the thread list kept in the page', () => {
  const doc = page(fixture('thread-trap-en.html'));
  assert.equal(doc.querySelector('[data-legacy-thread-id]').getAttribute('data-legacy-thread-id'), '18f3a0c2b1d4e920');
  assert.equal(threadReader.readThread(doc).thread_id, '18f3a0c2b1d4e5f6');
});

test('the inbox (rows with data-legacy-thread-id, no thread open) → null', () => {
  const doc = page(fixture('inbox-en.html'));
  assert.equal(doc.querySelectorAll('tr.zA [data-legacy-thread-id]').length, 3);
  assert.equal(threadReader.readThread(doc), null);
});

test('a thread opened from the inbox is read; closing it gives null again', () => {
  const doc = page(fixture('inbox-en.html'));
  const slot = doc.getElementById('fixture-thread-slot');
  slot.append(doc.getElementById('fixture-thread').content.cloneNode(true));
  const t = threadReader.readThread(doc);
  assert.equal(t.thread_id, '18f3a0c2b1d4e700');
  assert.deepEqual(
    t.messages.map((m) => m.from.email),
    [PAUL, 'anna.berg@fjordline-freight.no'],
  );
  assert.equal(t.complete, true);
  slot.replaceChildren();
  assert.equal(threadReader.readThread(doc), null);
});

const FOLDED = [
  // what the stack shows, messages Gmail folded as far as MAX can tell
  ['<span class="adx"><span>3</span></span>', 3],
  ['<span class="adx"><span></span></span>', 3], // no number: the three folded elements count
  ['<span class="adx"><span>7</span></span>', 7], // more than the elements present: the number
];
for (const [notice, hidden] of FOLDED) {
  test(`folded stack ${notice} beside three folded messages → ${hidden} hidden, incomplete`, () => {
    const html = fixture('thread-folded-en.html').replace('<span class="adx"><span>3</span></span>', notice);
    const t = threadReader.readThread(page(html));
    assert.equal(t.folded, hidden);
    assert.equal(t.complete, false);
  });
}

test('foldedCount reads .adx span; a stack without a number counts as one', () => {
  assert.equal(threadReader.foldedCount(page(fixture('thread-folded-en.html'))), 3);
  assert.equal(threadReader.foldedCount(page('<div class="adv"><span class="adx"><span></span></span></div>')), 1);
  assert.equal(threadReader.foldedCount(page(fixture('thread-trap-en.html'))), 0);
});

test('a collapsed header without a date is not sent, and the reading says it is incomplete', () => {
  const html = fixture('thread-trap-en.html').replace(
    '<span class="g3" title="Tue, Nov 10, 2026, 9:30 AM">Nov 10</span>',
    '',
  );
  const t = threadReader.readThread(page(html));
  assert.equal(t.messages.length, 4);
  assert.equal(t.complete, false);
  assert.equal(t.folded, 1);
});

test('an expanded message whose content is not loaded yet is read from its header', () => {
  const doc = page(fixture('thread-trap-en.html'));
  const last = doc.querySelectorAll('[role=listitem]')[4];
  last.querySelector('div.adn.ads').replaceChildren();
  last.querySelector('div.adf.ads').removeAttribute('style');
  const t = threadReader.readThread(doc);
  assert.equal(t.complete, true);
  assert.equal(t.messages[4].date, 'Mon, Nov 23, 2026, 10:02 AM');
  assert.equal(t.messages[4].text, 'Hi James, any news on the pilot? Best, Paul');
});

test('an older layout without state classes: div.adn.ads messages are still read', () => {
  const doc = page(`<div class="ha"><h2 class="hP" data-legacy-thread-id="18f3a0c2b1d4e5f6">S</h2></div>
    <div class="adn ads" data-message-id="#msg-f:1" data-legacy-message-id="18f3a0c2b1d4e5f6">
      <table><tr><td class="gF"><span class="gD" email="a@b.fr" name="A">A</span></td>
      <td class="gH"><div class="gK"><span class="g3" title="3 nov. 2026, 10:12">3 nov.</span></div></td></tr></table>
      <div class="ii gt"><div class="a3s">Bonjour, voici le devis.</div></div></div>`);
  const t = threadReader.readThread(doc);
  assert.deepEqual(
    t.messages.map((m) => [m.id, m.from.email, m.date]),
    [['18f3a0c2b1d4e5f6', 'a@b.fr', '3 nov. 2026, 10:12']],
  );
  assert.equal(t.complete, true);
});

// Gmail's own data for the same thread id completes a folded page: its ids, and its senders
// where the page shows a message (the first and the last: Paul), as the folded page has them.
function internalFor(legacyId, n) {
  const messages = Array.from({ length: n }, (_, i) => ({
    id: `msg-f:${i}`,
    legacyId: (0x18f3a0c2b1d4e5f6n + BigInt(i)).toString(16),
    from: { email: i % 2 ? 'james.walker@northwind-build.co.uk' : PAUL, name: '' },
    to: [],
    cc: [],
    date: new Date(Date.UTC(2026, 9, 20 + i)).toISOString(),
    text: `snippet ${i}`,
    labels: i % 2 ? ['^i'] : ['^f'],
  }));
  return new Map([[legacyId, { legacyThreadId: legacyId, subject: 'S', messages }]]);
}

const INTERNAL = [
  // messages in Gmail's data, complete, source
  [5, true, 'gmail-data'],
  [6, false, 'page'], // a message the page neither shows nor folds: not Gmail's thread as shown
  [4, false, 'page'], // fewer than the page shows + folds: not trusted, never guess low
];
for (const [n, complete, source] of INTERNAL) {
  test(`folded page + Gmail data with ${n} messages → complete ${complete}`, () => {
    const t = threadReader.readThread(page(fixture('thread-folded-en.html')), internalFor('18f3a0c2b1d4e5f6', n));
    assert.equal(t.complete, complete);
    assert.equal(t.source, source);
    if (source === 'gmail-data') {
      assert.equal(t.messages.length, n);
      assert.deepEqual(t.messages[1].labels, ['^i']);
      assert.match(
        t.messages[0].text,
        /as promised after our call/,
        'the page text wins where the message is on screen',
      );
    }
  });
}

const GMAIL_DATA = [
  // fixture page, Gmail's data derived from a saved one (fixtures/derive_gmail_data.py)
  ['thread-folded-en.html', 'fd-embedded-trap-en.json'],
  ['thread-folded-fr.html', 'fd-embedded-trap-fr.json'],
  ['thread-folded-en.html', 'fd-xhr-trap-en.json'],
];
for (const [file, data] of GMAIL_DATA) {
  test(`${file} + ${data}: the five messages, complete, the prospect's reply among them`, () => {
    const internal = new Map(parsed(path.join(FIXTURES, data)).map((t) => [t.legacyThreadId, t]));
    const t = threadReader.readThread(page(fixture(file)), internal);
    assert.equal(t.complete, true);
    assert.equal(t.source, 'gmail-data');
    assert.deepEqual(
      t.messages.map((m) => m.labels.includes('^f')),
      [true, false, true, true, true],
    );
    assert.match(t.messages[1].text, /Mobile/);
  });
}

test('Gmail data saved from a real thread is read by thread id', () => {
  const internal = new Map(
    parsed(path.join(SHARED_DATA, 'gmail-internal/inboxsdk/thread-response-2018-03-14.json')).map((t) => [
      t.legacyThreadId,
      t,
    ]),
  );
  const doc =
    page(`<div class="ha"><h2 class="hP" data-legacy-thread-id="1620d2f175a1a6c9">Validate emails within Streak</h2></div>
    <div class="adv"><span class="adx"><span>4</span></span></div>`);
  const t = threadReader.readThread(doc, internal);
  assert.equal(t.complete, true);
  assert.deepEqual(
    t.messages.map((m) => m.from.email),
    ['sara@streak.com', 'michael@streak.com', 'sara@streak.com', 'michael@streak.com'],
  );
});

// Any script in Gmail's page can post "Gmail data" (window.postMessage, or through _GM_setData):
// a reading that disagrees with what the page shows is not used, and readings that disagree
// with each other are none.
const GENUINE = () => parsed(path.join(FIXTURES, 'fd-embedded-trap-en.json'))[0];
const JAMES = { email: 'james.walker@northwind-build.co.uk', name: 'James Walker' };
const forged = (edit) => {
  const t = structuredClone(GENUINE());
  edit(t.messages);
  return t;
};
const reply = (after) => ({ ...after, id: 'msg-f:1', legacyId: '18f3a0c2b1d4e600', from: JAMES, labels: ['^i'] });
const FORGERIES = [
  // what the forged data claims, the page, readings posted (genuine and forged), whose reading is used
  ['a reply after the last email', 'thread-trap-en.html', () => [forged((m) => m.push(reply(m.at(-1))))], 'page'],
  ['the prospect wrote my last email', 'thread-trap-en.html', () => [forged((m) => (m[4].from = JAMES))], 'page'],
  [
    'a reply instead of my first email',
    'thread-trap-en.html',
    () => [forged((m) => m.splice(0, 1) && m.push(reply(m.at(-1))))],
    'page',
  ],
  [
    'a reply in a folded place, with the real data',
    'thread-folded-en.html',
    (g) => [g, forged((m) => (m[2].from = JAMES))],
    'page',
  ],
  [
    'a reply in a folded place, alone',
    'thread-folded-en.html',
    () => [forged((m) => (m[2].from = JAMES))],
    'gmail-data',
  ],
  ['nothing: the real data posted twice', 'thread-folded-en.html', (g) => [g, structuredClone(g)], 'gmail-data'],
];
for (const [claim, file, readings, source] of FORGERIES) {
  test(`forged Gmail data (${claim}) on ${file} → the ${source === 'page' ? "page's own reading" : 'Gmail data'}`, () => {
    const kept = readings(GENUINE()).reduce(threadReader.keepReading, []);
    const t = threadReader.readThread(page(fixture(file)), new Map([['18f3a0c2b1d4e5f6', kept]]));
    assert.equal(t.source, source);
    if (file === 'thread-trap-en.html') {
      assert.equal(t.complete, true, 'every message is on the page');
      assert.deepEqual(
        t.messages.map((m) => m.from.email),
        [PAUL, JAMES.email, PAUL, PAUL, PAUL],
      );
    }
  });
}

test('the real data agrees with the trap page, and is used', () => {
  const t = threadReader.readThread(page(fixture('thread-trap-en.html')), new Map([['18f3a0c2b1d4e5f6', [GENUINE()]]]));
  assert.equal(t.source, 'gmail-data');
});

test('a reading is kept once, and only the last few stay', () => {
  const g = GENUINE();
  assert.equal([g, structuredClone(g)].reduce(threadReader.keepReading, []).length, 1);
  const many = Array.from({ length: 9 }, (_, i) => forged((m) => (m[0].date = `2026-10-0${i + 1}`)));
  assert.equal(many.reduce(threadReader.keepReading, []).length, 4);
});

const ACCOUNTS = [
  // page, address from the MAIN world, expected
  [fixture('thread-trap-en.html'), null, PAUL],
  [fixture('thread-trap-fr.html'), null, PAUL],
  ['<a href="https://accounts.google.com/SignOutOptions" aria-label="Google Account">x</a>', null, null],
  ['<p></p>', 'me@acme.fr', 'me@acme.fr'],
  [fixture('thread-trap-en.html'), 'not an address', PAUL],
];
for (const [html, fromPage, expected] of ACCOUNTS) {
  test(`account: ${fromPage ?? 'from the page'} → ${expected}`, () => {
    assert.equal(threadReader.readAccount(page(html), fromPage), expected);
  });
}

// No account button: the thread's sent messages, then a compose's From, say who "me" is.
const SENT = (labels, email = 'paul@acme.fr') => ({
  messages: [
    { from: { email: 'marc@batiplus.fr' }, labels: ['^i'] },
    { from: { email }, labels },
  ],
});
const NO_BUTTON = [
  // page, thread, expected
  ['<p></p>', SENT(['^f', '^i']), 'paul@acme.fr'],
  ['<p></p>', SENT(['SENT']), 'paul@acme.fr'],
  ['<p></p>', SENT(['^i']), null],
  ['<p></p>', SENT(['^f'], 'not an address'), null],
  ['<div class="M9"><input type="hidden" name="from" value="Paul Martin <paul@acme.fr>"></div>', null, 'paul@acme.fr'],
  ['<div class="M9"><input type="hidden" name="from" value=""></div>', SENT([]), null],
  [
    '<a href="https://accounts.google.com/SignOutOptions" aria-label="Google Account: P (p@acme.fr)">P</a>',
    SENT(['^f']),
    'p@acme.fr',
  ],
  ['<p></p>', null, null],
];
for (const [html, thread, expected] of NO_BUTTON) {
  test(`account without GLOBALS: ${html.slice(0, 50)} ${JSON.stringify(thread?.messages?.[1]?.labels)} → ${expected}`, () => {
    assert.equal(threadReader.readAccount(page(html), null, thread), expected);
  });
}

const REAL_SENT = [
  // saved Gmail response (shared/data/gmail-internal), the account it names through ^f, or none
  ['inboxsdk/2022-09-09-cvOnReplySend_response.json', 'test@streak.com'],
  ['inboxsdk/2022-09-09-cvOnSend_response.json', 'test@gmail.com'],
  ['gmail-js/testdata-parser-fd-embedded.json', null], // received mail only: nothing labelled ^f
];
for (const [file, expected] of REAL_SENT) {
  test(`on real Gmail data ${file}, the account is ${expected ?? 'unknown'}`, () => {
    const [thread] = parsed(path.join(SHARED_DATA, 'gmail-internal', file));
    assert.equal(threadReader.readAccount(page('<p></p>'), null, thread), expected);
  });
}

const RECIPIENTS = [
  // compose, recipients read
  [fixture('compose-reply.html'), ['james.walker@northwind-build.co.uk']],
  [fixture('compose-popup.html'), ['anna.berg@fjordline-freight.no', 'claire.dubois@vantage-logistics.com']],
  [
    '<div class="M9"><div class="GS"><span email="a@b.fr"></span></div><input name="cc" value="c@d.fr"></div>',
    ['a@b.fr', 'c@d.fr'],
  ],
  ['<div class="M9"><div class="GS"><div role="option" data-name="Marc">Marc</div></div></div>', []],
];
for (const [html, expected] of RECIPIENTS) {
  test(`compose recipients → ${expected.join(', ') || 'none'}`, () => {
    const doc = page(html);
    const composes = [...doc.querySelectorAll('.M9')];
    assert.equal(composes.length, 1);
    assert.deepEqual(threadReader.composeRecipients(composes[0]), expected);
  });
}
