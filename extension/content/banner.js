/*
 * The banner inside a compose: at `trap`, this email would be one more follow-up without an answer.
 * Rule: it cites the evidence honestly, with source and year (pivot.md, "Evidence on follow-up
 * effectiveness": the data supports changing channel, not "never a third touch"), offers the phone
 * message, and when Send was held it always offers "send anyway". Which banner, if any, is the
 * report's to say (`display.banner`: maxcore decides, the banner draws); `watch` is the softer
 * note. Host data-max="banner", in a Shadow DOM.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const { el, mountHost } = MAX.dom;
  const t = (...a) => MAX.t(...a);

  const CSS = `
    :host { all: initial; display: block; }
    .banner { font: 14px/1.4 system-ui, sans-serif; margin: 6px 8px; padding: 10px 12px; border-radius: 8px; }
    .trap { background: #fce8e6; color: #3c0d0b; border-left: 4px solid #c5221f; }
    .watch { background: #fef7e0; color: #3d2a00; border-left: 4px solid #f29900; }
    strong { display: block; margin-bottom: 4px; }
    p { margin: 4px 0; } .note { font-size: 12px; color: #5f6368; }
    .row { display: flex; gap: 8px; margin-top: 8px; flex-wrap: wrap; }
    button { font: inherit; border-radius: 16px; padding: 4px 12px; cursor: pointer; border: 1px solid #dadce0; background: #fff; }
    button.primary { background: #1a73e8; color: #fff; border-color: #1a73e8; }
  `;

  /** Which banner the report asks for, or null when it asks for none. */
  function bannerKind(report) {
    const kind = report?.display?.banner;
    return MAX.contract.BANNERS.includes(kind) ? kind : null;
  }

  function content(kind, report, { held, onShowMessage, onSendAnyway }) {
    const text =
      kind === 'trap'
        ? [
            // A partial reading (folded messages MAX could not read) is "at least N".
            el(
              'strong',
              { data: { max: 'count' } },
              t(report.complete === false ? 'bannerTrapTitleAtLeast' : 'bannerTrapTitle', [report.unanswered]),
            ),
            el('p', {}, t('bannerEvidence')),
            el('p', { class: 'note' }, t('bannerEvidenceSource')),
          ]
        : [el('strong', {}, t('bannerWatchTitle', [report.opens])), el('p', {}, t('bannerWatchBody'))];
    const buttons = onShowMessage
      ? [
          el(
            'button',
            { class: 'primary', data: { maxAction: 'show-message' }, on: { click: onShowMessage } },
            t('bannerShowMessage'),
          ),
        ]
      : [];
    if (held) {
      text.push(el('p', { data: { max: 'held' } }, t('bannerHeld')));
      buttons.push(el('button', { data: { maxAction: 'send-anyway' }, on: { click: onSendAnyway } }, t('sendAnyway')));
    }
    return el(
      'div',
      { class: `banner ${kind}`, attrs: { role: kind === 'trap' ? 'alert' : 'note' } },
      ...text,
      el('div', { class: 'row' }, ...buttons),
    );
  }

  const mounted = new WeakMap(); // compose element → {host, root}

  /** Shows (or refreshes) the banner in `compose`; removes it when the report says nothing. */
  function render(compose, report, options) {
    const kind = bannerKind(report);
    let view = mounted.get(compose);
    if (!kind) {
      view?.host.remove();
      mounted.delete(compose);
      return false;
    }
    if (!view || !view.host.isConnected) {
      view = mountHost('banner', compose, CSS, { prepend: true });
      mounted.set(compose, view);
    }
    view.host.dataset.maxKind = kind;
    view.root.replaceChildren(view.root.querySelector('style'), content(kind, report, options));
    return true;
  }

  MAX.banner = Object.freeze({ bannerKind, render });
})();
