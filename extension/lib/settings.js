/*
 * Settings defaults in one place (refined-github's habit), kept in chrome.storage.local.
 * Rule: every part reads settings through `withDefaults`, so a missing or older value never
 * reaches the code as undefined. The thresholds mirror maxcore's Settings names; the backend
 * decides with them, the extension only passes them on when the user changed them.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const DEFAULTS = Object.freeze({
    backendUrl: 'http://127.0.0.1:8765',
    apiToken: '',
    lang: 'auto', // 'auto' | 'fr' | 'en'
    channel: 'whatsapp', // 'whatsapp' | 'sms'
    tracking: false, // open tracking is opt-in
    teamDomains: Object.freeze([]), // the company's own domains: a teammate's email counts as ours
    thresholds: Object.freeze({ watch_at: 2, trap_at: 3, pivot_opens: 2 }),
  });
  const LANGS = ['auto', 'fr', 'en'];
  const CHANNELS = ['whatsapp', 'sms'];

  function withDefaults(stored) {
    const s = stored && typeof stored === 'object' ? stored : {};
    const thresholds = { ...DEFAULTS.thresholds };
    for (const key of Object.keys(thresholds)) {
      const value = s.thresholds?.[key];
      if (Number.isInteger(value) && value >= 0) thresholds[key] = value;
    }
    return {
      backendUrl: normaliseBackendUrl(s.backendUrl) ?? DEFAULTS.backendUrl,
      apiToken: typeof s.apiToken === 'string' ? s.apiToken : DEFAULTS.apiToken,
      lang: LANGS.includes(s.lang) ? s.lang : DEFAULTS.lang,
      channel: CHANNELS.includes(s.channel) ? s.channel : DEFAULTS.channel,
      tracking: s.tracking === true,
      teamDomains: readDomains(s.teamDomains),
      thresholds,
    };
  }

  // "acme.fr, acme.com" or a list → lower-case domains; anything else is dropped.
  function readDomains(value) {
    const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,;]+/) : [];
    const domains = list.map((d) => String(d).trim().toLowerCase().replace(/^@/, ''));
    return [...new Set(domains.filter((d) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)))];
  }

  // Only http(s) origins; a trailing slash is dropped so paths join cleanly.
  function normaliseBackendUrl(value) {
    if (typeof value !== 'string' || !value.trim()) return null;
    try {
      const url = new URL(value.trim());
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
      return url.href.replace(/\/+$/, '');
    } catch {
      return null;
    }
  }

  // Only the thresholds the user changed, so a default install sends none.
  function changedThresholds(settings) {
    const out = {};
    for (const [key, value] of Object.entries(settings.thresholds)) {
      if (value !== DEFAULTS.thresholds[key]) out[key] = value;
    }
    return out;
  }

  MAX.settings = Object.freeze({
    DEFAULTS,
    CHANNELS,
    withDefaults,
    normaliseBackendUrl,
    changedThresholds,
  });
})();
