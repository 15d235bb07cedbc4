// Meta-tests for _locales and extension/lib/i18n.js: every key the code uses exists in en and fr,
// en and fr have the same keys and the same $n substitutions, and no visible string is empty.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { installDom, loadScripts, ROOT } from './jsdom-env.mjs';

installDom();
const { contract, sidebar } = await loadScripts(
  'lib/contract.js',
  'lib/i18n.js',
  'lib/error-text.js',
  'lib/gmail-dom.js',
  'content/dom-build.js',
  'content/thread-reader.js',
  'content/side-panel.js',
  'content/chip.js',
  'content/phone-message.js',
  'content/sidebar.js',
);

const locale = (lang) => JSON.parse(fs.readFileSync(path.join(ROOT, '_locales', lang, 'messages.json'), 'utf8'));
const LOCALES = { en: locale('en'), fr: locale('fr') };

function files(dir, ext) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

// Keys are written whole in the code (never built from pieces), so every quoted literal with a
// key's shape counts: t('key'), tables ({trap: 'level_trap'}), ternaries. Comments are skipped.
const KEY_LITERAL =
  /'((?:ext[A-Z]|level|reason|channel|open|sidebar|banner|opt|qr|copy|copied|sms|suggestion|message|why|incomplete|last|opens|wait|ignored|recommend|send|error|chip|atLeast|pipeline|stats|answered)[A-Za-z_]*)'/g;
const withoutComments = (src) => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

// Keys named after the contract's values (sidebar.js builds them: level_<level>,
// channel_<channel>, ignored_<reason>, reason_<code>, note_<note>, absence_<absence>): one per value, so a value
// maxcore adds without its sentences fails here. A code with a plural has _one and _other.
const plural = (code) => (Object.hasOwn(sidebar.PLURAL, code) ? [`${code}_one`, `${code}_other`] : [code]);
const DERIVED = [
  ...contract.LEVELS.map((v) => `level_${v}`),
  ...contract.PHONE_CHANNELS.map((v) => `channel_${v}`),
  ...contract.IGNORED_REASONS.map((v) => `ignored_${v}`),
  'ignored_other',
  ...contract.CODES.flatMap(plural).map((v) => `reason_${v}`),
  ...contract.NOTES.map((v) => `note_${v}`),
  ...contract.ABSENCES.map((v) => `absence_${v}`),
];

function usedKeys() {
  const keys = new Map();
  const add = (key, file) => keys.set(key, path.relative(ROOT, file));
  for (const key of DERIVED) add(key, path.join(ROOT, 'extension/lib/contract.js'));
  for (const file of files(path.join(ROOT, 'extension'), '.js')) {
    const src = withoutComments(fs.readFileSync(file, 'utf8'));
    for (const m of src.matchAll(/\b(?:t|getMessage)\(\s*'([A-Za-z0-9_]+)'/g)) add(m[1], file);
    for (const m of src.matchAll(KEY_LITERAL)) if (/[A-Z_]/.test(m[1]) || m[1] === 'copied') add(m[1], file);
  }
  for (const file of files(path.join(ROOT, 'extension'), '.html')) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/data-i18n="([A-Za-z0-9_]+)"/g)) add(m[1], file);
  }
  const manifest = path.join(ROOT, 'manifest.json');
  for (const m of fs.readFileSync(manifest, 'utf8').matchAll(/__MSG_([A-Za-z0-9_]+)__/g)) add(m[1], manifest);
  return keys;
}

test('every message in en is used somewhere (no dead strings)', () => {
  const used = usedKeys();
  assert.deepEqual(
    Object.keys(LOCALES.en).filter((k) => !used.has(k)),
    [],
  );
});

test('the code uses at least the keys we know it shows', () => {
  const keys = usedKeys();
  for (const key of [
    'bannerTrapTitle',
    'bannerEvidence',
    'error_unreachable',
    'error_bad_pairing_code',
    'chipWhy_incomplete',
    'atLeastOther',
    'bannerTrapTitleAtLeast',
    'optPairLocal',
    'level_trap',
    'ignored_auto_reply',
    'reason_trap',
    'optionsTitle',
    'extName',
    'openSms',
  ]) {
    assert.ok(keys.has(key), key);
  }
});

for (const lang of Object.keys(LOCALES)) {
  test(`every key used in code exists in ${lang}`, () => {
    const missing = [...usedKeys()].filter(([key]) => !(key in LOCALES[lang])).map(([k, f]) => `${k} (${f})`);
    assert.deepEqual(missing, []);
  });
  test(`no empty message in ${lang}`, () => {
    const empty = Object.entries(LOCALES[lang])
      .filter(([, v]) => !v.message?.trim())
      .map(([k]) => k);
    assert.deepEqual(empty, []);
  });
}

test('each advice sentence takes exactly the facts maxcore names for its code, in both languages', () => {
  for (const lang of Object.keys(LOCALES)) {
    for (const code of contract.CODES) {
      for (const key of plural(code).map((v) => `reason_${v}`)) {
        const subs = [...new Set(LOCALES[lang][key].message.match(/\$\d/g) ?? [])].sort();
        const wanted = contract.REASON_FACTS[code].map((_, i) => `$${i + 1}`);
        assert.deepEqual(subs, wanted, `${lang} ${key}`);
      }
    }
  }
});

test('en and fr have the same keys', () => {
  assert.deepEqual(Object.keys(LOCALES.fr).sort(), Object.keys(LOCALES.en).sort());
});

test('en and fr use the same substitutions ($1, $2…) in each message', () => {
  const subs = (s) => [...new Set(s.match(/\$\d/g) ?? [])].sort();
  const differ = Object.keys(LOCALES.en).filter(
    (k) => subs(LOCALES.en[k].message).join() !== subs(LOCALES.fr[k].message).join(),
  );
  assert.deepEqual(differ, []);
});

test('the banner cites its evidence with source and year in both languages', () => {
  for (const lang of ['en', 'fr']) {
    assert.match(LOCALES[lang].bannerEvidence.message, /20.+30 %/);
    assert.match(LOCALES[lang].bannerEvidenceSource.message, /Belkins 2023–24/);
    assert.match(LOCALES[lang].bannerEvidenceSource.message, /Belkins 2025–26/);
  }
});

const COUNTS = [
  // ui language, count, key chosen
  ['fr', 0, 'whyUnansweredOne'],
  ['fr', 1, 'whyUnansweredOne'],
  ['fr', 3, 'whyUnansweredOther'],
  ['en', 0, 'whyUnansweredOther'],
  ['en', 1, 'whyUnansweredOne'],
  ['en', 2, 'whyUnansweredOther'],
];
for (const [lang, count, key] of COUNTS) {
  test(`${count} in ${lang} → ${key}`, async () => {
    globalThis.chrome = { i18n: { getUILanguage: () => lang } };
    const { loadScripts } = await import('./jsdom-env.mjs');
    const MAX = await loadScripts('lib/i18n.js');
    assert.equal(MAX.tCount(count, 'whyUnansweredOne', 'whyUnansweredOther'), key);
    delete globalThis.chrome;
  });
}
