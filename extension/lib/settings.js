/*
 * The extension's own settings, defaults in one place (refined-github's habit), kept in
 * chrome.storage.local: where the backend is, the pairing token, the user's Gmail address, the
 * phone message's language, the preferred phone channel, open tracking, the reminder, whether the sidebar is
 * open, and Gmail's language. Rule: every part reads them through `withDefaults`, so a missing or
 * older value never reaches the code as undefined. The thresholds and the team's domains are the
 * backend's (GET/PUT /api/v1/settings), the one source every path decides with: not here.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const { contract } = MAX;
  const DEFAULTS = Object.freeze({
    backendUrl: contract.DEFAULT_BACKEND_URL,
    apiToken: '',
    // The Gmail address MAX counts as "me": typed or confirmed by the user on the options page,
    // never taken from Gmail's page (a script there can claim any address). '' = not confirmed.
    account: '',
    lang: 'auto', // 'auto' or one of contract.LANGS
    channel: contract.PHONE_CHANNELS[0],
    tracking: false, // open tracking is opt-in
    remind: true, // the reminder at the prospect's hour (reminders.js): on until turned off
    sidebarOpen: true, // MAX's panel open, or folded to its chip (the chip's click)
    uiLang: null, // Gmail's language as last seen (one of contract.LANGS): the options page speaks it
    // thread id → the suggestion the user marked sent there: what "answered on the phone" marks.
    pivots: Object.freeze({}),
    // The suggestions of those pivots the user marked answered on the phone (the button says so).
    answered: Object.freeze([]),
  });
  const MAX_PIVOTS = 200; // the newest kept: an old pivot's answer no longer changes the stats
  const THREAD_ID = new RegExp(contract.THREAD_ID_PATTERN);
  const SUGGESTION_ID = new RegExp(contract.SUGGESTION_ID_PATTERN);
  const LANGS = ['auto', ...contract.LANGS];

  function withDefaults(stored) {
    const s = stored && typeof stored === 'object' ? stored : {};
    return {
      backendUrl: normaliseBackendUrl(s.backendUrl) ?? DEFAULTS.backendUrl,
      apiToken: typeof s.apiToken === 'string' ? s.apiToken : DEFAULTS.apiToken,
      account: normaliseAccount(s.account) ?? DEFAULTS.account,
      lang: LANGS.includes(s.lang) ? s.lang : DEFAULTS.lang,
      channel: contract.PHONE_CHANNELS.includes(s.channel) ? s.channel : DEFAULTS.channel,
      tracking: s.tracking === true,
      remind: s.remind !== false,
      sidebarOpen: s.sidebarOpen !== false,
      uiLang: contract.LANGS.includes(s.uiLang) ? s.uiLang : DEFAULTS.uiLang,
      pivots: readPivots(s.pivots),
      answered: readAnswered(s.answered),
    };
  }

  // Only well-formed ids, the newest MAX_PIVOTS (insertion order: the newest last).
  function readPivots(value) {
    const entries = value && typeof value === 'object' ? Object.entries(value) : [];
    const kept = entries.filter(([t, id]) => THREAD_ID.test(t) && typeof id === 'string' && SUGGESTION_ID.test(id));
    return Object.fromEntries(kept.slice(-MAX_PIVOTS));
  }

  // Well-formed suggestion ids, once each, the newest MAX_PIVOTS (the newest last).
  function readAnswered(value) {
    const ids = Array.isArray(value) ? value.filter((id) => typeof id === 'string' && SUGGESTION_ID.test(id)) : [];
    return [...new Set(ids)].slice(-MAX_PIVOTS);
  }

  /** The answered list with `suggestionId` in it (the newest last). */
  const withAnswered = (answered, suggestionId) =>
    readAnswered([...readAnswered(answered).filter((id) => id !== suggestionId), suggestionId]);

  /** The pivots with `threadId`'s suggestion recorded (the newest last). */
  function withPivot(pivots, threadId, suggestionId) {
    const rest = readPivots(pivots);
    delete rest[threadId]; // again at the end: the newest
    return readPivots({ ...rest, [threadId]: suggestionId });
  }

  // "acme.fr, acme.com" → lower-case domains; anything else is dropped (the backend checks too).
  function readDomains(value) {
    const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,;]+/) : [];
    const domains = list.map((d) => String(d).trim().toLowerCase().replace(/^@/, ''));
    return [...new Set(domains.filter((d) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)))];
  }

  // One plain address, lower-cased (Gmail addresses are case-insensitive); anything else is null.
  const ADDRESS = /^[^@\s<>(),;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
  function normaliseAccount(value) {
    if (typeof value !== 'string') return null;
    const address = value.trim().toLowerCase();
    return address.length <= 320 && ADDRESS.test(address) ? address : null;
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

  MAX.settings = Object.freeze({
    DEFAULTS,
    withDefaults,
    withPivot,
    withAnswered,
    normaliseBackendUrl,
    normaliseAccount,
    readDomains,
  });
})();
