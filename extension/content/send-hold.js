/*
 * Holds the first Send of a compose in a `trap` thread, once, to show the banner.
 * Rule (gmail-page.md, "Hooking Send"; InboxSDK getPresendingStream): only capture-phase listeners
 * on the Send and Send+Archive buttons, Enter/Space on them and Ctrl/Cmd+Enter in the compose can
 * stop a send; the options arrow beside Send and its "Schedule send" are never held. The
 * decision is synchronous from what is already known: no report → no hold. A compose is held at
 * most once, "send anyway" always sends, and any failure lets the email go.
 * A Send attempt is the user's own click or key (isTrusted). An event a script dispatches — a
 * page script's, or MAX's own "send anyway" click — passes through untouched: never held, and
 * never using up the one hold, so a page cannot spend it before the user's first real Send.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const dom = MAX.gmailDom;

  // Send or Send+Archive (lib/gmail-dom.js); never the options arrow beside Send, nor the
  // "Schedule send" item of its menu, whose classes the broad gmail.js fallback also matches.
  function sendControl(target) {
    if (!target?.closest) return null;
    if (dom.closest(target, 'composeSendOptions') || dom.closest(target, 'composeScheduleSend')) return null;
    return dom.closest(target, 'composeSendArchive') ?? dom.closest(target, 'composeSend');
  }

  const composeOf = (node) => dom.closest(node, 'compose');
  const sendButtonIn = (compose) => dom.find(compose, 'composeSend');

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
    // "Send anyway" sends with a click of MAX's own, which the listener lets pass untouched: the
    // compose's last moment before sending (the tracking pixel) comes here, and a failure sends.
    const sending = (compose) => {
      try {
        hooks.onSend?.(compose);
      } catch (err) {
        console.warn(`MAX: send hook failed (${err?.name ?? 'Error'}); sending as usual`);
      }
    };
    const listener = (event) => {
      if (!event.isTrusted) return; // not the user's Send: Gmail's business, not MAX's
      let attempt = null;
      try {
        attempt = sendAttempt(event);
        if (!attempt) return;
        if (!held.has(attempt.compose) && hooks.shouldHold(attempt.compose)) {
          held.add(attempt.compose);
          event.preventDefault();
          event.stopImmediatePropagation();
          hooks.onHold(attempt.compose, () => {
            sending(attempt.compose);
            return resend(attempt);
          });
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

  // Sends as the user asked: a full click (mousedown, mouseup, click, as InboxSDK's simulateClick)
  // on the button that was held — Send+Archive stays Send+Archive — or, for a held keyboard
  // shortcut, on the compose's Send. These events are untrusted, so the listener lets them
  // through to Gmail. With no Send button to be found, Ctrl+Enter in the compose (Gmail's own
  // shortcut) sends instead.
  function resend({ compose, button }) {
    const target = button?.isConnected ? button : sendButtonIn(compose);
    if (!target) {
      const focus = dom.find(compose, 'composeBody') ?? compose;
      const init = {
        key: 'Enter',
        code: 'Enter',
        keyCode: 13,
        which: 13,
        ctrlKey: true,
        bubbles: true,
        cancelable: true,
      };
      return focus.dispatchEvent(new KeyboardEvent('keydown', init)) || true;
    }
    for (const type of ['mousedown', 'mouseup', 'click']) {
      target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window }));
    }
    return true;
  }

  MAX.sendHold = Object.freeze({ install });
})();
