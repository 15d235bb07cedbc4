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
  MAX.uiLanguage = () => globalThis.chrome?.i18n?.getUILanguage?.() || globalThis.navigator?.language || 'en';
})();
