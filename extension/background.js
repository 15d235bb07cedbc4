/*
 * The service worker: the ONLY part of the extension that talks to the backend.
 * Rule: one message table (MAX.MSG → handler); a message whose type is not in it throws, and a
 * message is answered only from the part its direction names (isAllowedSender): cs-bg-* from a
 * content script on a Gmail tab, op-bg-* from the extension's own pages — so a content script
 * (which a hostile Gmail page may steer) can never pair, nor read or change the backend's
 * settings. Handlers return values, never throw into
 * Chrome: a backend that is down becomes {ok: false, error: {code: 'unreachable'}} for the caller
 * to show, and nothing here can hold up Gmail's Send.
 */
import './lib/message-types.js';
import './lib/contract.js';
import './lib/settings.js';
import './lib/backend-client.js';
import './lib/host-permission.js';
import './lib/i18n.js';
import './lib/clock.js';
import { createReminders, wordsIn, PREFIX as REMINDER } from './reminders.js';

const { MSG, BG_CS, contract, settings: SETTINGS, backendClient: api, hostPermission } = globalThis.MAX;
const THREAD_ID = new RegExp(contract.THREAD_ID_PATTERN);

/**
 * The one handler table.
 * deps: {getSettings, saveSettings, fetch, openOptions, openGmailThread, readGmailAccount, readLocale,
 * now() (ISO: the moment analyses are made at), heard(report, tabUrl), heardAll(reports)}: the
 * reminders (reminders.js) hear every analysis a Gmail tab got, and every pipeline fetched.
 */
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
  // The options page checked the URL and asked for its origin; checked again here (one rule:
  // host-permission.js), so no http URL off this computer is ever kept.
  const backendUrlOf = (m) => hostPermission.checkBackendUrl(m.backendUrl);
  const pivotOf = (settings, threadId) =>
    THREAD_ID.test(threadId ?? '') && Object.hasOwn(settings.pivots, threadId) ? settings.pivots[threadId] : null;
  // An analysis on its way back to a tab: the reminder hears it first (never failing the answer).
  async function told(result, sender) {
    if (result.ok) await deps.heard?.(result.data.report, sender?.tab?.url).catch(() => null);
    return result;
  }
  // The pipeline on its way to the list chips or the panel: the reminders hear it too.
  async function pipeline() {
    const result = await api.pipeline(await s(), deps.fetch);
    if (result.ok) await deps.heardAll?.(result.data?.threads).catch(() => null);
    return result;
  }
  return {
    // "me" is the address the user confirmed (settings.account), never one a content script
    // sends: what Gmail's page names can be forged by any script in it.
    [MSG.CS_BG_ANALYZE_THREAD]: async (m, sender) => {
      const settings = await s();
      const now = await deps.now();
      return told(await api.analyze(settings, { thread: m.thread, now, me: settings.account }, deps.fetch), sender);
    },
    [MSG.CS_BG_SUGGEST]: async (m) => api.suggest(await s(), m, deps.fetch),
    // Kept by thread once recorded: "answered on the phone" marks that suggestion, and the
    // content script never names one (a page steering it could mark another).
    [MSG.CS_BG_MARK_SENT]: async (m) => {
      const settings = await s();
      const result = await api.markSent(settings, m.suggestionId, deps.fetch);
      if (result.ok && THREAD_ID.test(m.threadId ?? '') && result.data?.thread_id === m.threadId)
        await deps.saveSettings({ pivots: SETTINGS.withPivot(settings.pivots, m.threadId, m.suggestionId) });
      return result;
    },
    [MSG.CS_BG_GET_PIVOT]: async (m) => {
      const settings = await s();
      const id = pivotOf(settings, m.threadId);
      return { ok: true, data: { known: Boolean(id), answered: Boolean(id && settings.answered.includes(id)) } };
    },
    [MSG.CS_BG_MARK_ANSWERED]: async (m) => {
      const settings = await s();
      const id = pivotOf(settings, m.threadId);
      if (!id) return api.failure('no_pivot', 'no pivot marked sent in this thread', 0, 'threadId');
      const result = await api.markAnswered(settings, id, deps.fetch);
      // Kept, so the button still says so after the worker or the browser restarts.
      if (result.ok) await deps.saveSettings({ answered: SETTINGS.withAnswered(settings.answered, id) });
      return result;
    },
    [MSG.CS_BG_GET_PIPELINE]: async () => pipeline(),
    [MSG.OP_BG_GET_PIPELINE]: async () => pipeline(),
    [MSG.OP_BG_GET_STATS]: async () => api.stats(await s(), deps.fetch),
    // The panel's click: the thread in the Gmail tab already open, else in a new one.
    [MSG.OP_BG_OPEN_THREAD]: async (m) => {
      if (!THREAD_ID.test(m.threadId ?? '')) return api.failure('bad_request', 'thread id', 0, 'threadId');
      await deps.openGmailThread(m.threadId);
      return { ok: true, data: null };
    },
    [MSG.OP_BG_OPEN_OPTIONS]: async () => {
      await deps.openOptions();
      return { ok: true, data: null };
    },
    [MSG.CS_BG_GET_GMAIL_THREAD]: async (m, sender) =>
      told(await api.gmailThread(await s(), m.threadId, deps.fetch), sender),
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
      const checked = backendUrlOf(m);
      if (!checked.ok) return checked;
      const backendUrl = checked.url;
      const code = String(m.code ?? '').trim();
      if (!code) return api.failure('bad_request', 'pairing code', 0, 'code');
      // With the address the user confirmed, if any (a later step binds the backend user to it).
      return keepToken(await api.pair({ ...(await s()), backendUrl, apiToken: '' }, code, deps.fetch), backendUrl);
    },
    // One click, no code: the backend on this computer pairs its own browser's extension
    // (backend/api/local_pairing.py checks the client, the Host and this extension's Origin).
    [MSG.OP_BG_PAIR_LOCAL]: async (m) => {
      const checked = backendUrlOf(m);
      if (!checked.ok) return checked;
      const backendUrl = checked.url;
      return keepToken(await api.pairLocal({ ...(await s()), backendUrl, apiToken: '' }, deps.fetch), backendUrl);
    },
    [MSG.OP_BG_CHECK_BACKEND]: async () => api.health(await s(), deps.fetch),
    [MSG.OP_BG_GET_SETTINGS]: async () => api.getSettings(await s(), deps.fetch),
    [MSG.OP_BG_SAVE_SETTINGS]: async (m) => api.putSettings(await s(), m.values ?? {}, deps.fetch),
    // The address an open Gmail tab shows, for the options page to pre-fill: the user confirms it.
    [MSG.OP_BG_READ_GMAIL_ACCOUNT]: async () => ({
      ok: true,
      data: { account: SETTINGS.normaliseAccount(await deps.readGmailAccount()) },
    }),
  };
}

