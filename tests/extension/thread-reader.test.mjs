// Tests extension/content/thread-reader.js on fixture Gmail pages (fixtures/*.html, written here
// from gmail-page.md's selectors) and on Gmail's real saved thread data.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SHARED_DATA, fixture, installDom, loadScripts } from './jsdom-env.mjs';

installDom();
const { threadReader, gmailResponse } = await loadScripts('lib/gmail-response.js', 'content/thread-reader.js');
const page = (html) => installDom(html).window.document;

const PAGES = [
  // fixture, subject, messages read, complete, first date as displayed, prospect, ui
  [
    'thread-trap-en.html',
    'Proposal – planning module',
    5,
    true,
    'Tue, Oct 20, 2026, 9:05 AM',
    'james.walker@northwind-build.co.uk',
  ],
  [
    'thread-trap-fr.html',
    'Proposition – module planification',
    5,
    true,
    'mar. 20 oct. 2026, 09:05',
    'marc.lefevre@batiplus.fr',
  ],
  [
    'thread-folded-en.html',
    'Proposal – planning module',
    2,
    false,
    'Tue, Oct 20, 2026, 9:05 AM',
    'james.walker@northwind-build.co.uk',
  ],
];

for (const [file, subject, count, complete, firstDate, prospect] of PAGES) {
  test(`reads the open thread of ${file}`, () => {
    const t = threadReader.readThread(page(fixture(file)));
    assert.equal(t.thread_id, '18f3a0c2b1d4e5f6');
    assert.equal(t.subject, subject);
    assert.equal(t.messages.length, count);
    assert.equal(t.complete, complete);
    assert.equal(t.messages[0].date, firstDate);
    assert.equal(t.messages[0].from.email, 'paul.martin@acme-sales.com');
    assert.equal(t.messages[0].from.name, 'Paul Martin');
    assert.deepEqual(
      t.messages[0].to.map((a) => a.email),
      [prospect],
    );
    assert.equal(t.messages[0].id, '18f3a0c2b1d4e5f6');
    assert.ok(
      t.messages.every((m) => m.text.length > 10),
      'visible text read',
    );
  });
}

test('a folded stack is counted from .adx span, and a stack without a number counts as one', () => {
  assert.equal(threadReader.foldedCount(page(fixture('thread-folded-en.html'))), 3);
  assert.equal(threadReader.foldedCount(page('<div class="adv"><span class="adx"><span></span></span></div>')), 1);
  assert.equal(threadReader.foldedCount(page(fixture('thread-trap-en.html'))), 0);
});

test('no thread open → null (the inbox list)', () => {
  assert.equal(threadReader.readThread(page('<div role="main"><table><tr class="zA"></tr></table></div>')), null);
});

// Gmail's own data for the same thread id completes a folded page.
function internalFor(legacyId, n) {
  const messages = Array.from({ length: n }, (_, i) => ({
    id: `msg-f:${i}`,
    legacyId: i === 0 ? '18f3a0c2b1d4e5f6' : `18f3a0c2b1d4e6${String(i).padStart(2, '0')}`,
    from: { email: i % 2 ? 'paul.martin@acme-sales.com' : 'james.walker@northwind-build.co.uk', name: '' },
    to: [],
    cc: [],
    date: new Date(Date.UTC(2026, 9, 20 + i)).toISOString(),
    text: `snippet ${i}`,
    labels: i % 2 ? ['^f'] : ['^i'],
  }));
  return new Map([[legacyId, { legacyThreadId: legacyId, subject: 'S', messages }]]);
}

const INTERNAL = [
  // messages in Gmail's data, complete, source
  [5, true, 'gmail-data'],
  [6, true, 'gmail-data'],
  [4, false, 'page'], // fewer than the page shows + folds: not trusted, never guess low
];
for (const [n, complete, source] of INTERNAL) {
  test(`folded page + Gmail data with ${n} messages → complete ${complete}`, () => {
    const t = threadReader.readThread(page(fixture('thread-folded-en.html')), internalFor('18f3a0c2b1d4e5f6', n));
    assert.equal(t.complete, complete);
    assert.equal(t.source, source);
    if (source === 'gmail-data') {
      assert.equal(t.messages.length, n);
      assert.deepEqual(t.messages[1].labels, ['^f']);
      assert.match(
        t.messages[0].text,
        /as promised after our call/,
        'the page text wins where the message is on screen',
      );
    }
  });
}

