/*
 * Runs in Gmail's own page (MAIN world, document_start): reads Gmail's thread responses
 * (/sync/u/N/i/fd, /i/bv, /i/s) and the account address (GLOBALS[10]) and posts them to MAX's
 * content script with window.postMessage.
 * Rule: observe only, never change a request or a response; every hook is wrapped so a failure
 * leaves Gmail exactly as it was. This world cannot see MAX's libraries: the two constants below
 * mirror MAX.PAGE in lib/message-types.js (a unit test checks they agree).
 */
(() => {
  const SOURCE = 'max-page-world';
  const GMAIL_RESPONSE = 'page-cs-gmail-response';
  const ACCOUNT = 'page-cs-account';
  const HELLO = 'cs-page-hello';
  const WATCHED = /\/sync\/u\/\d+\/i\/(fd|bv|s)(\?|$)/;
  const KEEP = 20; // recent responses kept for a content script that starts later
  const recent = [];

  const post = (data) => window.postMessage({ source: SOURCE, ...data }, window.location.origin);

  function account() {
    try {
      const value = window.GLOBALS?.[10];
      return typeof value === 'string' && value.includes('@') ? value : null;
    } catch {
      return null;
    }
  }

  function deliver(url, text) {
    try {
      if (typeof text !== 'string' || !WATCHED.test(new URL(url, location.href).pathname)) return;
      recent.push(text);
      if (recent.length > KEEP) recent.shift();
      post({ type: GMAIL_RESPONSE, text });
    } catch {
      /* never disturb Gmail */
    }
  }

  try {
    const open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function maxOpen(method, url, ...rest) {
      try {
        this.addEventListener('load', () => {
          try {
            if (this.responseType === '' || this.responseType === 'text') deliver(String(url), this.responseText);
          } catch {
            /* never disturb Gmail */
          }
        });
      } catch {
        /* never disturb Gmail */
      }
      return open.call(this, method, url, ...rest);
    };
  } catch {
    /* leave XHR alone */
  }

  try {
    const originalFetch = window.fetch;
    window.fetch = function maxFetch(input, init) {
      const promise = originalFetch.call(this, input, init);
      try {
        const url = typeof input === 'string' ? input : input?.url;
        if (url && WATCHED.test(new URL(url, location.href).pathname)) {
          promise
            .then((r) => r.clone().text())
            .then(
              (text) => deliver(url, text),
              () => {},
            );
        }
      } catch {
        /* never disturb Gmail */
      }
      return promise;
    };
  } catch {
    /* leave fetch alone */
  }

  window.addEventListener('message', (event) => {
    if (event.source !== window || event.data?.source !== SOURCE || event.data.type !== HELLO) return;
    const email = account();
    if (email) post({ type: ACCOUNT, email });
    for (const text of recent) post({ type: GMAIL_RESPONSE, text });
  });
})();
