/*
 * Holds the first Send of a compose in a `trap` thread, once, to show the banner.
 * Rule (gmail-page.md, "Hooking Send"; InboxSDK getPresendingStream): only capture-phase listeners
 * on the Send and Send+Archive buttons, Enter/Space on them and Ctrl/Cmd+Enter in the compose can
 * stop a send. The decision is synchronous from what is already known: no report → no hold. A
 * compose is held at most once, "send anyway" always sends, and any failure lets the email go.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});

  // Send: `.IZ .Up div > div[role=button]:not(.Uo):not([aria-haspopup=true])`; Send+Archive `.Uo`;
  // gmail.js `div.T-I.T-I-atl` (gmail-page.md table, "Send button").
  const SEND_SELECTORS = [
    '.IZ .Up div > div[role=button]:not(.Uo):not([aria-haspopup=true])',
    '.IZ .Up .Uo[role=button]',
    'div.T-I.T-I-atl',
  ];
  // Compose root: inline reply `div.M9`, popup compose `div.AD` (gmail-page.md, "Compose root").
  const COMPOSE_SELECTOR = 'div.M9, div.AD';

  function sendControl(target) {
    if (!target?.closest) return null;
    for (const sel of SEND_SELECTORS) {
      const hit = target.closest(sel);
      if (hit) return hit;
    }
    return null;
  }

  const composeOf = (node) => node?.closest?.(COMPOSE_SELECTOR) ?? null;
  const sendButtonIn = (compose) =>
    compose.querySelector(SEND_SELECTORS[0]) ?? compose.querySelector(SEND_SELECTORS[2]);

  /** The Send attempt an event is, or null: {compose, button}. */
  function sendAttempt(event) {
    if (event.type === 'click') {
      const button = sendControl(event.target);
      return button && composeOf(button) ? { compose: composeOf(button), button } : null;
    }
    if (event.type !== 'keydown') return null;
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      const compose = composeOf(event.target);
      return compose ? { compose, button: sendButtonIn(compose) } : null;
    }
    if (event.key === 'Enter' || event.key === ' ') {
      const button = sendControl(event.target);
      return button && composeOf(button) ? { compose: composeOf(button), button } : null;
    }
    return null;
  }

  /**
   * install(doc, {shouldHold(compose) → bool, onHold(compose, sendAnyway), onSend(compose)})
   * Returns uninstall.
   */
  function install(doc, hooks) {
    const held = new WeakSet();
    const listener = (event) => {
      let attempt = null;
      try {
        attempt = sendAttempt(event);
        if (!attempt) return;
        if (!held.has(attempt.compose) && hooks.shouldHold(attempt.compose)) {
          held.add(attempt.compose);
          event.preventDefault();
          event.stopImmediatePropagation();
          hooks.onHold(attempt.compose, () => resend(attempt));
          return;
        }
        hooks.onSend?.(attempt.compose);
      } catch (err) {
        console.warn(`MAX: send hook failed (${err?.name ?? 'Error'}); sending as usual`);
      }
    };
    doc.addEventListener('click', listener, true);
    doc.addEventListener('keydown', listener, true);
    return () => {
      doc.removeEventListener('click', listener, true);
      doc.removeEventListener('keydown', listener, true);
    };
  }

  // Re-dispatch a full click on Send: the compose is already in `held`, so it goes through.
  function resend({ compose, button }) {
    const target = button?.isConnected ? button : sendButtonIn(compose);
    if (!target) return false;
    for (const type of ['mousedown', 'mouseup', 'click']) {
      target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window }));
    }
    return true;
  }

  MAX.sendHold = Object.freeze({ install, COMPOSE_SELECTOR });
})();