const GMAIL = 'https://mail.google.com/';

/**
 * Whether `sender` may send a message of this type. self: {id, optionsUrl, panelUrl} of this extension.
 * An extension page has a chrome-extension://<id>/ URL; the options page and the pipeline panel
 * (the toolbar's popup, also opened in a tab) are recognised in a tab by their exact URLs; other extension pages only without a tab.
 * A content script has the Gmail tab and its URL. Anything else (another extension, a page in
 * a frame of ours, a mistyped direction) is refused.
 */
export function isAllowedSender(type, sender, self) {
  if (typeof type !== 'string' || !sender || sender.id !== self.id || typeof sender.url !== 'string') return false;
  if (type.startsWith('op-bg-')) {
    const page = sender.url.split(/[?#]/)[0];
    const inTab = [self.optionsUrl, self.panelUrl].filter(Boolean);
    return page.startsWith(`chrome-extension://${self.id}/`) && (!sender.tab || inTab.includes(page));
  }
  if (type.startsWith('cs-bg-')) return Boolean(sender.tab) && sender.url.startsWith(GMAIL);
  return false;
}

/** The chrome.runtime.onMessage listener: the sender check, then the table. */
export function createListener(handlers, self) {
  return (message, sender, sendResponse) => {
    if (!isAllowedSender(message?.type, sender, self)) {
      console.warn('MAX background: refused a message from the wrong sender:', String(message?.type).slice(0, 40));
      sendResponse(api.failure('forbidden', 'not accepted from this sender'));
      return false;
    }
    dispatch(handlers, message, sender).then(sendResponse, (err) => {
      // Logged without the message: it may carry mail text and addresses.
      console.error('MAX background:', err.message);
      sendResponse(api.failure('internal', err.message));
    });
    return true; // answer asynchronously
  };
}

/** Runs the handler for message.type; an unknown type throws (a wiring bug, not a user error). */
export async function dispatch(handlers, message, sender) {
  const handler = Object.hasOwn(handlers, message?.type) ? handlers[message.type] : null;
  if (!handler) throw new Error(`MAX: unknown message type ${String(message?.type)}`);
  return handler(message, sender);
}

const clock = globalThis.MAX.createClock();

function chromeDeps() {
  return {
    now: clock.nowIso,
    getSettings: async () => SETTINGS.withDefaults(await chrome.storage.local.get(null)),
    saveSettings: (values) => chrome.storage.local.set(values),
    // A team server's origin may lack its host permission: that is said, not a TypeError.
    fetch: hostPermission.permittedFetch(chrome.permissions, (...args) => fetch(...args)),
    openOptions: () => chrome.runtime.openOptionsPage(),
    openGmailThread,
    readGmailAccount,
    readLocale: async (lang) => {
      if (!locales.has(lang))
        locales.set(lang, await (await fetch(chrome.runtime.getURL(`_locales/${lang}/messages.json`))).json());
      return locales.get(lang);
    },
  };
}
const locales = new Map(); // lang → its parsed messages.json, read once per worker

// Asks MAX's content script in each open Gmail tab what its page names (host permission on
// mail.google.com lets tabs.query match by URL); the first address wins, null when none.
async function readGmailAccount() {
  for (const tab of await chrome.tabs.query({ url: `${GMAIL}*` }).catch(() => [])) {
    const answer = await chrome.tabs.sendMessage(tab.id, { type: BG_CS.READ_ACCOUNT }).catch(() => null);
    if (typeof answer?.account === 'string') return answer.account;
  }
  return null;
}

/**
 * Where a thread opens in Gmail: the open Gmail tab's own account path (/mail/u/N/) with the
 * thread's hash, else the first account's. Pure (background.test.mjs).
 */
export function gmailThreadUrl(tabUrl, threadId) {
  const account = /^https:\/\/mail\.google\.com\/mail\/u\/\d+\//.exec(tabUrl ?? '')?.[0];
  return `${account ?? `${GMAIL}mail/u/0/`}#all/${threadId}`;
}

// A Gmail tab brought forward on the thread: one on `account` (/mail/u/N/, where a reminder's
// thread was read) if given, else the one the user last used; a new tab when none is open.
async function openGmailThread(threadId, account = null) {
  const tabs = await chrome.tabs.query({ url: `${GMAIL}*` }).catch(() => []);
  const recent = tabs.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0));
  const tab = account ? recent.find((t) => t.url?.startsWith(account)) : recent[0];
  const url = gmailThreadUrl(account ?? tab?.url, threadId);
  if (!tab) return chrome.tabs.create({ url });
  await chrome.tabs.update(tab.id, { url, active: true });
  if (tab.windowId !== undefined) await chrome.windows?.update?.(tab.windowId, { focused: true }).catch(() => null);
  return tab;
}

