/*
 * The service worker: the ONLY part of the extension that talks to the backend.
 * Rule: one message table (MAX.MSG → handler); a message whose type is not in it throws, and only
 * messages from this extension itself are answered. Handlers return values, never throw into
 * Chrome: a backend that is down becomes {ok: false, error: {code: 'unreachable'}} for the caller
 * to show, and nothing here can hold up Gmail's Send.
 */
import './lib/message-types.js';
import './lib/contract.js';
import './lib/settings.js';
import './lib/backend-client.js';

const { MSG, contract, settings: SETTINGS, backendClient: api } = globalThis.MAX;

/** The one handler table. deps: {getSettings, saveSettings, fetch, openOptions, readLocale}. */
export function createHandlers(deps) {
  const s = () => deps.getSettings();
  // A pairing's answer: the token is kept with the server it came from, never handed on.
  async function keepToken(result, backendUrl) {
    if (!result.ok) return result;
    const token = result.data?.token;
    if (typeof token !== 'string' || !token) return api.failure('bad_response', 'no token in the answer');
    await deps.saveSettings({ backendUrl, apiToken: token });
    return { ok: true, data: { paired: true } };
  }
  const backendUrlOf = (m) => SETTINGS.normaliseBackendUrl(m.backendUrl);
  return {
    [MSG.CS_BG_ANALYZE_THREAD]: async (m) => api.analyze(await s(), m, deps.fetch),
    [MSG.CS_BG_SUGGEST]: async (m) => api.suggest(await s(), m, deps.fetch),
    [MSG.CS_BG_MARK_SENT]: async (m) => api.markSent(await s(), m.suggestionId, deps.fetch),
    [MSG.CS_BG_GET_GMAIL_THREAD]: async (m) => api.gmailThread(await s(), m.threadId, deps.fetch),
    [MSG.CS_BG_TRACKING_PIXEL]: async (m) => {
      const settings = await s();
      if (!settings.tracking) return api.failure('tracking_off', 'open tracking is off');
      return api.trackingPixel(settings, m.threadId, deps.fetch);
    },
    [MSG.CS_BG_SELF_VIEW]: async (m) => api.selfView(await s(), m.token, deps.fetch),
    [MSG.CS_BG_OPEN_OPTIONS]: async () => {
      await deps.openOptions();
      return { ok: true, data: null };
    },
    // What a content script may know: never the token.
    [MSG.CS_BG_GET_SETTINGS]: async () => {
      const { apiToken, ...rest } = await s();
      return { ok: true, data: { ...rest, paired: Boolean(apiToken) } };
    },
    // Gmail's language, for the options page to speak it too; the answer is that language's
    // messages.json, which a content script cannot read from the extension itself.
    [MSG.CS_BG_GMAIL_LANGUAGE]: async (m) => {
      if (!contract.LANGS.includes(m.lang)) return api.failure('bad_request', 'language', 0, 'lang');
      if (m.fromGmail && (await s()).uiLang !== m.lang) await deps.saveSettings({ uiLang: m.lang });
      return { ok: true, data: await deps.readLocale(m.lang) };
    },
    [MSG.CS_BG_SET_SIDEBAR_OPEN]: async (m) => {
      await deps.saveSettings({ sidebarOpen: m.open === true });
      return { ok: true, data: null };
    },
    [MSG.OP_BG_PAIR]: async (m) => {
      const backendUrl = backendUrlOf(m);
      if (!backendUrl) return api.failure('bad_request', 'backend URL', 0, 'backendUrl');
      const code = String(m.code ?? '').trim();
      if (!code) return api.failure('bad_request', 'pairing code', 0, 'code');
      return keepToken(await api.pair({ ...(await s()), backendUrl, apiToken: '' }, code, deps.fetch), backendUrl);
    },
    // One click, no code: the backend on this computer pairs its own browser's extension
    // (backend/api/local_pairing.py checks the client, the Host and this extension's Origin).
    [MSG.OP_BG_PAIR_LOCAL]: async (m) => {
      const backendUrl = backendUrlOf(m);
      if (!backendUrl) return api.failure('bad_request', 'backend URL', 0, 'backendUrl');
      return keepToken(await api.pairLocal({ ...(await s()), backendUrl, apiToken: '' }, deps.fetch), backendUrl);
    },
    [MSG.OP_BG_CHECK_BACKEND]: async () => api.health(await s(), deps.fetch),
    [MSG.OP_BG_GET_SETTINGS]: async () => api.getSettings(await s(), deps.fetch),
    [MSG.OP_BG_SAVE_SETTINGS]: async (m) => api.putSettings(await s(), m.values ?? {}, deps.fetch),
  };
}

/** Runs the handler for message.type; an unknown type throws (a wiring bug, not a user error). */
export async function dispatch(handlers, message) {
  const handler = Object.hasOwn(handlers, message?.type) ? handlers[message.type] : null;
  if (!handler) throw new Error(`MAX: unknown message type ${String(message?.type)}`);
  return handler(message);
}

const locales = new Map(); // lang → its parsed messages.json, read once per worker
function chromeDeps() {
  return {
    getSettings: async () => SETTINGS.withDefaults(await chrome.storage.local.get(null)),
    saveSettings: (values) => chrome.storage.local.set(values),
    fetch: (...args) => fetch(...args),
    openOptions: () => chrome.runtime.openOptionsPage(),
    readLocale: async (lang) => {
      if (!locales.has(lang))
        locales.set(lang, await (await fetch(chrome.runtime.getURL(`_locales/${lang}/messages.json`))).json());
      return locales.get(lang);
    },
  };
}

// The toolbar button opens the settings (there is no popup).
globalThis.chrome?.action?.onClicked?.addListener(() => chrome.runtime.openOptionsPage());

if (globalThis.chrome?.runtime?.onMessage) {
  const handlers = createHandlers(chromeDeps());
  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id) return false; // our own parts only
    dispatch(handlers, message).then(sendResponse, (err) => {
      // Logged without the message: it may carry mail text and addresses.
      console.error('MAX background:', err.message);
      sendResponse(api.failure('internal', err.message));
    });
    return true; // answer asynchronously
  });
}
