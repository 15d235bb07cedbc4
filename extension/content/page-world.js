/*
 * Runs in Gmail's own page (MAIN world, document_start): reads Gmail's thread responses
 * (/sync/u/N/i/fd, /i/bv, /i/s), the thread data Gmail embeds in the page at load (handed to its
 * `_GM_setData`, which gmail.js hooks too), the account address (GLOBALS[10]) and Gmail's
 * language (GLOBALS[4]), and posts them
 * to MAX's content script with window.postMessage.
 * Rule: observe only, never change a request or a response; every hook is wrapped so a failure
 * leaves Gmail exactly as it was. Any other script in the page can post the same messages, so
 * the content script takes them as claims to check, never as facts (account-check.js,
 * thread-reader.js). This world cannot see MAX's libraries: the two constants below
 * mirror MAX.PAGE in lib/message-types.js (a unit test checks they agree).
 */
(() => {
  const SOURCE = 'max-page-world';
  const GMAIL_RESPONSE = 'page-cs-gmail-response';
  const ACCOUNT = 'page-cs-account';
  const LANG = 'page-cs-lang';
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

  function deliverText(text) {
    recent.push(text);
    if (recent.length > KEEP) recent.shift();
    post({ type: GMAIL_RESPONSE, text });
  }

  function deliver(url, text) {
    try {
      if (typeof text !== 'string' || !WATCHED.test(new URL(url, location.href).pathname)) return;
      deliverText(text);
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

  // The thread opened when Gmail loads comes inside the page: inline scripts hand it to
  // window._GM_setData({Cl6csf: [[…, …, "<fd JSON>"]], a6jdv: […bv…], …}) (gmail.js
  // src/gmail.js L2203-2242, since 2020; the saved gmail-js/*-embedded.json are such JSON
  // strings). gmail.js replaces the function; here an accessor wraps whatever function Gmail
  // assigns, and still sees the data when Gmail only calls it. The keys are obfuscated and
  // change, so any entry whose [0][2] is a JSON string naming a thread is taken; the parser
  // finds the threads. Gmail's function always runs, with its own `this` and arguments. (A
  // `function _GM_setData` declaration would replace the accessor; gmail.js has the same limit,
  // and the reading then stays `complete: false` until an /i/fd response arrives.)
  function readEmbedded(data) {
    try {
      for (const value of Object.values(data ?? {})) {
        const json = Array.isArray(value) && Array.isArray(value[0]) ? value[0][2] : null;
        if (typeof json === 'string' && json.includes('"thread-')) deliverText(json);
      }
    } catch {
      /* never disturb Gmail */
    }
  }

  // Functions assigned to _GM_setData, oldest first: Gmail's own, then any wrapper another
  // extension sets (gmail.js's calls "the original", which it read as this accessor's value:
  // each nested call goes one function further down, so every one runs once and none loops).
  try {
    const assigned = typeof window._GM_setData === 'function' ? [window._GM_setData] : [];
    let depth = 0;
    const hooked = function maxSetData(...args) {
      if (depth === 0) readEmbedded(args[0]);
      const fn = assigned[assigned.length - 1 - depth];
      if (typeof fn !== 'function') return undefined;
      depth += 1;
      try {
        return fn.apply(this, args);
      } finally {
        depth -= 1;
      }
    };
    Object.defineProperty(window, '_GM_setData', {
      configurable: true,
      enumerable: true,
      get: () => hooked,
      set: (fn) => {
        if (fn !== hooked) assigned.push(fn);
      },
    });
  } catch {
    /* leave _GM_setData alone */
  }

  // Gmail's display language, as InboxSDK reads it: the second dot-separated part of GLOBALS[4]
  // (src/injected-js/setup-data-exposer.ts L59-61, since 2015-02-03); a plain tag as it is.
  function language() {
    try {
      const value = window.GLOBALS?.[4];
      if (typeof value !== 'string') return null;
      const lang = value.includes('.') ? value.split('.')[1] : value;
      return /^[a-z]{2,3}([-_][a-z0-9]{2,8})*$/i.test(lang ?? '') ? lang : null;
    } catch {
      return null;
    }
  }

  window.addEventListener('message', (event) => {
    if (event.source !== window || event.data?.source !== SOURCE || event.data.type !== HELLO) return;
    const email = account();
    if (email) post({ type: ACCOUNT, email });
    const lang = language();
    if (lang) post({ type: LANG, lang });
    for (const text of recent) post({ type: GMAIL_RESPONSE, text });
  });
})();
