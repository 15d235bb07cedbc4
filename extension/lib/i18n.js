/*
 * Visible strings come from _locales/<lang>/messages.json, nowhere else, in Gmail's language.
 * Rule: code names a key with MAX.t('key'); a meta-test checks every key used exists in en and fr.
 * chrome.i18n.getMessage only speaks Chrome's own language, so MAX loads the messages.json of the
 * language it picked (MAX.pickLanguage: Gmail's first, Chrome's as a fallback) and formats them
 * itself, as chrome.i18n does ($1…$9 are the substitutions, $$ a dollar sign). Until one is loaded,
 * chrome.i18n answers. A missing key shows the key itself, never an empty UI.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  let active = null; // {lang, messages} once a messages.json is loaded

  /** A message with its $n filled in, as chrome.i18n.getMessage fills them. */
  function format(message, subs) {
    return message.replace(/\$(\$|[1-9])/g, (_, d) => (d === '$' ? '$' : (subs[Number(d) - 1] ?? '')));
  }

  MAX.t = (key, substitutions) => {
    const subs = substitutions === undefined ? [] : [].concat(substitutions).map(String);
    if (active) {
      const entry = Object.hasOwn(active.messages, key) ? active.messages[key] : null;
      return typeof entry?.message === 'string' ? format(entry.message, subs) : key;
    }
    return globalThis.chrome?.i18n?.getMessage?.(key, subs) || key;
  };

  // chrome.i18n has no plurals: the caller names both keys whole, Intl.PluralRules picks one
  // (French counts 0 and 1 as singular, English only 1).
  MAX.tCount = (count, oneKey, otherKey, substitutions = [count]) => {
    const rule = new Intl.PluralRules(MAX.uiLanguage()).select(Number(count));
    return MAX.t(rule === 'one' ? oneKey : otherKey, substitutions);
  };

  const chromeLanguage = () => globalThis.chrome?.i18n?.getUILanguage?.() || globalThis.navigator?.language || 'en';
  MAX.uiLanguage = () => active?.lang ?? chromeLanguage();

  /**
   * The first candidate MAX speaks ("fr-CA" → "fr"), in order: Gmail's GLOBALS[4], the page's
   * <html lang>, then Chrome's own language; English when none is one of contract.LANGS.
   */
  MAX.pickLanguage = (...candidates) => {
    const langs = MAX.contract?.LANGS ?? ['fr', 'en'];
    for (const value of [...candidates, chromeLanguage()]) {
      const primary = typeof value === 'string' ? value.trim().toLowerCase().split(/[-_]/)[0] : '';
      if (langs.includes(primary)) return primary;
    }
    return 'en';
  };

  MAX.i18n = Object.freeze({
    /** From now on MAX.t speaks `lang`, from its parsed messages.json. */
    use(lang, messages) {
      if (messages && typeof messages === 'object') active = { lang, messages };
    },
    language: () => active?.lang ?? null,
    format,
    /**
     * An extension page (options, pipeline panel) in `lang`: its messages.json loaded (extension
     * pages may read the extension's files; chrome.i18n alone would speak Chrome's language),
     * then every [data-i18n] node's text and <html lang>.
     */
    async translatePage(lang) {
      try {
        const response = await fetch(chrome.runtime.getURL(`_locales/${lang}/messages.json`));
        MAX.i18n.use(lang, await response.json());
      } catch {
        /* chrome.i18n still answers, in Chrome's language */
      }
      for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = MAX.t(node.dataset.i18n);
      document.documentElement.lang = MAX.uiLanguage();
    },
  });
})();
