/*
 * Wires the features together on mail.google.com: notices the open thread and its composes, asks
 * the background for the report and the message, and hands them to the sidebar and the banner.
 * Rule: decides nothing that maxcore decides; sends only through chrome.runtime messages (the
 * background is the only part that talks to the backend); every callback is guarded and nothing
 * here can stop Gmail from sending when something fails. Gmail's page is untrusted: "me" is the
 * confirmed address (account-check.js), what the MAIN world posts is data to check, never an
 * instruction, and MAX's controls answer a person's own clicks only (dom-build.js).
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const { MSG, PAGE, BG_CS, dom, gmailDom, threadReader, gmailResponse, accountCheck } = MAX;
  const { sidebar, banner, sendHold, tracking, listChips } = MAX;
  let lists = null; // the list chips (list-chips.js), once started

  const state = {
    settings: null,
    posted: [], // the GLOBALS[10] addresses the MAIN world posted: claims, checked, never "me"
    internal: new Map(),
    threadId: null,
    thread: null,
    report: null,
    brief: null,
    suggestion: null,
    error: null,
    composes: new Set(),
    held: new WeakMap(), // compose → its "send anyway"; in this world only, out of the page's reach
    pixels: new WeakMap(),
    selfViews: new Set(),
    generation: 0,
    pivot: null, // {known, answered} of a pivot marked sent from this browser, for "answered on the phone"
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
      const result = await ask(MSG.CS_BG_MARK_SENT, { suggestionId, threadId: state.threadId });
      if (result.ok && state.thread) analyze(state.thread);
      return result;
    },
    // The prospect answered the pivot on the phone: recorded for "Did it work?".
    onMarkAnswered: async () => {
      const result = await ask(MSG.CS_BG_MARK_ANSWERED, { threadId: state.threadId });
      if (result.ok) {
        state.pivot = { known: true, answered: true };
        renderSidebar();
        lists?.refresh();
      }
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

  async function loadPivot(generation) {
    const result = await ask(MSG.CS_BG_GET_PIVOT, { threadId: state.threadId });
    if (generation !== state.generation || !result.ok) return;
    state.pivot = result.data;
    renderSidebar();
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

  // What the backend receives: the contract's fields only, Gmail's "sent by this account" label
  // only on the confirmed account's messages.
  const outgoing = (thread, me) => ({
    thread_id: thread.thread_id,
    subject: thread.subject,
    complete: thread.complete,
    messages: thread.messages.map((m) => ({ ...m, labels: accountCheck.trustedLabels(m, me) })),
  });

  // Why MAX may not read this page as the confirmed account (no address yet, another account
  // open), or null. Without the settings (the background did not answer) the backend call says
  // what is wrong instead.
  const accountProblem = () =>
    state.settings
      ? accountCheck.problem(state.settings.account, accountCheck.pageClaims(document, state.posted))
      : null;
  const ACCOUNT_CODES = ['no_account', 'wrong_account'];
  const accountCode = (error) => (ACCOUNT_CODES.includes(error?.code) ? error.code : null);

  async function analyze(thread) {
    const generation = ++state.generation;
    const problem = accountProblem();
    Object.assign(state, {
      thread,
      report: null,
      brief: null,
      suggestion: null,
      suggestionError: null,
      error: problem,
    });
    renderSidebar();
    refreshBanners();
    if (problem) return; // said in the sidebar; nothing goes to the backend, nothing is held
    let result = null;
    if (!thread.complete) {
      // Folded messages and no Gmail data in the page: Gmail API through the backend, if connected.
      const viaApi = await ask(MSG.CS_BG_GET_GMAIL_THREAD, { threadId: thread.thread_id });
      if (viaApi.ok) result = viaApi;
    }
    // Nothing to count: said as it is, never sent as an empty thread (nor shown as "ok").
    if (!result && thread.messages.length === 0) result = failure(thread.folded > 0 ? 'unreadable' : 'no_messages');
    // The background adds "me" (the confirmed address) and "now" (its clock, lib/clock.js) itself.
    result ??= await ask(MSG.CS_BG_ANALYZE_THREAD, { thread: outgoing(thread, state.settings?.account) });
    if (generation !== state.generation) return;
    state.report = result.ok ? result.data.report : null;
    state.brief = result.ok ? result.data.brief : null;
    state.error = result.ok ? null : result.error;
    state.pivot = null;
    renderSidebar();
    refreshBanners();
    if (result.ok) lists?.refresh(); // the backend keeps this reading in the pipeline
    // A pivot marked sent from this browser can be marked answered on the phone.
    if (state.report?.recommendation?.code === 'pivot_sent') loadPivot(generation);
    if (state.report && wantsSuggestion(state.report)) loadSuggestion(generation, state.settings?.channel);
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
        held: state.held.has(compose),
        onShowMessage: report && wantsSuggestion(report) ? showMessage : null,
        onSendAnyway: state.held.get(compose),
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
    // The page now names another account, or again the confirmed one: read the thread again.
    if (state.thread && accountCode(accountProblem()) !== accountCode(state.error)) analyze(state.thread);
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

  // From the MAIN world — page-world.js, or any other script in Gmail's page, which can post
  // the same messages: an account claim (checked against the confirmed address) or Gmail data
  // (used where it agrees with the page, thread-reader.js).
  const MAX_POSTED = 8;
  const MAX_THREADS = 200;
  function onPageMessage(event) {
    if (event.source !== window || event.data?.source !== PAGE.SOURCE) return;
    const { type, email, text, lang } = event.data;
    if (type === PAGE.ACCOUNT && typeof email === 'string') {
      if (!state.posted.includes(email) && state.posted.length < MAX_POSTED) state.posted.push(email);
      schedule();
    }
    if (type === PAGE.LANG && typeof lang === 'string') {
      state.pageLang = lang;
      speakGmailsLanguage();
    }
    if (type !== PAGE.GMAIL_RESPONSE || typeof text !== 'string') return;
    for (const t of gmailResponse.parseGmailResponse(text)) {
      if (!t.legacyThreadId) continue;
      const kept = state.internal.get(t.legacyThreadId);
      state.internal.delete(t.legacyThreadId); // the most recent last, for the limit below
      state.internal.set(t.legacyThreadId, threadReader.keepReading(kept, t));
      if (state.internal.size > MAX_THREADS) state.internal.delete(state.internal.keys().next().value);
    }
    schedule();
  }

  // The options page asks (through the background) what this tab's page names, to pre-fill the
  // address the user then confirms there.
  function onExtensionMessage(message, sender, sendResponse) {
    if (sender.id !== chrome.runtime.id || sender.tab || message?.type !== BG_CS.READ_ACCOUNT) return false;
    sendResponse({ account: threadReader.readAccount(document, state.posted[0] ?? null, state.thread) });
    return false;
  }

  // The confirmed address, the pairing or the backend changed on the options page: read again.
  async function onStorageChanged(changes, area) {
    if (area !== 'local' || !['account', 'apiToken', 'backendUrl'].some((k) => k in changes)) return;
    const settings = await ask(MSG.CS_BG_GET_SETTINGS);
    state.settings = settings.ok ? settings.data : state.settings;
    if (state.thread) analyze(state.thread);
  }

  // Gmail mutates its page constantly: coalesce into one scan per SCAN_DELAY_MS (the banner's
  // budget is 1 s from a reply opening; measured ~0.2 s end to end).
  const SCAN_DELAY_MS = 50;
  let pending = false;
  function schedule() {
    lists?.schedule();
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
        state.held.set(compose, dom.guard('send anyway', sendAnyway));
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
    chrome.runtime.onMessage.addListener(dom.guard('extension message', onExtensionMessage));
    chrome.storage.onChanged.addListener(dom.guard('settings changed', onStorageChanged));
    window.postMessage({ source: PAGE.SOURCE, type: PAGE.HELLO }, window.location.origin);
    const [settings] = await Promise.all([ask(MSG.CS_BG_GET_SETTINGS), speakGmailsLanguage()]);
    state.settings = settings.ok ? settings.data : null;
    sidebar.setOpen(state.settings?.sidebarOpen ?? true);
    globalThis.chrome?.storage?.onChanged?.addListener(dom.guard('settings changed', onSettingsChanged));
    installSendHold();
    lists = listChips.start(document, () => ask(MSG.CS_BG_GET_PIPELINE));
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
