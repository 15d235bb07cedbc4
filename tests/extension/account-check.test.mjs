// Tests extension/content/account-check.js: "me" is the confirmed address; what Gmail's page
// names (the account button, GLOBALS[10] posted from the MAIN world — by page-world.js or by any
// other script there) is only checked against it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fixture, installDom, loadScripts } from './jsdom-env.mjs';

installDom();
const { accountCheck } = await loadScripts(
  'lib/contract.js',
  'lib/settings.js',
  'lib/gmail-dom.js',
  'content/thread-reader.js',
  'content/account-check.js',
);
const page = (html) => installDom(html).window.document;
const PAUL = 'paul.martin@acme-sales.com';
const JAMES = 'james.walker@northwind-build.co.uk';

const CLAIMS = [
  // page, addresses posted from the MAIN world, claims
  ['thread-trap-en.html', [], [PAUL]],
  ['thread-trap-en.html', [PAUL.toUpperCase(), JAMES], [PAUL, JAMES]],
  ['thread-trap-fr.html', ['not an address'], [PAUL]], // "Compte Google : …"
  [null, [JAMES], [JAMES]],
  [null, [], []],
];
for (const [file, posted, claims] of CLAIMS) {
  test(`the page ${file ?? '(no account button)'} + posted ${JSON.stringify(posted)} names ${JSON.stringify(claims)}`, () => {
    const doc = page(file ? fixture(file) : '<p>nothing</p>');
    assert.deepEqual(accountCheck.pageClaims(doc, posted), claims);
  });
}

const PROBLEMS = [
  // confirmed address, what the page names, problem
  ['', [PAUL], { code: 'no_account' }], // first run: MAX says what it needs, never guesses
  ['not an address', [PAUL], { code: 'no_account' }],
  [PAUL, [PAUL], null],
  [PAUL, [], null], // the page names nothing: read as the confirmed account
  ['Paul.Martin@Acme-Sales.com', [PAUL], null],
  [PAUL, [PAUL, JAMES], null], // a forged claim beside the page's own changes nothing
  [PAUL, [JAMES, PAUL], null],
  [PAUL, ['other@gmail.com'], { code: 'wrong_account', args: ['other@gmail.com', PAUL] }],
];
for (const [confirmed, claims, problem] of PROBLEMS) {
  test(`confirmed ${JSON.stringify(confirmed)}, the page names ${JSON.stringify(claims)} → ${problem?.code ?? 'read as the confirmed account'}`, () => {
    assert.deepEqual(accountCheck.problem(confirmed, claims), problem);
  });
}

const LABELS = [
  // sender, labels from Gmail's page data, labels sent to the backend
  [PAUL, ['^f', '^i'], ['^f', '^i']],
  [JAMES, ['^f', '^i'], ['^i']], // "sent by this account" on the prospect's message: not ours
  [PAUL.toUpperCase(), ['^f'], ['^f']],
  [JAMES, ['SENT'], []], // the Gmail API's labels never come from the page: forged
  [PAUL, ['DRAFT', '^f'], ['^f']], // a forged DRAFT would make my follow-up not count
  [JAMES, 'SENT', []],
];
for (const [from, labels, kept] of LABELS) {
  test(`labels ${JSON.stringify(labels)} on a message from ${from} → ${JSON.stringify(kept)}`, () => {
    assert.deepEqual(accountCheck.trustedLabels({ from: { email: from }, labels }, PAUL), kept);
  });
}
