/*
 * The settings page: backend URL, pairing (one click with the server on this computer, or a code
 * from its console or its pairing page) → token, language, channel, open tracking, the reminder (the
 * extension's own, in chrome.storage.local), and the team's domains and thresholds (the backend's:
 * the one source every path decides with, read and written through the background).
 * Rule: pairing and the backend's settings go through the background (the only part that talks
 * to the backend); the token is never shown; bounds come from the generated contract. The page
 * speaks Gmail's language (uiLang, kept by the content script), Chrome's until Gmail was seen,
 * and says every failure as a sentence (lib/error-text.js), never an exception's name. A new
 * backend URL is checked (https, or http on this computer) and its origin asked for inside the
 * click's user gesture (lib/host-permission.js); refused, the URL in use stays and the page says so.
 */
(() => {
  const MAX = globalThis.MAX;
  const { MSG, contract, settings: SETTINGS, t } = MAX;
  const $ = (sel) => document.querySelector(sel);
  const ask = async (type, payload = {}) => {
    try {
      return (await chrome.runtime.sendMessage({ type, ...payload })) ?? { ok: false, error: { code: 'internal' } };
    } catch {
      return { ok: false, error: { code: 'internal' } };
    }
  };
  const say = (sel, text) => ($(sel).textContent = text);
  const currentUrl = () => SETTINGS.normaliseBackendUrl($('#pair-form').backendUrl.value);
  const failed = (result) => MAX.errorText(result?.error, currentUrl() ?? '');

  // The backend's own pairing page, which shows a fresh code (backend/api/local_pairing.py).
  function linkPairingPage() {
    const url = currentUrl();
    if (url) $('#show-code').href = `${url}/pair`;
    else $('#show-code').removeAttribute('href');
  }

  // The typed URL, checked, with its origin's host permission asked for. Called first thing in a
  // click's handler: an async function runs synchronously up to its first await, so Chrome sees
  // permissions.request inside the user gesture. → {ok, url} or {ok: false, error}.
  async function chooseBackend(form) {
    const checked = MAX.hostPermission.checkBackendUrl(form.backendUrl.value);
    if (!checked.ok) return checked;
    const granted = await MAX.hostPermission.request(checked.url, chrome.permissions);
    if (granted.ok) return checked;
    const { backendUrl: kept } = SETTINGS.withDefaults(await chrome.storage.local.get(null));
    form.backendUrl.value = kept;
    linkPairingPage();
    return { ok: false, error: { ...granted.error, args: [granted.error.args[0], kept] } };
  }

  // The backend's settings into the form, or a note saying why they cannot be shown.
  async function loadBackendSettings(prefs) {
    const result = await ask(MSG.OP_BG_GET_SETTINGS);
    const values = result?.ok ? result.data : contract.SETTINGS_DEFAULTS;
    prefs.teamDomains.value = values.team_domains.join(', ');
    for (const input of prefs.querySelectorAll('input[data-setting]')) input.value = values[input.name];
    if (!result?.ok) say('#prefs-status', t('optBackendSettingsUnavailable', [failed(result)]));
  }

  async function paired(result) {
    say('#pair-status', result?.ok ? t('optPaired') : t('optPairFailed', [failed(result)]));
    if (!result?.ok) return;
    $('#pair-form').code.value = '';
    $('#prefs-status').textContent = '';
    await loadBackendSettings($('#prefs-form'));
  }

  async function load() {
    const s = SETTINGS.withDefaults(await chrome.storage.local.get(null));
    for (const input of document.querySelectorAll('input[data-setting]')) {
      const [low, high] = contract.SETTINGS_BOUNDS[input.name];
      Object.assign(input, { min: low, max: high });
    }
    const pair = $('#pair-form');
    const prefs = $('#prefs-form');
    pair.backendUrl.value ||= s.backendUrl; // never over what the person already typed
    linkPairingPage();
    prefs.lang.value = s.lang;
    prefs.channel.value = s.channel;
    prefs.tracking.checked = s.tracking;
    prefs.remind.checked = s.remind;
    await MAX.i18n.translatePage(MAX.pickLanguage(s.uiLang));
    say('#pair-status', t(s.apiToken ? 'optPaired' : 'optNotPaired'));
    if (s.apiToken) await loadBackendSettings(prefs);
  }

  $('#pair-form').backendUrl.addEventListener('input', linkPairingPage);

  $('#pair-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const chosen = await chooseBackend(form);
    if (!chosen.ok) return say('#pair-status', MAX.errorText(chosen.error));
    await paired(await ask(MSG.OP_BG_PAIR, { backendUrl: chosen.url, code: form.code.value }));
  });

  $('#pair-local').addEventListener('click', async () => {
    const chosen = await chooseBackend($('#pair-form'));
    if (!chosen.ok) return say('#pair-status', MAX.errorText(chosen.error));
    await paired(await ask(MSG.OP_BG_PAIR_LOCAL, { backendUrl: chosen.url }));
  });

  $('#check').addEventListener('click', async () => {
    const chosen = await chooseBackend($('#pair-form'));
    if (!chosen.ok) return say('#pair-status', MAX.errorText(chosen.error));
    await chrome.storage.local.set({ backendUrl: chosen.url });
    const result = await ask(MSG.OP_BG_CHECK_BACKEND);
    say('#pair-status', result?.ok ? t('optBackendOk') : failed(result));
  });

  $('#prefs-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const next = SETTINGS.withDefaults({
      lang: form.lang.value,
      channel: form.channel.value,
      tracking: form.tracking.checked,
      remind: form.remind.checked,
    });
    const { lang, channel, tracking, remind } = next;
    await chrome.storage.local.set({ lang, channel, tracking, remind });
    const values = { team_domains: SETTINGS.readDomains(form.teamDomains.value) };
    for (const input of form.querySelectorAll('input[data-setting]')) values[input.name] = Number(input.value);
    const result = await ask(MSG.OP_BG_SAVE_SETTINGS, { values });
    // The backend names a wrong field ("watch_at"); the label beside it says which one it is.
    const label = result?.error?.field && form[result.error.field]?.closest('label')?.textContent?.trim();
    say('#prefs-status', result?.ok ? t('optSaved') : label ? t('optInvalid', [label]) : failed(result));
  });

  load();
})();
