/*
 * The settings page: backend URL, pairing code → token, language, channel, team domains,
 * thresholds, open tracking (off by default).
 * Rule: stores only through chrome.storage.local with the defaults of lib/settings.js; pairing
 * goes through the background (the only part that talks to the backend); the token is never shown.
 */
(() => {
  const { MSG, settings: SETTINGS, t } = globalThis.MAX;
  const $ = (sel) => document.querySelector(sel);

  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  document.documentElement.lang = globalThis.MAX.uiLanguage();

  async function load() {
    const s = SETTINGS.withDefaults(await chrome.storage.local.get(null));
    const pair = $('#pair-form');
    const prefs = $('#prefs-form');
    pair.backendUrl.value = s.backendUrl;
    prefs.lang.value = s.lang;
    prefs.channel.value = s.channel;
    prefs.teamDomains.value = s.teamDomains.join(', ');
    for (const key of Object.keys(s.thresholds)) prefs[key].value = s.thresholds[key];
    prefs.tracking.checked = s.tracking;
    $('#pair-status').textContent = t(s.apiToken ? 'optPaired' : 'optNotPaired');
    return s;
  }

  $('#pair-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const status = $('#pair-status');
    const result = await chrome.runtime.sendMessage({
      type: MSG.OP_BG_PAIR,
      backendUrl: form.backendUrl.value,
      code: form.code.value,
    });
    status.textContent = result?.ok
      ? t('optPaired')
      : t('optPairFailed', [result?.error?.message ?? result?.error?.code ?? '?']);
    if (result?.ok) form.code.value = '';
  });

  $('#check').addEventListener('click', async () => {
    const url = SETTINGS.normaliseBackendUrl($('#pair-form').backendUrl.value);
    if (!url) return ($('#pair-status').textContent = t('optInvalid', [t('optBackendUrl')]));
    await chrome.storage.local.set({ backendUrl: url });
    const result = await chrome.runtime.sendMessage({ type: MSG.OP_BG_CHECK_BACKEND });
    $('#pair-status').textContent = result?.ok ? t('optBackendOk') : t('optBackendDown', [result?.error?.code ?? '?']);
  });

  $('#prefs-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const thresholds = {};
    for (const key of Object.keys(SETTINGS.DEFAULTS.thresholds)) thresholds[key] = Number(form[key].value);
    if (!(thresholds.watch_at >= 1 && thresholds.watch_at <= thresholds.trap_at)) {
      $('#prefs-status').textContent = t('optInvalid', [t('optWatchAt')]);
      return;
    }
    const next = SETTINGS.withDefaults({
      lang: form.lang.value,
      channel: form.channel.value,
      teamDomains: form.teamDomains.value,
      thresholds,
      tracking: form.tracking.checked,
    });
    await chrome.storage.local.set({
      lang: next.lang,
      channel: next.channel,
      teamDomains: next.teamDomains,
      thresholds: next.thresholds,
      tracking: next.tracking,
    });
    $('#prefs-status').textContent = t('optSaved');
  });

  load();
})();
