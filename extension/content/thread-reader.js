/*
 * Reads the open thread from Gmail's page into the analyze request's `thread` (ARCHITECTURE.md).
 * Rule: read only the attributes gmail-page.md lists, never guess low. Gmail folds the middle
 * messages of a long thread (`.adv`, count in `.adx span`); when they are folded and Gmail's own
 * thread data (read in the MAIN world) is not at hand, the thread goes out `complete: false`.
 * Works the same in French and English Gmail: no visible text is matched, only attributes.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const EMAIL_RE = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i;

  const text = (el) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

  function address(span) {
    const email = span?.getAttribute('email');
    if (!email) return null;
    return { email, name: span.getAttribute('name') || text(span) };
  }

  // Thread id: [data-legacy-thread-id] on the subject h2 (hex, the Gmail API's threadId).
  function threadHeader(doc) {
    const h2 = doc.querySelector('h2[data-legacy-thread-id]') ?? doc.querySelector('[data-legacy-thread-id]');
    if (!h2) return null;
    const subject = doc.querySelector('h2.hP') ?? doc.querySelector('.ha h2') ?? h2;
    return { threadId: h2.getAttribute('data-legacy-thread-id'), subject: text(subject) };
  }

  // The "N older messages" stack; its count is the number Gmail does not render.
  function foldedCount(doc) {
    let count = 0;
    for (const stack of doc.querySelectorAll('.adv')) {
      const n = parseInt(text(stack.querySelector('.adx span') ?? stack), 10);
      count += Number.isFinite(n) && n > 0 ? n : 1; // a stack with no readable count hides ≥ 1
    }
    return count;
  }

  function readMessage(el) {
    const from = address(el.querySelector('td.gF span[email]') ?? el.querySelector('span.gD[email]'));
    if (!from) return null;
    const recipients = [...el.querySelectorAll('.hb span[email]')].map(address).filter(Boolean);
    const dateEl = el.querySelector('.gK .g3[title]') ?? el.querySelector('.g3[title]') ?? el.querySelector('span.g3');
    const body = el.querySelector('div.ii.gt') ?? el.querySelector('div.a3s');
    const rawId = el.getAttribute('data-message-id') ?? '';
    return {
      id: el.getAttribute('data-legacy-message-id') || rawId.replace(/^#/, ''),
      from,
      to: recipients,
      cc: [],
      date: dateEl?.getAttribute('title') || text(dateEl),
      text: body ? (body.innerText ?? text(body)) : '',
      labels: [],
    };
  }

  // Messages on screen, and how many could not be read (no sender or no date): those make the
  // reading incomplete rather than silently smaller.
  function pageMessages(doc) {
    const nodes = doc.querySelectorAll('div.adn[data-message-id], div.adn[data-legacy-message-id], div.adn.ads');
    const read = [...new Set(nodes)].map(readMessage);
    const messages = read.filter((m) => m?.date);
    return { messages, unreadable: read.length - messages.length };
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

  /**
   * The open thread, or null when no thread is open.
   * internalThreads: Map legacyThreadId → thread parsed by MAX.gmailResponse.
   */
  function readThread(doc, internalThreads = new Map()) {
    const header = threadHeader(doc);
    if (!header?.threadId) return null;
    const { messages: onPage, unreadable } = pageMessages(doc);
    const folded = foldedCount(doc) + unreadable;
    const internal = internalThreads.get(header.threadId);
    if (internal && internal.messages.length >= onPage.length + folded) {
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
      complete: folded === 0,
      messages: onPage,
      source: 'page',
      folded,
    };
  }

  // Labels that mean "sent by this account": `^f` in Gmail's own data (gmail-page.md), SENT in
  // the Gmail API's.
  const SENT_LABELS = ['^f', 'SENT'];
  const firstAddress = (value) => String(value ?? '').match(EMAIL_RE)?.[0] ?? null;

  // The account, from the surest source to the weakest; null when none says (the caller then
  // says so instead of sending the thread without "me"). Only the address is ever taken:
  //  1. GLOBALS[10] from the MAIN world;
  //  2. the account button's label ("Google Account: Name (email)" / "Compte Google : Name (email)");
  //  3. the sender of a message of this thread labelled as sent;
  //  4. a compose's From (gmail.js compose.from() reads input[name=from]);
  //  5. any other aria-label holding an address (the account button in another layout).
  function readAccount(doc, fromPageWorld, thread = null) {
    const sent = thread?.messages?.findLast((m) => m.labels?.some((l) => SENT_LABELS.includes(l)));
    const sources = [
      () => firstAddress(fromPageWorld),
      () => labelled(doc, 'a[href*="accounts.google.com/SignOutOptions"][aria-label]'),
      () => firstAddress(sent?.from?.email),
      () => [...doc.querySelectorAll('input[name="from"]')].map((i) => firstAddress(i.value)).find(Boolean),
      () => labelled(doc, '[aria-label*="@"]'),
    ];
    for (const source of sources) {
      const found = source();
      if (found) return found;
    }
    return null;
  }

  function labelled(doc, selector) {
    for (const el of doc.querySelectorAll(selector)) {
      const found = firstAddress(el.getAttribute('aria-label'));
      if (found) return found;
    }
    return null;
  }

  // A compose's recipients: chips of the new people-kit UI `.GS .anm[name="to"] [role=option]`
  // (address in data-hovercard-id, else an [email] attribute) or the old `textarea.vO[name=to]`
  // (gmail-page.md table, "Compose fields"). Lower-cased, for matching the prospect.
  function composeRecipients(compose) {
    const found = new Set();
    const add = (value) => {
      for (const m of String(value ?? '').matchAll(new RegExp(EMAIL_RE.source, 'gi'))) found.add(m[0].toLowerCase());
    };
    for (const chip of compose.querySelectorAll('.GS [role=option], .GS [email]')) {
      add(chip.getAttribute('data-hovercard-id'));
      add(chip.getAttribute('email'));
    }
    for (const field of compose.querySelectorAll(
      'textarea[name=to], input[name=to], textarea[name=cc], input[name=cc]',
    ))
      add(field.value);
    return [...found];
  }

  MAX.threadReader = Object.freeze({ readThread, readAccount, foldedCount, composeRecipients });
})();
