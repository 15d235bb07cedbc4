/*
 * The settings page: backend URL, pairing code → token, language, channel, open tracking (the
 * extension's own, in chrome.storage.local), and the team's domains and thresholds (the
 * backend's: the one source every path decides with, read and written through the background).
 * Rule: pairing and the backend's settings go through the background (the only part that talks
 * to the backend); the token is never shown; bounds come from the generated contract.
 */
(() => {
  const { MSG, contract, settings: SETTINGS, t } = globalThis.MAX;
  const $ = (sel) => document.querySelector(sel);
  const ask = (type, payload = {}) => chrome.runtime.sendMessage({ type, ...payload });

  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  document.documentElement.lang = globalThis.MAX.uiLanguage();
  for (const input of document.querySelectorAll('input[data-setting]')) {
    const [low, high] = contract.SETTINGS_BOUNDS[input.name];
    Object.assign(input, { min: low, max: high });
  }

  // The backend's settings into the form, or a note saying why they cannot be shown.
  async function loadBackendSettings(prefs) {
    const result = await ask(MSG.OP_BG_GET_SETTINGS);
    const values = result?.ok ? result.data : contract.SETTINGS_DEFAULTS;
    prefs.teamDomains.value = values.team_domains.join(', ');
    for (const input of prefs.querySelectorAll('input[data-setting]')) input.value = values[input.name];
    if (!result?.ok) $('#prefs-status').textContent = t('optBackendSettingsUnavailable', [result?.error?.code ?? '?']);
  }

  async function load() {
    const s = SETTINGS.withDefaults(await chrome.storage.local.get(null));
    const pair = $('#pair-form');
    const prefs = $('#prefs-form');
    pair.backendUrl.value = s.backendUrl;
    prefs.lang.value = s.lang;
    prefs.channel.value = s.channel;
    prefs.tracking.checked = s.tracking;
    $('#pair-status').textContent = t(s.apiToken ? 'optPaired' : 'optNotPaired');
    if (s.apiToken) await loadBackendSettings(prefs);
    return s;
  }

  $('#pair-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const status = $('#pair-status');
    const result = await ask(MSG.OP_BG_PAIR, { backendUrl: form.backendUrl.value, code: form.code.value });
    status.textContent = result?.ok
      ? t('optPaired')
      : t('optPairFailed', [result?.error?.message ?? result?.error?.code ?? '?']);
    if (result?.ok) {
      form.code.value = '';
      await loadBackendSettings($('#prefs-form'));
    }
  });

  $('#check').addEventListener('click', async () => {
    const url = SETTINGS.normaliseBackendUrl($('#pair-form').backendUrl.value);
    if (!url) return ($('#pair-status').textContent = t('optInvalid', [t('optBackendUrl')]));
    await chrome.storage.local.set({ backendUrl: url });
    const result = await ask(MSG.OP_BG_CHECK_BACKEND);
    $('#pair-status').textContent = result?.ok ? t('optBackendOk') : t('optBackendDown', [result?.error?.code ?? '?']);
  });

  $('#prefs-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const status = $('#prefs-status');
    const next = SETTINGS.withDefaults({
      lang: form.lang.value,
      channel: form.channel.value,
      tracking: form.tracking.checked,
    });
    await chrome.storage.local.set({ lang: next.lang, channel: next.channel, tracking: next.tracking });
    const values = { team_domains: SETTINGS.readDomains(form.teamDomains.value) };
    for (const input of form.querySelectorAll('input[data-setting]')) values[input.name] = Number(input.value);
    const result = await ask(MSG.OP_BG_SAVE_SETTINGS, { values });
    // The backend names a wrong field ("watch_at"); the label beside it says which one it is.
    const label = result?.error?.field && form[result.error.field]?.closest('label')?.textContent?.trim();
    status.textContent = result?.ok ? t('optSaved') : t('optInvalid', [label || result?.error?.code || '?']);
  });

  load();
})();
