// Tests extension/lib/gmail-dom.js, the one table of Gmail selectors (refined-github's
// selectors.test.ts habit): every chain is run on the fixture pages, and the number of elements
// it finds there is the one counted by hand on the page (fixtures/README.md says which source each
// part of a page follows). Meta-tests: every entry says what it finds, where it comes from and
// when; every chain link is seen on some fixture or named below as unseen; no feature file holds
// a Gmail selector of its own, and no entry is dead.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, fixture, installDom, loadScripts, withSidePanel } from './jsdom-env.mjs';

installDom();
const { gmailDom } = await loadScripts('lib/gmail-dom.js');
const { SELECTORS } = gmailDom;

const FIXTURES = [
  'thread-trap-en.html',
  'thread-trap-fr.html',
  'thread-folded-en.html',
  'thread-folded-fr.html',
  'thread-watch-en.html',
  'inbox-en.html',
  'list-en.html',
  'compose-reply.html',
  'compose-popup.html',
  'side-panel.html',
];
const docs = new Map(FIXTURES.map((f) => [f, installDom(fixture(f)).window.document]));
// The trap thread as the e2e server serves it: Gmail's side panel beside the mail.
const T_SP = 'thread-trap-en.html + side-panel.html';
docs.set(T_SP, installDom(withSidePanel(fixture('thread-trap-en.html'))).window.document);

const T_EN = 'thread-trap-en.html';
const T_FR = 'thread-trap-fr.html';
const F_EN = 'thread-folded-en.html';
const F_FR = 'thread-folded-fr.html';
const W_EN = 'thread-watch-en.html';
const INBOX = 'inbox-en.html';
const LIST = 'list-en.html';
const REPLY = 'compose-reply.html';
const POPUP = 'compose-popup.html';
const SIDE = 'side-panel.html';

