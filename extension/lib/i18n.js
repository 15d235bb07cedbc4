/*
 * Visible strings come from _locales/<lang>/messages.json through chrome.i18n, nowhere else.
 * Rule: code names a key with MAX.t('key'); a meta-test checks every key used exists in en and fr.
 * A missing key shows the key itself, never an empty UI.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  MAX.t = (key, substitutions) => {
    const subs = substitutions === undefined ? undefined : [].concat(substitutions).map(String);
    return globalThis.chrome?.i18n?.getMessage?.(key, subs) || key;
  };
  // chrome.i18n has no plurals: the caller names both keys whole, Intl.PluralRules picks one
  // (French counts 0 and 1 as singular, English only 1).
  MAX.tCount = (count, oneKey, otherKey, substitutions = [count]) => {
    const rule = new Intl.PluralRules(MAX.uiLanguage()).select(Number(count));
    return MAX.t(rule === 'one' ? oneKey : otherKey, substitutions);
  };
  MAX.uiLanguage = () => globalThis.chrome?.i18n?.getUILanguage?.() || globalThis.navigator?.language || 'en';
})();
