/*
 * Who "me" is in Gmail: the address the user confirmed on MAX's options page (settings.account),
 * never one Gmail's page names. Rule: any script in the page can post MAX a GLOBALS[10] of its
 * choosing (window.postMessage) or rewrite the account button, so what the page says is only
 * checked against the confirmed address — it can stop MAX (another account is open: MAX says so
 * and counts nothing) but never make someone else "me" — and Gmail's own labels saying "sent by
 * this account" count only on messages from that address.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const { normaliseAccount } = MAX.settings;

  /**
   * The addresses the page names as its account: the account button's, then each GLOBALS[10]
   * the MAIN world posted (posted: the addresses in the order they came). Lower-cased, unique.
   */
  function pageClaims(doc, posted = []) {
    const claims = [MAX.threadReader.accountButton(doc), ...posted].map(normaliseAccount).filter(Boolean);
    return [...new Set(claims)];
  }

  /**
   * Why MAX may not read this page as the confirmed account, or null when it may:
   *  - no confirmed address yet: {code: 'no_account'} (MAX says what it needs, never guesses);
   *  - the page names addresses and none is the confirmed one: {code: 'wrong_account', args:
   *    [the page's, the confirmed]} — another Gmail account is open. A forged claim beside the
   *    page's real one changes nothing; a page with no claim at all is read as the confirmed one.
   */
  function problem(confirmed, claims) {
    const me = normaliseAccount(confirmed);
    if (!me) return { code: 'no_account' };
    if (!claims.length || claims.includes(me)) return null;
    return { code: 'wrong_account', args: [claims[0], me] };
  }

  // Labels meaning "mine" that only the Gmail API sets (maxcore counts them as mine or as a
  // draft): Gmail's page data never has them, so from the page they are always forged.
  const API_LABELS = new Set(['SENT', 'DRAFT']);
  const SENT_BY_ACCOUNT = '^f'; // Gmail's own data: sent by this account (gmail-page.md)

  /** A message's labels as they may go to the backend: `^f` only when it is from `me`. */
  function trustedLabels(message, me) {
    const mine = normaliseAccount(message?.from?.email) === normaliseAccount(me);
    const labels = Array.isArray(message?.labels) ? message.labels : [];
    return labels.filter((l) => typeof l === 'string' && !API_LABELS.has(l) && (l !== SENT_BY_ACCOUNT || mine));
  }

  MAX.accountCheck = Object.freeze({ pageClaims, problem, trustedLabels });
})();