// name → [elements the chain finds, fixture]; counted on the pages, element by element.
const EXPECTED = {
  threadView: [
    [1, T_EN],
    [0, INBOX], // the thread waits in a <template>
    [0, REPLY],
  ],
  threadId: [
    [1, T_EN],
    [1, W_EN],
    [3, INBOX], // no h2: the fallback finds the three rows — which is why it is only used in a thread view
    [0, SIDE],
  ],
  threadHeading: [
    [1, T_EN],
    [0, INBOX],
  ],
  threadRow: [
    [2, T_EN], // the list Gmail keeps, hidden, while a thread is open
    [3, INBOX],
    [9, LIST],
    [0, T_FR],
  ],
  rowThreadId: [
    [3, INBOX], // one per row, on the subject span
    [9, LIST], // eight rows with one, row 7 with a second; row 9 none
    [2, T_EN],
    [0, REPLY],
  ],
  rowSubject: [
    [3, INBOX],
    [9, LIST],
    [0, T_FR],
  ],
  subject: [
    [1, T_FR],
    [0, INBOX],
  ],
  message: [
    [5, T_EN],
    [5, T_SP], // the side panel holds none of the thread's parts
    [0, SIDE],
    [5, F_EN], // first collapsed, three folded, last expanded
    [4, W_EN],
    [0, INBOX],
  ],
  expandedState: [
    [2, T_EN],
    [1, F_EN],
    [2, W_EN],
  ],
  collapsedState: [
    [3, T_EN],
    [1, F_FR],
    [2, W_EN],
  ],
  hiddenState: [
    [3, F_EN],
    [0, T_EN],
  ],
  expandedContent: [
    [4, T_EN], // two expanded, two collapsed with an empty hidden div.adn.ads
    [3, T_FR],
    [2, F_EN],
    [1, F_FR],
    [3, W_EN],
  ],
  collapsedHeader: [
    [5, T_EN], // every message has one; hidden in the expanded ones
    [2, F_EN],
    [0, INBOX],
  ],
  sender: [
    [7, T_EN], // five headers, two expanded contents
    [3, F_EN],
    [0, INBOX], // a row's sender is not a message's
  ],
  recipients: [
    [2, T_EN],
    [1, F_EN],
    [0, INBOX],
  ],
  expandedDate: [
    [2, T_EN],
    [1, F_FR],
  ],
  collapsedDate: [
    [7, T_EN], // td.gH spans: five headers and, below .gK, the two expanded dates
    [0, INBOX], // a row's date is td.xW
  ],
  snippet: [
    [5, T_EN],
    [0, INBOX],
  ],
  body: [
    [2, T_EN],
    [2, W_EN],
  ],
  legacyMessageId: [
    [4, T_EN],
    [3, T_FR],
    [0, INBOX],
  ],
  syncMessageId: [
    [4, T_EN],
    [1, F_FR],
  ],
  foldedStack: [
    [1, F_EN],
    [0, T_EN],
  ],
  foldedCount: [
    [1, F_FR],
    [0, T_FR],
  ],
  bodyImage: [
    [1, W_EN], // James's signature logo, through Google's image proxy
    [0, T_EN],
  ],
  compose: [
    [1, REPLY],
    [2, POPUP], // div.AD and the div.M9 inside it: main.js keeps the innermost
    [0, T_EN], // the compose is a template the e2e server adds
  ],
  moleContainer: [
    [1, POPUP],
    [0, REPLY],
  ],
  composeThreadId: [
    [1, REPLY],
    [0, POPUP],
  ],
  composeFrom: [
    [1, REPLY],
    [1, POPUP],
  ],
  composeBody: [
    [1, REPLY],
    [1, POPUP],
  ],
  composeRecipientChip: [
    [1, REPLY],
    [0, POPUP],
  ],
  composeRecipientField: [
    [2, POPUP],
    [0, REPLY],
  ],
  composeSend: [
    [1, REPLY],
    [1, POPUP],
    [0, T_EN], // the messages' More buttons are T-I buttons with a popup too
    [0, SIDE], // nor the rail's buttons
  ],
  composeSendArchive: [
    [1, REPLY],
    [0, POPUP],
  ],
  composeSendOptions: [
    [1, REPLY],
    [1, POPUP],
  ],
  composeScheduleSend: [
    [1, REPLY],
    [1, POPUP],
  ],
  accountButton: [
    [1, T_EN],
    [1, INBOX],
    [0, REPLY],
  ],
  labelWithAddress: [
    [1, T_FR],
    [0, REPLY],
    [0, SIDE], // the rail's labels hold no address
  ],
  sidePanelColumn: [
    [1, SIDE],
    [1, T_SP],
    [0, T_EN], // the page alone: only the marker where the e2e server puts it
  ],
  sidePanelContent: [
    [1, SIDE],
    [1, T_SP],
    [0, INBOX],
  ],
  sidePanelWrapper: [
    [1, SIDE], // div.WN9Ejb around the content container
    [0, T_EN],
  ],
  sidePanelRail: [
    [1, SIDE],
    [0, REPLY],
  ],
  sidePanelTabList: [
    [1, SIDE], // one element, both role=tablist and .J-KU-Jg
    [0, T_EN],
    [0, POPUP],
  ],
  sidePanelSeparator: [
    [1, SIDE],
    [0, T_EN],
  ],
  sidePanelActiveIcon: [
    [0, SIDE], // no companion open; gmail-fixture.js marks Calendar so when it opens
    [0, T_SP],
  ],
  sidePanelSdkOpen: [[0, SIDE]], // no InboxSDK app installed (side-panel.test.mjs builds one)
  sidePanelSdkActiveButton: [[0, SIDE]],
};

// Fallback links no fixture shows (older layouts no public page was saved from), and why kept.
const UNSEEN = {
  'threadView table.Bs > tr': 'InboxSDK getThreadContainerElement before 2023-11-16',
  'threadView div.if': 'gmail.js api.dom.thread, 2018 layout',
  'sidePanelWrapper .bq9': 'InboxSDK: the content container was its own wrapper before the 2024-11-07 layout',
  'sidePanelActiveIcon .aT5-aOt-I-KO': "set by Gmail on an open companion's icon (the e2e fixture sets it on Calendar)",
  'sidePanelSdkOpen .companion_app_sidebar_visible':
    "InboxSDK's, with one of its apps (Streak) open: side-panel.test.mjs",
  'sidePanelSdkActiveButton .sidebar_button_container_active button': "InboxSDK's, likewise",
};

