/*
 * The message types the parts of the extension send each other, in one place.
 * Rule: a type names its direction — cs = content script, bg = background service worker,
 * op = options page — so a reader knows who sends and who answers (darkreader's habit). The
 * background answers a cs-bg-* message only from a content script on a Gmail tab and an op-bg-*
 * one only from the extension's own pages (background.js, isAllowedSender).
 * Plain script with no import/export: content scripts load it classic, the service worker and
 * node tests load it as a module for its side effect.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  MAX.MSG = Object.freeze({
    CS_BG_ANALYZE_THREAD: 'cs-bg-analyze-thread',
    CS_BG_SUGGEST: 'cs-bg-suggest',
    CS_BG_MARK_SENT: 'cs-bg-mark-sent',
    CS_BG_GET_GMAIL_THREAD: 'cs-bg-get-gmail-thread',
    CS_BG_TRACKING_PIXEL: 'cs-bg-tracking-pixel',
    CS_BG_SELF_VIEW: 'cs-bg-self-view',
    CS_BG_OPEN_OPTIONS: 'cs-bg-open-options',
    CS_BG_GET_SETTINGS: 'cs-bg-get-settings',
    CS_BG_GMAIL_LANGUAGE: 'cs-bg-gmail-language',
    CS_BG_SET_SIDEBAR_OPEN: 'cs-bg-set-sidebar-open',
    CS_BG_GET_PIPELINE: 'cs-bg-get-pipeline',
    CS_BG_GET_PIVOT: 'cs-bg-get-pivot',
    CS_BG_MARK_ANSWERED: 'cs-bg-mark-answered',
    OP_BG_PAIR: 'op-bg-pair',
    OP_BG_PAIR_LOCAL: 'op-bg-pair-local',
    OP_BG_CHECK_BACKEND: 'op-bg-check-backend',
    OP_BG_GET_SETTINGS: 'op-bg-get-settings',
    OP_BG_SAVE_SETTINGS: 'op-bg-save-settings',
    OP_BG_READ_GMAIL_ACCOUNT: 'op-bg-read-gmail-account',
    OP_BG_GET_PIPELINE: 'op-bg-get-pipeline',
    OP_BG_GET_STATS: 'op-bg-get-stats',
    OP_BG_OPEN_THREAD: 'op-bg-open-thread',
    OP_BG_OPEN_OPTIONS: 'op-bg-open-options',
  });
  // The one message the background sends to the content scripts (chrome.tabs.sendMessage).
  MAX.BG_CS = Object.freeze({ READ_ACCOUNT: 'bg-cs-read-account' });
  // window.postMessage between the page's MAIN world and the content script.
  MAX.PAGE = Object.freeze({
    SOURCE: 'max-page-world',
    GMAIL_RESPONSE: 'page-cs-gmail-response',
    ACCOUNT: 'page-cs-account',
    LANG: 'page-cs-lang',
    HELLO: 'cs-page-hello',
  });
})();
