/*
 * Reads the open thread from Gmail's page into the analyze request's `thread` (ARCHITECTURE.md).
 * Rule: never guess low. Every selector comes from lib/gmail-dom.js, and every lookup is scoped
 * to the open thread's view (a thread-list row also carries data-legacy-thread-id). A message is
 * read in the state Gmail shows it: expanded (div.adn.ads: sender, recipients, date, body),
 * collapsed (its one-line header div.adf.ads: sender, date, snippet) or folded into the
 * "N older messages" stack (counted, not rendered). When folded or unreadable messages remain
 * and Gmail's own thread data (read in the MAIN world from its responses and from the data
 * embedded in the page) does not cover them, the thread goes out `complete: false`.
 * That data comes by window.postMessage, which any script in Gmail's page can send too: it is
 * used only where it agrees with what the page shows (agrees), and two readings that disagree
 * are none (the page's own reading stands, incomplete when messages are folded).
 * Works the same in French and English Gmail: no visible text is matched, only attributes.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const dom = MAX.gmailDom;
  const EMAIL_RE = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i;

  const text = (el) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

  function address(span) {
    const email = span?.getAttribute('email');
    if (!email) return null;
    return { email, name: span.getAttribute('name') || text(span) };
  }

  // The open thread's view and its id element; never an element inside a thread-list row.
  // Without a thread view element (an older layout), only the subject h2 names the thread.
  function threadHeader(doc) {
    const outsideRows = (els) => els.find((el) => !dom.closest(el, 'threadRow')) ?? null;
    for (const view of dom.findAll(doc, 'threadView')) {
      const idEl = outsideRows(dom.findAll(view, 'threadId'));
      if (idEl) return header(view, idEl);
    }
    const idEl = outsideRows(dom.findAll(doc, 'threadHeading'));
    return idEl ? header(doc, idEl) : null;
  }

  function header(scope, idEl) {
    const subject = dom.find(scope, 'subject') ?? idEl;
    return { scope, idEl, threadId: idEl.getAttribute('data-legacy-thread-id'), subject: text(subject) };
  }

  /** Where the open thread is drawn, for placing MAX beside it: {view, heading}, or null. */
  function locate(doc) {
    const found = threadHeader(doc);
    if (!found) return null;
    return { view: found.scope === doc ? null : found.scope, heading: found.idEl };
  }

  // The "N older messages" stacks; each count is a number of messages Gmail does not render.
  function foldedCount(scope) {
    let count = 0;
    for (const stack of dom.findAll(scope, 'foldedStack')) {
      const n = parseInt(text(dom.find(stack, 'foldedCount') ?? stack), 10);
      count += Number.isFinite(n) && n > 0 ? n : 1; // a stack with no readable count hides ≥ 1
    }
    return count;
  }

  function messageId(el, position) {
    const legacy = dom.matches(el, 'legacyMessageId') ? el : dom.find(el, 'legacyMessageId');
    const sync = dom.matches(el, 'syncMessageId') ? el : dom.find(el, 'syncMessageId');
    const id = legacy?.getAttribute('data-legacy-message-id') || sync?.getAttribute('data-message-id') || '';
    return id.replace(/^#/, '') || `position-${position}`;
  }

  const dateOf = (el) => el?.getAttribute('title') || text(el);

  // An expanded message: its content div.adn.ads.
  function readExpanded(content) {
    const from = address(dom.find(content, 'sender'));
    if (!from) return null;
    const body = dom.find(content, 'body');
    return {
      from,
      to: dom.findAll(content, 'recipients').map(address).filter(Boolean),
      date: dateOf(dom.find(content, 'expandedDate')),
      text: body ? (body.innerText ?? text(body)) : '',
    };
  }

  // A collapsed message: its one-line header div.adf.ads (no recipients; the snippet as text).
  function readCollapsed(item) {
    const head = dom.find(item, 'collapsedHeader') ?? item;
    const from = address(dom.find(head, 'sender'));
    if (!from) return null;
    return { from, to: [], date: dateOf(dom.find(head, 'collapsedDate')), text: text(dom.find(head, 'snippet')) };
  }

  // The message as Gmail shows it: expanded (or in a state the table does not know) from its
  // content, else — collapsed, or expanded with its content not there yet — from its header.
  // null when neither gives a sender and a date.
  function readItem(item) {
    let read = null;
    if (dom.matches(item, 'expandedState') || !dom.matches(item, 'collapsedState')) {
      const content = dom.matches(item, 'expandedContent') ? item : dom.find(item, 'expandedContent');
      if (content) read = readExpanded(content);
    }
    if (!read?.date) read = readCollapsed(item);
    return read?.date ? read : null;
  }

  // Messages on screen, how many Gmail folded, and how many could not be read: those make the
  // reading incomplete rather than silently smaller.
  function pageMessages(scope) {
    const items = dom.findAll(scope, 'message');
    const outermost = items.filter((el) => !items.some((other) => other !== el && other.contains(el)));
    const messages = [];
    let hiddenItems = 0;
    let unreadable = 0;
    outermost.forEach((item, position) => {
      if (dom.matches(item, 'hiddenState')) {
        hiddenItems += 1;
        return;
      }
      const read = readItem(item);
      if (!read) {
        unreadable += 1;
        return;
      }
      messages.push({ id: messageId(item, position), cc: [], labels: [], ...read });
    });
    // The stack's number and the folded elements count the same messages: the larger one.
    const folded = Math.max(hiddenItems, foldedCount(scope));
    return { messages, folded, unreadable };
  }

  // Gmail's own data has every message; the page's text is kept where a message is on screen.
  function fromInternal(internal, onPage) {
    const byId = new Map(onPage.map((m) => [m.id, m]));
    return internal.messages.map((m) => {
      const seen = byId.get(m.legacyId ?? '') ?? byId.get(m.id);
      return {
        id: m.legacyId ?? m.id,
        from: m.from,
        to: m.to,
        cc: m.cc,
        date: m.date,
        text: seen?.text || m.text,
        labels: m.labels,
      };
    });
  }

  const sameAddress = (a, b) => String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase();
  const isPositional = (id) => id.startsWith('position-');

  // Gmail's data agrees with the page when it has exactly the messages the page shows plus the
  // ones it folds or could not read, and every message shown is in it, in order, from the same
  // sender (with the same id where the page names one). So a forged response cannot add a
  // reply the page does not show, nor change who wrote a message on screen; it can only fill
  // the folded places, which nothing on the page can check.
  function agrees(internal, onPage, uncertain) {
    const messages = internal?.messages ?? [];
    if (messages.length !== onPage.length + uncertain) return false;
    let i = 0;
    for (const shown of onPage) {
      const same = (m) =>
        sameAddress(m.from?.email, shown.from.email) &&
        (isPositional(shown.id) || shown.id === m.legacyId || shown.id === m.id);
      while (i < messages.length && !same(messages[i])) i += 1;
      if (i === messages.length) return false;
      i += 1;
    }
    return true;
  }

  // What counting depends on in a reading: each message's id, sender and date.
  const signature = (thread) =>
    JSON.stringify(thread.messages.map((m) => [m.legacyId ?? m.id, m.from?.email?.toLowerCase(), m.date]));

  const KEPT_READINGS = 4;
  /**
   * The readings of one thread's Gmail data kept so far, plus `thread`: a reading already kept
   * (same ids, senders, dates) is not added again, and only the last KEPT_READINGS stay.
   */
  function keepReading(kept, thread) {
    const list = Array.isArray(kept) ? kept : kept ? [kept] : [];
    if (list.some((r) => signature(r) === signature(thread))) return list;
    return [...list, thread].slice(-KEPT_READINGS);
  }

  // The one reading to use: those that agree with the page, when they all say the same.
  function trustedReading(readings, onPage, uncertain) {
    const agreeing = [].concat(readings ?? []).filter((r) => agrees(r, onPage, uncertain));
    if (!agreeing.length) return null;
    return agreeing.every((r) => signature(r) === signature(agreeing[0])) ? agreeing[0] : null;
  }

  /**
   * The open thread, or null when no thread is open.
   * internalThreads: Map legacyThreadId → the readings of that thread's Gmail data (a thread
   * parsed by MAX.gmailResponse, or a list of them as keepReading keeps them).
   */
  function readThread(doc, internalThreads = new Map()) {
    const header = threadHeader(doc);
    if (!header?.threadId) return null;
    const { messages: onPage, folded, unreadable } = pageMessages(header.scope);
    const uncertain = folded + unreadable;
    const internal = trustedReading(internalThreads.get(header.threadId), onPage, uncertain);
    if (internal) {
      return {
        thread_id: header.threadId,
        subject: header.subject || internal.subject,
        complete: true,
        messages: fromInternal(internal, onPage),
        source: 'gmail-data',
      };
    }
    return {
      thread_id: header.threadId,
      subject: header.subject,
      complete: uncertain === 0 && onPage.length > 0,
      messages: onPage,
      source: 'page',
      folded: uncertain,
      unreadable,
    };
  }

  // Labels that mean "sent by this account": `^f` in Gmail's own data (gmail-page.md), SENT in
  // the Gmail API's.
  const SENT_LABELS = ['^f', 'SENT'];
  const firstAddress = (value) => String(value ?? '').match(EMAIL_RE)?.[0] ?? null;

  // What the page suggests as the account, from the surest source to the weakest; null when
  // none says. Only a suggestion, for the options page to pre-fill and the user to confirm: any
  // script in the page can change each of these. Only the address is ever taken:
  //  1. GLOBALS[10] from the MAIN world;
  //  2. the account button's label ("Google Account: Name (email)" / "Compte Google : Name (email)");
  //  3. the sender of a message of this thread labelled as sent;
  //  4. a compose's From (gmail.js compose.from() reads input[name=from]);
  //  5. any other aria-label holding an address (the account button in another layout).
  function readAccount(doc, fromPageWorld, thread = null) {
    const sent = thread?.messages?.findLast((m) => m.labels?.some((l) => SENT_LABELS.includes(l)));
    const sources = [
      () => firstAddress(fromPageWorld),
      () => accountButton(doc),
      () => firstAddress(sent?.from?.email),
      () =>
        dom
          .findAll(doc, 'composeFrom')
          .map((i) => firstAddress(i.value))
          .find(Boolean),
      () => labelled(doc, 'labelWithAddress'),
    ];
    for (const source of sources) {
      const found = source();
      if (found) return found;
    }
    return null;
  }

  function labelled(doc, name) {
    for (const el of dom.findAll(doc, name)) {
      const found = firstAddress(el.getAttribute('aria-label'));
      if (found) return found;
    }
    return null;
  }

  // A compose's recipients: chips of the new people-kit UI (address in data-hovercard-id, else
  // an [email] attribute) or the old textarea fields. Lower-cased, for matching the prospect.
  function composeRecipients(compose) {
    const found = new Set();
    const add = (value) => {
      for (const m of String(value ?? '').matchAll(new RegExp(EMAIL_RE.source, 'gi'))) found.add(m[0].toLowerCase());
    };
    for (const chip of dom.findAll(compose, 'composeRecipientChip')) {
      add(chip.getAttribute('data-hovercard-id'));
      add(chip.getAttribute('email'));
    }
    for (const field of dom.findAll(compose, 'composeRecipientField')) add(field.value);
    return [...found];
  }

  // The address the account button names (the page's own header), or null.
  const accountButton = (doc) => labelled(doc, 'accountButton');

  MAX.threadReader = Object.freeze({
    readThread,
    readAccount,
    accountButton,
    keepReading,
    agrees,
    locate,
    foldedCount,
    composeRecipients,
  });
})();
