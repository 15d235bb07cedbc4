/*
 * Every selector MAX uses on Gmail's page, in one table (refined-github keeps its selectors.ts
 * the same way): what each finds, its chain, and where that knowledge comes from.
 * Rule: no other file holds a Gmail selector. A chain is tried in order and the first link that
 * matches anything wins; later links are fallbacks for older or A/B-tested markup (gmail-page.md:
 * class names are obfuscated and change). A link may be a selector list when both forms exist at
 * once (inline and popup composes). Sources cite the two maintained SDKs at the commits saved in
 * shared/data/gmail-internal/SOURCES.txt — InboxSDK v2.2.18 (2026-07-23), gmail.js 1.1.16
 * (2026-03-25) — with the year the selector first appears there; fixtures/README.md says which
 * fixture shows each one, and gmail-dom.test.mjs runs every chain on those fixtures.
 * Plain script: it fills MAX.gmailDom; content scripts load it before the features.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const ISDK = 'InboxSDK src/platform-implementation-js/dom-driver/gmail/';
  const GJS = 'gmail.js src/gmail.js';

  const SELECTORS = Object.freeze({
    // --- the open thread -------------------------------------------------------------------
    threadView: {
      finds: 'the open conversation; every thread reading is scoped to it',
      chain: ['div.a98.iY', 'div.iY', 'table.Bs > tr', 'div.if'],
      source: `${ISDK}gmail-element-getter.ts L334-346 (table.Bs > tr; .a98.iY since 2023-11-16); ${GJS} L2477-2484 view_thread div.iY, L4490 .if/.iY`,
      year: 2023,
    },
    threadId: {
      finds: 'the element carrying the open thread id (data-legacy-thread-id, 16 hex digits), inside the thread view',
      chain: ['h2[data-legacy-thread-id]', '[data-legacy-thread-id]'],
      source: `${GJS} L509-521 ("only the visible header of the visible email is a H2"); ${ISDK}views/gmail-thread-view.ts L553 (within the thread view)`,
      year: 2018,
    },
    threadHeading: {
      finds:
        'the thread id when no thread view element is found: the subject h2 only, never any [data-legacy-thread-id]',
      chain: ['h2[data-legacy-thread-id]'],
      source: `${GJS} L513`,
      year: 2018,
    },
    threadRow: {
      finds: 'a thread-list row; its span[data-legacy-thread-id] must never be taken for the open thread',
      chain: ['tr.zA'],
      source: `${GJS} L3954 tbody>tr.zA[role=row]; saved page inboxsdk/injected-thread-identifier.html (tr.zA rows)`,
      year: 2014,
    },
    rowThreadId: {
      finds:
        "a thread-list row's span carrying its thread id (data-legacy-thread-id, hex); a row with two that disagree names none",
      chain: ['span[data-legacy-thread-id]'],
      source: `${ISDK}views/gmail-thread-row-view.ts L1162-1182 (span[data-thread-id] with data-legacy-thread-id); ${GJS} L3959-3967 (2019)`,
      year: 2019,
    },
    rowSubject: {
      finds: "a thread-list row's subject line, where MAX's list chip goes first, inline before the subject",
      chain: ['td.a4W div.y6', 'td.a4W'],
      source: `${ISDK}views/gmail-thread-row-view.ts L1134-1141 (td.a4W .xT .y6 subject); saved page inboxsdk/injected-thread-identifier.html L322-356`,
      year: 2014,
    },
    subject: {
      finds: "the open thread's subject",
      chain: ['h2.hP', '.ha h2'],
      source: `${GJS} L4504; ${ISDK}views/gmail-thread-view.ts L520`,
      year: 2015,
    },

    // --- messages of the thread ------------------------------------------------------------
    message: {
      finds: 'each message of the conversation, whatever its state (expanded, collapsed, folded)',
      chain: [
        '[role=list] > .h7, [role=list] > .kv, [role=list] > .ky, [role=list] > .kQ, [role=list] > .kx',
        '.h7, .kv, .ky, .kQ, .kx',
        'div.adn.ads',
      ],
      source: `${ISDK}views/gmail-thread-view.ts L918-944 (messages are the children of the parent of the first .h7; [role=list] L299), views/gmail-message-view.ts L706-717, L777-787; ${GJS} L2493 div.adn.ads`,
      year: 2018,
    },
    expandedState: {
      finds: 'state class of an expanded message',
      chain: ['.h7'],
      source: `${ISDK}views/gmail-message-view.ts L786, L825`,
      year: 2018,
    },
    collapsedState: {
      finds: 'state class of a collapsed message (one-line header)',
      chain: ['.kv, .ky'],
      source: `${ISDK}views/gmail-message-view.ts L713, L782-783`,
      year: 2018,
    },
    hiddenState: {
      finds: 'state class of a message folded into the "N older messages" stack (not rendered)',
      chain: ['.kQ, .kx'],
      source: `${ISDK}views/gmail-message-view.ts L709-710, L777-778; views/gmail-thread-view.ts L399`,
      year: 2018,
    },
    expandedContent: {
      finds: "an expanded message's content (header, recipients, body)",
      chain: ['div.adn.ads', 'div.adn'],
      source: `${GJS} L2493 view_email div.adn.ads, L4503 div.adn`,
      year: 2016,
    },
    collapsedHeader: {
      finds: "a collapsed message's one-line header (sender, date, snippet)",
      chain: ['div.adf.ads'],
      source: `${ISDK}views/gmail-message-view.ts L614-615 (.adf.ads td.gH span for COLLAPSED, 2019-07); ChromeVox gmailvox (2012) "partiallyCollapsedMessage"`,
      year: 2019,
    },
    sender: {
      finds: "a message's sender (attributes email, name)",
      chain: ['td.gF span[email]', 'span.gD[email]', 'h3.iw span[email]'],
      source: `${ISDK}views/gmail-message-view.ts L226 (td.gF span[email] "in both expanded and collapsed states", 2018-12-31; h3.iw span[email] before); ${GJS} L4460 span[email].gD`,
      year: 2018,
    },
    recipients: {
      finds: "an expanded message's recipients as shown (may be truncated)",
      chain: ['.hb span[email]'],
      source: `${ISDK}views/gmail-message-view.ts L240; ${GJS} L4461-4462 span.hb, span[email].g2`,
      year: 2015,
    },
    expandedDate: {
      finds: "an expanded message's date (title: localised text, minute precision, no zone)",
      chain: ['.gK .g3[title]', 'span.g3[title]', 'span.g3'],
      source: `${ISDK}views/gmail-message-view.ts L294 (.ads .gK .g3 title); ${GJS} L4463 span.g3`,
      year: 2015,
    },
    collapsedDate: {
      finds: "a collapsed message's date in its header (td.gH, no .gK around it)",
      chain: ['td.gH span.g3[title]', 'td.gH span[title]'],
      source: `${ISDK}views/gmail-message-view.ts L614-617 (.adf.ads td.gH span vs td.gH div.gK span); gmail-page.md "Collapsed messages"`,
      year: 2019,
    },
    snippet: {
      finds: "a collapsed message's snippet (its only visible text)",
      chain: ['.iA.g6'],
      source: 'ChromeVox gmailvox speakables (Google, 2012) unopenedContent; gmail-page.md "Collapsed messages" (2026)',
      year: 2012,
    },
    body: {
      finds: "an expanded message's body",
      chain: ['div.ii.gt', 'div.a3s'],
      source: `${ISDK}views/gmail-message-view.ts L210 (.adP dead per PR #1309); ${GJS} L4459 div.a3s`,
      year: 2017,
    },
    legacyMessageId: {
      finds: "the element carrying a message's hex id (data-legacy-message-id)",
      chain: ['[data-legacy-message-id]'],
      source: `${ISDK}views/gmail-message-view.ts L481-486; ${GJS} L4295`,
      year: 2018,
    },
    syncMessageId: {
      finds: 'the element carrying a message\'s sync id (data-message-id="#msg-f:…")',
      chain: ['[data-message-id]'],
      source: `${ISDK}views/gmail-message-view.ts L123; ${GJS} L4297, L4553`,
      year: 2018,
    },
    foldedStack: {
      finds: 'the "N older messages" stack',
      chain: ['.adv'],
      source: `${ISDK}views/gmail-thread-view.ts L391-403 (a .kQ message element; without it, the second .kQ)`,
      year: 2018,
    },
    foldedCount: {
      finds: 'the number of messages in the folded stack',
      chain: ['.adx span'],
      source: `${ISDK}views/gmail-thread-view.ts L472-479`,
      year: 2018,
    },
    bodyImage: {
      finds: 'images in message bodies (where MAX neutralises its own tracking pixel)',
      chain: ['div.ii.gt img, div.a3s img'],
      source: `${ISDK}views/gmail-message-view.ts L210; ${GJS} L4459`,
      year: 2017,
    },

    // --- composes and Send -----------------------------------------------------------------
    compose: {
      finds: 'a compose root: inline reply (div.M9) or popup compose (div.AD)',
      chain: ['div.M9, div.AD'],
      source: `${GJS} L3976-3981 div.M9; ${ISDK}gmail-driver/setup-compose-view-driver-stream.ts L78-79 div.AD; views/gmail-message-view.ts L888 (inline reply .M9 in .ip)`,
      year: 2016,
    },
    moleContainer: {
      finds: 'the container of popup composes (a compose outside it is an inline reply)',
      chain: ['div.dw'],
      source: `${ISDK}gmail-element-getter.ts L43 MOLE_CONTAINER_SELECTOR`,
      year: 2026,
    },
    composeThreadId: {
      finds: "a compose's hidden thread id (hex, the thread it replies in)",
      chain: ['input[name="lts"]'],
      source: `${ISDK}views/gmail-compose-view.ts L551-552`,
      year: 2018,
    },
    composeFrom: {
      finds: "a compose's From address",
      chain: ['input[name="from"]'],
      source: `${GJS} L4261 compose from`,
      year: 2015,
    },
    composeBody: {
      finds: "a compose's editable body",
      chain: ['.Ap [g_editable=true]', 'div[contenteditable=true]'],
      source: `${ISDK}views/gmail-compose-view.ts L1096; ${GJS} L4257`,
      year: 2014,
    },
    composeRecipientChip: {
      finds: "a compose's recipient chips (people-kit UI: address in data-hovercard-id or email)",
      chain: ['.GS [role=option], .GS [email]'],
      source: `${ISDK}views/gmail-compose-view/page-parser.ts L219 (.GS .anm[name=to] [role=listbox] [role=option][data-name])`,
      year: 2021,
    },
    composeRecipientField: {
      finds: "a compose's recipient fields in the old UI",
      chain: ['textarea[name=to], input[name=to], textarea[name=cc], input[name=cc]'],
      source: `${GJS} L4248-4249, L4268-4273`,
      year: 2015,
    },
    composeSend: {
      finds: 'the real Send button of a compose (never the options arrow, never Send+Archive)',
      chain: [
        '.IZ .Up div > div[role=button]:not(.Uo):not([aria-haspopup=true]):not([class^=inboxsdk_])',
        'div.T-I.T-I-atl:not(.Uo):not([aria-haspopup=true]):not(.hG):not(.gmailjscomposebutton)',
      ],
      source: `${ISDK}views/gmail-compose-view.ts L1232-1237 (:not([aria-haspopup=true]) since "Fix getSendButton() when schedule send is present", 2019-04-16); ${GJS} L4263 div.T-I.T-I-atl (2020), which also matches the arrow: narrowed here`,
      year: 2019,
    },
    composeSendArchive: {
      finds: 'the Send+Archive button of a reply',
      chain: ['.IZ .Up div > div[role=button].Uo:not([aria-haspopup=true]):not([class^=inboxsdk_])'],
      source: `${ISDK}views/gmail-compose-view.ts L1260-1271 (2019-04-18)`,
      year: 2019,
    },
    composeSendOptions: {
      finds: "Send's options arrow (opens the schedule-send menu): never a Send",
      chain: ['.IZ .Up div > [role=button][aria-haspopup=true]', '[role=button].hG'],
      source: `${ISDK}views/gmail-compose-view.ts L1247-1258 getSendButtonGroup (2019-04), L1243-1245 getMoreSendOptionsButton .hG (2024-10-13)`,
      year: 2019,
    },
    composeScheduleSend: {
      finds: 'the "Schedule send" menu item (inside the compose): never a Send',
      chain: ['[selector="scheduledSend"]'],
      source: `${ISDK}views/gmail-compose-view.ts L1239-1241 (2024-10-13); driver-common/compose/getPrescheduledSendingStream.ts`,
      year: 2024,
    },

    // --- the side panel: Gmail's add-on column, where MAX's sidebar lives ---------------------
    sidePanelColumn: {
      finds: 'the right-hand column holding the side panel: its content and its icon rail',
      chain: ['div.aUx'],
      source: `${ISDK}gmail-element-getter.ts L23-27, L69-71 COMPANION_SIDEBAR_COLUMN (read since 2026-06-15, commit 79b97a2d; named 2026-07-23)`,
      year: 2026,
    },
    sidePanelContent: {
      finds: "the side panel's content container, where add-ons draw (MAX's panel is its first child)",
      chain: ['.brC-brG'],
      source: `${ISDK}gmail-element-getter.ts L73-75 getCompanionSidebarContentContainerElement (2018-02-06); views/gmail-app-sidebar-view/primary/index.tsx L962-977 (a global panel goes in first)`,
      year: 2018,
    },
    sidePanelWrapper: {
      finds: 'the wrapper around the content container, which Gmail hides (display: none) when no panel is open',
      chain: ['div.WN9Ejb', '.bq9'],
      source: `${ISDK}gmail-element-getter.ts L29-40, L82-104 getCompanionSidebarOuterWrapperElement (.WN9Ejb since the 2024-11-07 layout, commit a930cd0f; .bq9 the content container itself before, 2018-06-20); style/gmail.css L1825-1836`,
      year: 2024,
    },
    sidePanelRail: {
      finds:
        'the side panel\'s icon rail (role=complementary, "Side panel"), display: none when the user hid the panel',
      chain: ['.brC-aT5-aOt-Jw'],
      source: `${ISDK}gmail-element-getter.ts L77-80 (2018-02-06; role=complementary since 2024-11-07); gmail-driver/gmail-load-event.ts L10-31 (collapsed: style display none, 2023-10-09)`,
      year: 2018,
    },
    sidePanelTabList: {
      finds: "the rail's tab list of thread add-on icons",
      chain: ['[role=tablist], .J-KU-Jg'],
      source: `${ISDK}views/gmail-app-sidebar-view/primary/add-companion-thread-icon-area.ts L4-10 TAB_LIST_SELECTOR (2018-02); saved gmail-2017-09-08-gmail-addon-sidebar.html (div.J-KU-Jg[role=tablist])`,
      year: 2017,
    },
    sidePanelSeparator: {
      finds: "the separator in the rail's tab list, after which an add-on's thread icon goes",
      chain: ['[role=separator]'],
      source: `${ISDK}views/gmail-app-sidebar-view/primary/add-companion-thread-icon-area.ts L25-38; index.test.ts makeSidebarContainerElement (rail > tablist > separator)`,
      year: 2018,
    },
    sidePanelActiveIcon: {
      finds: "the rail's icon of the Gmail companion or add-on now open (closed before MAX opens)",
      chain: ['.aT5-aOt-I-KO'],
      source: `${ISDK}views/gmail-app-sidebar-view/primary/index.tsx L34 ACTIVE_ADD_ON_ICON_SELECTOR, L648-658 (simulateClick closes it, 2018-10-23)`,
      year: 2018,
    },

    sidePanelSdkOpen: {
      finds: "the content container's mark while an InboxSDK app's panel (Streak…) is open in the side panel",
      chain: ['.companion_app_sidebar_visible'],
      source: `${ISDK}views/gmail-app-sidebar-view/primary/index.tsx L661-667, L614-621 (added on open, removed on close; 2018-02-07); style/gmail.css L1825-1827`,
      year: 2018,
    },
    sidePanelSdkActiveButton: {
      finds: 'the rail button of the InboxSDK app whose panel is open (a click closes it)',
      chain: ['.sidebar_button_container_active button'],
      source: `${ISDK}views/gmail-app-sidebar-view/primary/index.tsx L413-421, L510-517 (a click on its button closes the open panel), L1137-1144 (InboxSDK closes its own so; 2017-06-20)`,
      year: 2017,
    },

    // --- the account -----------------------------------------------------------------------
    accountButton: {
      finds: 'the Google Account button, whose label holds the address',
      chain: ['a[href*="accounts.google.com/SignOutOptions"][aria-label]'],
      source:
        "MAX's own reading (in neither SDK: both read GLOBALS[10], which comes first; InboxSDK gmail-element-getter.ts L359-362 only locates the account area)",
      year: 2026,
    },
    labelWithAddress: {
      finds: 'any aria-label holding an address (the account button in another layout); the last resort',
      chain: ['[aria-label*="@"]'],
      source: "MAX's own reading",
      year: 2026,
    },
  });

  function chainOf(name) {
    const entry = SELECTORS[name];
    if (!entry) throw new Error(`MAX: no Gmail selector named ${name}`);
    return entry.chain;
  }

  /** The first element the chain finds under root (first link with a match wins), or null. */
  function find(root, name) {
    for (const sel of chainOf(name)) {
      const hit = root?.querySelector?.(sel);
      if (hit) return hit;
    }
    return null;
  }

  /** Every element the first matching link finds under root, in document order. */
  function findAll(root, name) {
    for (const sel of chainOf(name)) {
      const hits = root?.querySelectorAll?.(sel) ?? [];
      if (hits.length) return [...hits];
    }
    return [];
  }

  /** The nearest ancestor-or-self of node the chain matches (first link wins), or null. */
  function closest(node, name) {
    for (const sel of chainOf(name)) {
      const hit = node?.closest?.(sel);
      if (hit) return hit;
    }
    return null;
  }

  /** Whether node itself matches any link of the chain. */
  function matches(node, name) {
    return Boolean(node?.matches) && chainOf(name).some((sel) => node.matches(sel));
  }

  MAX.gmailDom = Object.freeze({ SELECTORS, find, findAll, closest, matches });
})();