// At ring time: the thread read afresh from Gmail by the backend when Gmail is connected, else
// the reading the backend keeps (the pipeline: a thread no longer at risk is not in it).
async function recheck(deps, threadId, nowMs) {
  const settings = await deps.getSettings();
  const fresh = await api.gmailThread(settings, threadId, deps.fetch, globalThis.MAX.localIso(new Date(nowMs)));
  if (fresh.ok) return { ok: true, report: fresh.data.report };
  if (fresh.error.code === 'not_found') return { ok: true, report: null }; // gone from Gmail
  if (!fresh.error.code.startsWith('gmail_')) return fresh; // unreachable, not paired: asked later
  const kept = await api.pipeline(settings, deps.fetch);
  if (!kept.ok) return kept;
  const threads = Array.isArray(kept.data?.threads) ? kept.data.threads : [];
  return { ok: true, report: threads.find((r) => r?.thread_id === threadId) ?? null };
}

function chromeReminders(deps) {
  return createReminders({
    store: {
      load: async () => (await chrome.storage.local.get('reminders')).reminders,
      save: (reminders) => chrome.storage.local.set({ reminders }),
    },
    alarms: chrome.alarms,
    notifications: chrome.notifications,
    clock,
    recheck: (threadId, now) => recheck(deps, threadId, now),
    open: openGmailThread,
    // In Gmail's language, as last seen (the options page's rule), else Chrome's.
    words: async () => {
      const lang = (await deps.getSettings()).uiLang ?? globalThis.MAX.pickLanguage();
      return wordsIn(lang, await deps.readLocale(lang));
    },
    enabled: async () => (await deps.getSettings()).remind,
    iconUrl: chrome.runtime.getURL('icons/icon-128.png'),
  });
}
if (globalThis.chrome?.runtime?.onMessage) {
  const self = {
    id: chrome.runtime.id,
    optionsUrl: chrome.runtime.getURL(chrome.runtime.getManifest().options_ui.page),
    panelUrl: chrome.runtime.getURL(chrome.runtime.getManifest().action.default_popup),
  };
  const deps = chromeDeps();
  const reminders = chromeReminders(deps);
  chrome.runtime.onMessage.addListener(
    createListener(createHandlers({ ...deps, heard: reminders.heard, heardAll: reminders.heardAll }), self),
  );
  // Registered at the worker's first turn, so an alarm wakes it with Gmail closed (MV3).
  chrome.alarms.onAlarm.addListener((alarm) => alarm.name.startsWith(REMINDER) && reminders.ring(alarm.name));
  chrome.notifications.onClicked.addListener((id) => id.startsWith(REMINDER) && reminders.clicked(id));
  chrome.notifications.onButtonClicked.addListener((id, i) => id.startsWith(REMINDER) && reminders.snoozed(id, i));
  chrome.notifications.onClosed.addListener((id, byUser) => id.startsWith(REMINDER) && reminders.closed(id, byUser));
  reminders.restore();
  chrome.storage.local.onChanged.addListener((changes) => changes.remind?.newValue === false && reminders.clear());
  // The fake clock moved (a test): every reminder's alarm moves with it (lib/clock.js).
  chrome.storage.session.onChanged.addListener((changes) => 'clockOffsetMs' in changes && reminders.restore(true));
  globalThis.MAX.reminders = reminders; // for the e2e: a test rings and clicks as Chrome would
}