for (const [name, cases] of Object.entries(EXPECTED)) {
  for (const [count, file] of cases) {
    test(`${name} finds ${count} on ${file}`, () => {
      assert.equal(gmailDom.findAll(docs.get(file), name).length, count);
      assert.equal(Boolean(gmailDom.find(docs.get(file), name)), count > 0);
    });
  }
}

test('every selector has expectations, and every expectation a selector', () => {
  assert.deepEqual(Object.keys(EXPECTED).sort(), Object.keys(SELECTORS).sort());
});

test('every entry says what it finds, its chain, its source and its year', () => {
  for (const [name, entry] of Object.entries(SELECTORS)) {
    assert.ok(entry.finds?.length > 10, `${name}.finds`);
    assert.ok(entry.chain.length > 0 && entry.chain.every((s) => typeof s === 'string' && s), `${name}.chain`);
    assert.ok(entry.source?.length > 10, `${name}.source`);
    assert.ok(Number.isInteger(entry.year) && entry.year >= 2010 && entry.year <= 2026, `${name}.year`);
  }
});

test('every link of every chain is seen on a fixture, or named as unseen', () => {
  const unseen = [];
  for (const [name, entry] of Object.entries(SELECTORS)) {
    for (const link of entry.chain) {
      const seen = [...docs.values()].some((doc) => doc.querySelector(link));
      if (!seen) unseen.push(`${name} ${link}`);
    }
  }
  assert.deepEqual(unseen.sort(), Object.keys(UNSEEN).sort());
});

test('an unknown selector name throws (a typo fails loudly, not silently finds nothing)', () => {
  assert.throws(() => gmailDom.find(docs.get(T_EN), 'sendButon'), /no Gmail selector named sendButon/);
});

test('the first link that matches wins; later links are only fallbacks', () => {
  const doc = docs.get(T_EN);
  // sender's first link finds every sender; span.gD[email] alone would miss the collapsed ones
  assert.equal(gmailDom.findAll(doc, 'sender').length, 7);
  assert.equal(doc.querySelectorAll('span.gD[email]').length, 2);
  const h2 = gmailDom.find(doc, 'threadId');
  assert.equal(h2.tagName, 'H2');
  assert.equal(gmailDom.closest(h2.firstChild.parentElement, 'threadView')?.classList.contains('a98'), true);
  assert.equal(gmailDom.matches(doc.querySelector('[role=listitem]'), 'collapsedState'), true);
  assert.equal(gmailDom.matches(doc.querySelector('[role=listitem]'), 'expandedState'), false);
});

// --- the table is the only place: no Gmail selector elsewhere, no dead entry -------------------
const FEATURES = [
  'thread-reader.js',
  'send-hold.js',
  'main.js',
  'tracking.js',
  'page-world.js',
  'side-panel.js',
  'sidebar.js',
  'chip.js',
  'phone-message.js',
].map((f) => path.join(ROOT, 'extension/content', f));
const source = (file) =>
  fs
    .readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

test('the features take every Gmail selector from the table', () => {
  const literal = /\b(?:querySelector|querySelectorAll|closest|matches)\(\s*(['"`])([^'"`]*)\1/g;
  const own = [];
  for (const file of FEATURES) {
    for (const m of source(file).matchAll(literal)) {
      if (!m[2].includes('data-max')) own.push(`${path.basename(file)}: ${m[2]}`);
    }
  }
  assert.deepEqual(own, []);
});

test('every name the extension looks up is in the table, and every entry is used', () => {
  const lookup = /\b(?:find|findAll|closest|matches)\(\s*[\w.?]+,\s*'(\w+)'/g;
  const named = new RegExp(`'(${Object.keys(SELECTORS).join('|')})'`, 'g'); // passed on: labelled(doc, 'x')
  const used = new Set();
  const walk = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? walk(p) : p.endsWith('.js') ? [p] : [];
    });
  const lookedUp = new Set();
  for (const file of walk(path.join(ROOT, 'extension'))) {
    if (file.endsWith('gmail-dom.js')) continue;
    for (const m of source(file).matchAll(lookup)) lookedUp.add(m[1]);
    for (const m of source(file).matchAll(named)) used.add(m[1]);
  }
  assert.deepEqual(
    [...lookedUp].filter((n) => !(n in SELECTORS)),
    [],
  );
  assert.deepEqual(
    Object.keys(SELECTORS).filter((n) => !used.has(n)),
    [],
  );
});
