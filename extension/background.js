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

const { MSG, settings: SETTINGS, backendClient: api } = globalThis.MAX;

/** The one handler table. deps: {getSettings, saveSettings, fetch, openOptions}. */
export function createHandlers(deps) {
  const s = () => deps.getSettings();
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
    [MSG.OP_BG_PAIR]: async (m) => {
      const backendUrl = SETTINGS.normaliseBackendUrl(m.backendUrl);
      if (!backendUrl) return api.failure('bad_request', 'backend URL', 0, 'backendUrl');
      const code = String(m.code ?? '').trim();
      if (!code) return api.failure('bad_request', 'pairing code', 0, 'code');
      const result = await api.pair({ ...(await s()), backendUrl, apiToken: '' }, code, deps.fetch);
      if (!result.ok) return result;
      const token = result.data?.token;
      if (typeof token !== 'string' || !token) return api.failure('bad_response', 'no token in the answer');
      await deps.saveSettings({ backendUrl, apiToken: token });
      return { ok: true, data: { paired: true } };
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

function chromeDeps() {
  return {
    getSettings: async () => SETTINGS.withDefaults(await chrome.storage.local.get(null)),
    saveSettings: (values) => chrome.storage.local.set(values),
    fetch: (...args) => fetch(...args),
    openOptions: () => chrome.runtime.openOptionsPage(),
  };
}

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
