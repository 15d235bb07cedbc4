/*
 * Where MAX's sidebar lives on Gmail's page, and whether it is open. The first that applies:
 *  - 'side-panel': Gmail's side panel, where add-ons (Streak, HubSpot) draw: the column div.aUx
 *    with its content container and its icon rail. MAX's panel is the content container's first
 *    child and its chip is MAX's icon in the rail, after the tab list's separator, as InboxSDK
 *    places an app's thread panel (views/gmail-app-sidebar-view/primary/index.tsx). Opening MAX
 *    shows the wrapper Gmail hides and closes the companion (Calendar, Keep…) or the InboxSDK
 *    app's panel (Streak) that was open; one of them opening closes MAX. The mail beside the column is Gmail's to lay
 *    out: MAX covers none of it.
 *  - 'column': no side panel (an older layout), or the user hid it (its rail is display: none).
 *    A column is reserved beside the thread: the thread view gets a right padding as wide as MAX
 *    (page.css, class max-column; narrow when MAX is folded to its chip) and MAX sits in that
 *    padding, so it can never lie over a message.
 *  - 'band': not even a thread view element: MAX goes in the page's flow under the subject,
 *    pushing the mail down rather than covering it.
 * Rule: never a fixed overlay. Gmail elements are found through lib/gmail-dom.js and changed
 * only by MAX's own classes (page.css), removed again when MAX leaves (views that are not a thread).
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const dom = MAX.gmailDom;
  const CLASS = Object.freeze({
    wrapperOpen: 'max-sp-wrapper-open',
    contentOpen: 'max-sp-content-open',
    column: 'max-column',
    columnClosed: 'max-column-closed',
  });

  const isShown = (el) =>
    Boolean(el?.isConnected) && el.ownerDocument.defaultView.getComputedStyle(el).display !== 'none';

  /** Gmail's side panel, usable now: {content, wrapper, rail}, or null. */
  function findSidePanel(doc) {
    const scope = dom.find(doc, 'sidePanelColumn') ?? doc;
    const content = dom.find(scope, 'sidePanelContent');
    const rail = dom.find(scope, 'sidePanelRail');
    if (!content || !rail || !isShown(rail)) return null;
    // The wrapper is the content container itself in the 2018 layout (.bq9), its parent since.
    const wrapper = dom.closest(content, 'sidePanelWrapper') ?? content.parentElement ?? content;
    return { content, wrapper, rail };
  }

  // A full click (InboxSDK simulateClick), for Gmail's own icon of the companion now open.
  function simulateClick(el) {
    const view = el.ownerDocument.defaultView;
    for (const type of ['mousedown', 'mouseup', 'click']) {
      el.dispatchEvent(new view.MouseEvent(type, { bubbles: true, cancelable: true, view }));
    }
  }

  // Gmail re-lays out its columns on resize; InboxSDK fakes one after opening or closing a panel.
  const relayout = (doc) => doc.defaultView.dispatchEvent(new doc.defaultView.Event('resize'));

  function inSidePanel(doc, sp, panel, chip, onClosedByGmail, onMoved) {
    const separator = dom.find(sp.rail, 'sidePanelSeparator');
    const tabList = dom.find(sp.rail, 'sidePanelTabList');
    if (separator) separator.after(chip);
    else if (tabList) tabList.before(chip);
    else sp.rail.prepend(chip);
    sp.content.prepend(panel);
    let open = false;
    let closing = null; // the companion's icon MAX clicked to close it, until Gmail does
    let closingSdk = false; // the same for an InboxSDK app's panel
    // Gmail marks the icon of the companion it opens (InboxSDK's ACTIVE_ADD_ON_ICON_SELECTOR), and
    // InboxSDK the content container when an app of its own (Streak) opens: the person opened
    // one over MAX, which steps aside. The rail hidden: the person hid the side panel, and MAX
    // moves beside the thread.
    const watch = new doc.defaultView.MutationObserver(() => {
      if (!isShown(sp.rail)) return onMoved?.();
      const active = dom.find(sp.rail, 'sidePanelActiveIcon');
      const sdk = dom.matches(sp.content, 'sidePanelSdkOpen');
      if (active !== closing) closing = null;
      if (!sdk) closingSdk = false;
      if (open && ((active && active !== closing) || (sdk && !closingSdk))) onClosedByGmail?.();
    });
    const attributeFilter = ['class', 'style', 'hidden'];
    watch.observe(sp.rail, { attributes: true, subtree: true, attributeFilter });
    watch.observe(sp.content, { attributes: true, attributeFilter });
    return {
      name: 'side-panel',
      isIntact: () => panel.parentElement === sp.content && chip.parentElement?.isConnected && isShown(sp.rail),
      setOpen(value) {
        open = value;
        const active = open ? dom.find(sp.rail, 'sidePanelActiveIcon') : null;
        if (active) {
          closing = active;
          simulateClick(active);
        }
        const sdkButton =
          open && dom.matches(sp.content, 'sidePanelSdkOpen') ? dom.find(sp.rail, 'sidePanelSdkActiveButton') : null;
        if (sdkButton) {
          closingSdk = true;
          sdkButton.click(); // InboxSDK closes its open panel on a click of its button
        }
        sp.wrapper.classList.toggle(CLASS.wrapperOpen, open);
        sp.content.classList.toggle(CLASS.contentOpen, open);
        panel.hidden = !open;
        relayout(doc);
      },
      remove() {
        watch.disconnect();
        sp.wrapper.classList.remove(CLASS.wrapperOpen);
        sp.content.classList.remove(CLASS.contentOpen);
        chip.remove();
        panel.remove();
        if (open) relayout(doc);
      },
    };
  }

  function besideThread(doc, view, panel, chip) {
    const box = doc.createElement('div');
    box.dataset.max = 'column';
    box.append(chip, panel);
    view.classList.add(CLASS.column);
    view.append(box);
    return {
      name: 'column',
      isIntact: () => box.parentElement === view && view.isConnected && !findSidePanel(doc),
      setOpen(open) {
        view.classList.toggle(CLASS.columnClosed, !open);
        panel.hidden = !open;
      },
      remove() {
        view.classList.remove(CLASS.column, CLASS.columnClosed);
        box.remove();
      },
    };
  }

  function inFlow(doc, anchor, panel, chip) {
    const box = doc.createElement('div');
    box.dataset.max = 'band';
    box.append(chip, panel);
    anchor.after(box);
    return {
      name: 'band',
      isIntact: () => box.isConnected && !findSidePanel(doc),
      setOpen(open) {
        panel.hidden = !open;
      },
      remove: () => box.remove(),
    };
  }

  /**
   * Puts the panel and the chip (two hosts) where they belong for the thread whose view is
   * `threadView` (or, without one, whose subject heading is `heading`); null when neither is
   * there. onClosedByGmail: the person opened a Gmail companion over MAX; onMoved: the place
   * is gone (the person hid the side panel), to place MAX again.
   */
  function place(doc, { panel, chip, threadView, heading, onClosedByGmail, onMoved }) {
    const sp = findSidePanel(doc);
    if (sp) return inSidePanel(doc, sp, panel, chip, onClosedByGmail, onMoved);
    if (threadView) return besideThread(doc, threadView, panel, chip);
    const anchor = heading?.parentElement;
    return anchor ? inFlow(doc, anchor, panel, chip) : null;
  }

  MAX.sidePanel = Object.freeze({ place, findSidePanel, CLASS });
})();
