// Tests the language MAX speaks (extension/lib/i18n.js) and what a failure says
// (extension/lib/error-text.js): Gmail's language first, Chrome's only as a fallback; the
// messages.json MAX loads is formatted as chrome.i18n formats it; every failure is a sentence in
// that language, never an exception's name.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, installDom, loadScripts } from './jsdom-env.mjs';

installDom();
let chromeLang = 'en-US';
globalThis.chrome = { i18n: { getUILanguage: () => chromeLang, getMessage: (key) => `chrome:${key}` } };
const MAX = await loadScripts('lib/contract.js', 'lib/i18n.js', 'lib/error-text.js');
const locale = (lang) => JSON.parse(fs.readFileSync(path.join(ROOT, '_locales', lang, 'messages.json'), 'utf8'));
const LOCALES = { en: locale('en'), fr: locale('fr') };

const PICKS = [
  // GLOBALS[4]'s language, <html lang>, Chrome's, → what MAX speaks
  ['fr', 'fr', 'en-US', 'fr'], // French Gmail in an English Chrome
  [null, 'fr', 'en-US', 'fr'], // no GLOBALS: the page's lang
  ['en-GB', 'en', 'fr-FR', 'en'], // English Gmail in a French Chrome
  ['fr-CA', null, 'en', 'fr'],
  [null, null, 'fr-FR', 'fr'], // Gmail says nothing: Chrome's
  ['de', 'de', 'fr', 'fr'], // a Gmail language MAX does not speak: the next that it does
  ['de', 'de', 'de', 'en'], // none: English, the default locale
  ['', ' ', 'pt_BR', 'en'],
];
for (const [globals, html, chromeUi, lang] of PICKS) {
  test(`Gmail ${globals}, page ${html}, Chrome ${chromeUi} → ${lang}`, () => {
    chromeLang = chromeUi;
    assert.equal(MAX.pickLanguage(globals, html), lang);
  });
}

const FORMATS = [
  // message, substitutions, text
  ['$1 emails, follow-up no. $1', [3], '3 emails, follow-up no. 3'],
  ['$1 at $2', ['a', 'b'], 'a at b'],
  ['costs $$5', [], 'costs $5'],
  ['missing $2', ['x'], 'missing '],
  ['no subs', undefined, 'no subs'],
];
for (const [message, subs, text] of FORMATS) {
  test(`"${message}" with ${JSON.stringify(subs)} → "${text}", as chrome.i18n formats it`, () => {
    assert.equal(MAX.i18n.format(message, [].concat(subs ?? []).map(String)), text);
  });
}

test('chrome.i18n answers until a language is loaded, then the loaded messages.json does', () => {
  assert.equal(MAX.t('extName'), 'chrome:extName');
  MAX.i18n.use('fr', LOCALES.fr);
  assert.equal(MAX.i18n.language(), 'fr');
  assert.equal(MAX.uiLanguage(), 'fr', 'dates and plurals follow too');
  assert.equal(MAX.t('extName'), LOCALES.fr.extName.message);
  assert.equal(MAX.t('bannerTrapTitle', [3]), 'Déjà 3 emails sans réponse : celui-ci serait la relance n° 3.');
  assert.equal(MAX.t('no_such_key'), 'no_such_key', 'a missing key shows itself, never nothing');
  assert.equal(MAX.tCount(1, 'whyUnansweredOne', 'whyUnansweredOther'), '1 email envoyé sans réponse.');
  MAX.i18n.use('en', LOCALES.en);
  assert.equal(MAX.t('extName'), LOCALES.en.extName.message);
});

test('no message uses named placeholders (MAX formats $1…$9 only)', () => {
  for (const [lang, messages] of Object.entries(LOCALES)) {
    for (const [key, entry] of Object.entries(messages)) {
      assert.equal(entry.placeholders, undefined, `${lang} ${key}`);
      assert.doesNotMatch(entry.message, /\$[A-Za-z_]+\$/, `${lang} ${key}`);
    }
  }
});

// Every code error-text.js knows, and a few it does not: a plain sentence in each language.
const CODES = [...Object.keys(MAX.errorKeys).filter((c) => !['backendUrl', 'code'].includes(c)), 'http_500', 'x'];
for (const lang of ['en', 'fr']) {
  test(`every failure is a sentence in ${lang}, never an exception's name`, () => {
    MAX.i18n.use(lang, LOCALES[lang]);
    for (const code of CODES) {
      const text = MAX.errorText({ code, message: 'TypeError' }, 'http://127.0.0.1:8765');
      assert.ok(text.length > 30, `${code}: ${text}`);
      assert.doesNotMatch(text, /TypeError|undefined|error_|\$\d/, `${code}: ${text}`);
    }
    assert.match(MAX.errorText({ code: 'http_500' }), /http_500/, 'an unknown code is named in the sentence');
    assert.match(MAX.errorText({ code: 'bad_request', field: 'backendUrl' }), /127\.0\.0\.1:8765/);
    assert.match(MAX.errorText({ code: 'bad_request', field: 'code' }), lang === 'fr' ? /code/ : /pairing code/);
  });
}

test('the server down says so and how to start it, in both languages', () => {
  MAX.i18n.use('en', LOCALES.en);
  const en = MAX.errorText({ code: 'unreachable' }, 'http://127.0.0.1:9999');
  assert.equal(
    en,
    "The MAX server does not answer at http://127.0.0.1:9999: start it with `make run` (or check its address in MAX's settings).",
  );
  MAX.i18n.use('fr', LOCALES.fr);
  assert.match(
    MAX.errorText({ code: 'unreachable' }, 'http://127.0.0.1:9999'),
    /^Le serveur MAX ne répond pas .* `make run`/,
  );
  assert.match(MAX.errorText({ code: 'bad_pairing_code' }), /^Ce code d’appairage est faux/);
});
