/*
 * Wires the features together on mail.google.com: notices the open thread and its composes, asks
 * the background for the report and the message, and hands them to the sidebar and the banner.
 * Rule: decides nothing that maxcore decides; sends only through chrome.runtime messages (the
 * background is the only part that talks to the backend); every callback is guarded and nothing
 * here can stop Gmail from sending when something fails.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const { MSG, PAGE, dom, gmailDom, threadReader, gmailResponse, sidebar, banner, sendHold, tracking } = MAX;

  const state = {
    settings: null,
    account: null,
    internal: new Map(),
    threadId: null,
    thread: null,
    report: null,
    brief: null,
    suggestion: null,
    error: null,
    composes: new Set(),
    pixels: new WeakMap(),
    selfViews: new Set(),
    generation: 0,
    pageLang: null, // Gmail's GLOBALS[4], from the MAIN world
  };

  // Never throws: a reloaded extension makes sendMessage throw synchronously ("context
  // invalidated"), and this tab must be reloaded to find MAX again: the sidebar says so.
  async function ask(type, payload = {}) {
    try {
      return (await chrome.runtime.sendMessage({ type, ...payload })) ?? failure('internal');
    } catch {
      return failure('extension_reloaded');
    }
  }
  const failure = (code, message = code) => ({ ok: false, error: { code, message } });

  const actions = {
    onOpenOptions: () => ask(MSG.CS_BG_OPEN_OPTIONS),
    // The chip, the fold button, "see the phone message" or a Gmail companion opened over MAX.
    onToggle: (open) => {
      sidebar.setOpen(open);
      ask(MSG.CS_BG_SET_SIDEBAR_OPEN, { open });
    },
    onChannel: (channel) => loadSuggestion(state.generation, channel),
    // The user sent the phone message: recorded, then the thread is read again for the new advice.
    onMarkSent: async (suggestionId) => {
      const result = await ask(MSG.CS_BG_MARK_SENT, { suggestionId });
      if (result.ok && state.thread) analyze(state.thread);
      return result;
    },
    get backendUrl() {
      return state.settings?.backendUrl;
    },
  };

  function renderSidebar() {
    if (!state.threadId) return sidebar.remove();
    if (state.error) return sidebar.showError(state.error, actions);
    if (!state.report) return sidebar.showLoading(actions);
    sidebar.showReport(state, actions);
  }

  // The report says whether the phone message is offered (never against "let them come back").
  const wantsSuggestion = (report) => report?.display?.offer_message === true && Boolean(state.brief);

  // Now in the user's own time zone, so Gmail's displayed dates (no zone) are read as local.
  function localIsoNow(date = new Date()) {
    const offset = -date.getTimezoneOffset();
    const sign = offset >= 0 ? '+' : '-';
    const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
    const local = new Date(date.getTime() + offset * 60000).toISOString().slice(0, 19);
    return `${local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
  }

  async function loadSuggestion(generation, channel) {
    state.loadingSuggestion = true;
    state.suggestion = null;
    renderSidebar();
    // Written from the analysis's brief: the thread is not sent again.
    const result = await ask(MSG.CS_BG_SUGGEST, { brief: state.brief, channel });
    if (generation !== state.generation) return;
    state.loadingSuggestion = false;
    state.suggestion = result.ok && result.data?.suggestion ? { ...result.data.suggestion, id: result.data.id } : null;
    state.suggestionError = result.ok ? null : result.error;
    renderSidebar();
  }

  // What the backend receives: the contract's fields only.
  const outgoing = (thread) => ({
    thread_id: thread.thread_id,
    subject: thread.subject,
    complete: thread.complete,
    messages: thread.messages,
  });

  async function analyze(thread) {
    const generation = ++state.generation;
    Object.assign(state, { thread, report: null, brief: null, suggestion: null, suggestionError: null, error: null });
    renderSidebar();
    let result = null;
    if (!thread.complete) {
      // Folded messages and no Gmail data in the page: Gmail API through the backend, if connected.
      const viaApi = await ask(MSG.CS_BG_GET_GMAIL_THREAD, { threadId: thread.thread_id });
      if (viaApi.ok) result = viaApi;
    }
    // Nothing to count: said as it is, never sent as an empty thread (nor shown as "ok").
    if (!result && thread.messages.length === 0) result = failure(thread.folded > 0 ? 'unreadable' : 'no_messages');
    if (!result && !(await accountKnown())) result = failure('no_account');
    result ??= await ask(MSG.CS_BG_ANALYZE_THREAD, { thread: outgoing(thread), me: state.account, now: localIsoNow() });
    if (generation !== state.generation) return;
    state.report = result.ok ? result.data.report : null;
    state.brief = result.ok ? result.data.brief : null;
    state.error = result.ok ? null : result.error;
    renderSidebar();
    refreshBanners();
    if (state.report && wantsSuggestion(state.report)) loadSuggestion(generation, state.settings?.channel);
  }

  // The account comes from the MAIN world (GLOBALS[10]), the account button, the thread's sent
  // messages or a compose's From (threadReader.readAccount); on a page still loading, wait a
  // little for one of them rather than send a thread without "me".
  async function accountKnown(tries = 20) {
    for (let i = 0; i < tries && !state.account; i += 1) {
      state.account = threadReader.readAccount(document, null, state.thread);
      if (!state.account) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return Boolean(state.account);
  }

  // A compose is about the open thread when its hidden `lts` names it, or it is an inline reply
  // (not in the popup mole container .dw), or it is addressed to the thread's prospect.
  function composeInThread(compose) {
    const lts = gmailDom.find(compose, 'composeThreadId')?.value;
    if (lts && lts === state.threadId) return true;
    if (!lts && state.threadId && !gmailDom.closest(compose, 'moleContainer')) return true;
    const prospect = state.report?.prospect?.email?.toLowerCase();
    return Boolean(prospect) && threadReader.composeRecipients(compose).includes(prospect);
  }

  function refreshBanners() {
    for (const compose of [...state.composes]) {
      if (!compose.isConnected) {
        state.composes.delete(compose);
        continue;
      }
      const report = composeInThread(compose) ? state.report : null;
      banner.render(compose, report, {
        held: compose.dataset.maxHeld === '1',
        onShowMessage: report && wantsSuggestion(report) ? showMessage : null,
        onSendAnyway: compose.maxSendAnyway,
      });
    }
  }

  function showMessage() {
    actions.onToggle(true);
    if (!sidebar.revealMessage()) renderSidebar();
  }

  function onCompose(compose) {
    state.composes.add(compose);
    if (!state.settings?.tracking || !composeInThread(compose)) return;
    ask(MSG.CS_BG_TRACKING_PIXEL, { threadId: state.threadId }).then((r) => {
      if (!r.ok) return;
      state.pixels.set(compose, r.data.pixel_url);
      compose.dataset.maxPixel = 'ready'; // test hook: the pixel goes in at the next Send
    });
  }

  const scan = dom.guard('scan', () => {
    const thread = threadReader.readThread(document, state.internal);
    state.account ??= threadReader.readAccount(document, null, thread);
    // A compose opened since (its From) may name the account the page did not: read again.
    if (state.error?.code === 'no_account' && state.account && state.thread) analyze(state.thread);
    const id = thread?.thread_id ?? null;
    if (
      id !== state.threadId ||
      (thread && state.thread && thread.messages.length !== state.thread.messages.length) ||
      (thread?.complete && state.thread && !state.thread.complete)
    ) {
      state.threadId = id;
      if (thread) analyze(thread);
      else renderSidebar();
    }
    let fresh = false;
    for (const compose of gmailDom.findAll(document, 'compose')) {
      if (gmailDom.find(compose, 'compose')) continue; // the innermost root only, as Send sees it
      if (!state.composes.has(compose)) {
        onCompose(compose);
        fresh = true;
      }
    }
    if (fresh) refreshBanners();
    if (state.threadId) sidebar.keepPlaced();
    if (state.settings?.tracking) {
      tracking.neutralise(
        document,
        state.settings.backendUrl,
        (token) => ask(MSG.CS_BG_SELF_VIEW, { token }),
        state.selfViews,
      );
    }
  });

  function onPageMessage(event) {
    if (event.source !== window || event.data?.source !== PAGE.SOURCE) return;
    if (event.data.type === PAGE.ACCOUNT && typeof event.data.email === 'string') state.account = event.data.email;
    if (event.data.type === PAGE.LANG && typeof event.data.lang === 'string') {
      state.pageLang = event.data.lang;
      speakGmailsLanguage();
    }
    if (event.data.type !== PAGE.GMAIL_RESPONSE) return;
    for (const t of gmailResponse.parseGmailResponse(event.data.text)) {
      if (!t.legacyThreadId) continue;
      const known = state.internal.get(t.legacyThreadId);
      if (!known || t.messages.length >= known.messages.length) state.internal.set(t.legacyThreadId, t);
    }
    schedule();
  }

  // Gmail mutates its page constantly: coalesce into one scan per SCAN_DELAY_MS (the banner's
  // budget is 1 s from a reply opening; measured ~0.2 s end to end).
  const SCAN_DELAY_MS = 50;
  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      scan();
    }, SCAN_DELAY_MS);
  }

  function installSendHold() {
    sendHold.install(document, {
      shouldHold: (compose) => composeInThread(compose) && state.report?.display?.hold_send === true,
      onHold: (compose, sendAnyway) => {
        compose.dataset.maxHeld = '1';
        compose.maxSendAnyway = dom.guard('send anyway', sendAnyway);
        refreshBanners();
      },
      onSend: (compose) => {
        const pixel = state.pixels.get(compose);
        if (state.settings?.tracking && pixel) tracking.insertPixel(compose, pixel);
      },
    });
  }

  // Everything MAX shows speaks Gmail's language (GLOBALS[4], else <html lang>), Chrome's only
  // when Gmail says none; the background answers that language's messages.json (a content
  // script cannot read the extension's files itself) and keeps Gmail's for the options page.
  let spoken = null;
  async function speakGmailsLanguage() {
    const fromGmail = state.pageLang || document.documentElement.lang || null;
    const lang = MAX.pickLanguage(state.pageLang, document.documentElement.lang);
    if (lang === spoken) return;
    spoken = lang;
    const result = await ask(MSG.CS_BG_GMAIL_LANGUAGE, { lang, fromGmail: Boolean(fromGmail) });
    if (!result.ok || spoken !== lang) return;
    MAX.i18n.use(lang, result.data);
    sidebar.remove(); // its fixed labels too
    renderSidebar();
    refreshBanners();
  }

  // Settings saved in the options page (pairing, server, channel…) reach this tab at once, with
  // no reload: read again through the background, which never hands the token over.
  async function onSettingsChanged(changes, area) {
    if (area !== 'local') return;
    const before = state.settings ?? {};
    const settings = await ask(MSG.CS_BG_GET_SETTINGS);
    if (!settings.ok) return;
    state.settings = settings.data;
    const now = state.settings;
    if (now.sidebarOpen !== before.sidebarOpen) sidebar.setOpen(now.sidebarOpen);
    if (!state.thread) return;
    if (now.paired !== before.paired || now.backendUrl !== before.backendUrl) analyze(state.thread);
    else if ((now.channel !== before.channel || now.lang !== before.lang) && wantsSuggestion(state.report))
      loadSuggestion(state.generation, now.channel);
  }

  async function start() {
    window.addEventListener('message', dom.guard('page message', onPageMessage));
    window.postMessage({ source: PAGE.SOURCE, type: PAGE.HELLO }, window.location.origin);
    const [settings] = await Promise.all([ask(MSG.CS_BG_GET_SETTINGS), speakGmailsLanguage()]);
    state.settings = settings.ok ? settings.data : null;
    sidebar.setOpen(state.settings?.sidebarOpen ?? true);
    globalThis.chrome?.storage?.onChanged?.addListener(dom.guard('settings changed', onSettingsChanged));
    installSendHold();
    new MutationObserver(schedule).observe(document.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['data-legacy-thread-id'],
    });
    window.addEventListener('hashchange', schedule);
    scan();
  }

  const begin = dom.guard('start', start);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', begin, { once: true });
  else begin();
})();