test('Gmail data saved from a real thread is read by thread id', () => {
  const text = fs.readFileSync(
    path.join(SHARED_DATA, 'gmail-internal/inboxsdk/thread-response-2018-03-14.json'),
    'utf8',
  );
  const internal = new Map(gmailResponse.parseGmailResponse(text).map((t) => [t.legacyThreadId, t]));
  const doc =
    page(`<div class="ha"><h2 class="hP" data-legacy-thread-id="1620d2f175a1a6c9">Validate emails within Streak</h2></div>
    <div class="adv"><span class="adx"><span>2</span></span></div>`);
  const t = threadReader.readThread(doc, internal);
  assert.equal(t.complete, true);
  assert.deepEqual(
    t.messages.map((m) => m.from.email),
    ['sara@streak.com', 'michael@streak.com', 'sara@streak.com', 'michael@streak.com'],
  );
});

const ACCOUNTS = [
  // page, address from the MAIN world, expected
  [fixture('thread-trap-en.html'), null, 'paul.martin@acme-sales.com'],
  [fixture('thread-trap-fr.html'), null, 'paul.martin@acme-sales.com'],
  ['<a href="https://accounts.google.com/SignOutOptions" aria-label="Google Account">x</a>', null, null],
  ['<p></p>', 'me@acme.fr', 'me@acme.fr'],
  [fixture('thread-trap-en.html'), 'not an address', 'paul.martin@acme-sales.com'],
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
  // saved Gmail response (../shared/data/gmail-internal), the account it names through ^f, or none
  ['inboxsdk/2022-09-09-cvOnReplySend_response.json', 'test@streak.com'],
  ['inboxsdk/2022-09-09-cvOnSend_response.json', 'test@gmail.com'],
  ['gmail-js/testdata-parser-fd-embedded.json', null], // received mail only: nothing labelled ^f
];
for (const [file, expected] of REAL_SENT) {
  test(`on real Gmail data ${file}, the account is ${expected ?? 'unknown'}`, () => {
    const text = fs.readFileSync(path.join(SHARED_DATA, 'gmail-internal', file), 'utf8');
    const [thread] = gmailResponse.parseGmailResponse(text);
    assert.equal(threadReader.readAccount(page('<p></p>'), null, thread), expected);
  });
}

const RECIPIENTS = [
  // compose markup (gmail-page.md "Compose fields"), recipients read
  [
    '<div class="GS"><div class="anm" name="to"><div role="listbox"><div role="option" data-name="Marc" data-hovercard-id="Marc.Lefevre@batiplus.fr">Marc</div></div></div></div>',
    ['marc.lefevre@batiplus.fr'],
  ],
  [
    '<textarea class="vO" name="to">Marc &lt;marc@batiplus.fr&gt;, jo@acme.fr</textarea>',
    ['marc@batiplus.fr', 'jo@acme.fr'],
  ],
  ['<div class="GS"><span email="a@b.fr"></span></div><input name="cc" value="c@d.fr">', ['a@b.fr', 'c@d.fr']],
  ['<div class="GS"><div role="option" data-name="Marc">Marc</div></div>', []],
];
for (const [html, expected] of RECIPIENTS) {
  test(`compose recipients → ${expected.join(', ') || 'none'}`, () => {
    const doc = page(`<div class="M9"><form>${html}</form></div>`);
    assert.deepEqual(threadReader.composeRecipients(doc.querySelector('.M9')), expected);
  });
}

test('a message on screen without a date is not sent, and the reading says it is incomplete', () => {
  const html = fixture('thread-trap-en.html').replace(
    '<span class="g3" title="Tue, Nov 17, 2026, 9:45 AM">Nov 17</span>',
    '',
  );
  const t = threadReader.readThread(page(html));
  assert.equal(t.messages.length, 4);
  assert.equal(t.complete, false);
});
