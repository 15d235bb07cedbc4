/*
 * The level chip: MAX folded to its smallest, still saying the thread's level (ok, watch, trap)
 * or "?" with the reason when it could not read the thread — never nothing. In Gmail's side
 * panel it is MAX's icon in the rail; a click opens or folds the panel.
 * Rule: it shows what the report says and decides nothing: the level is display.level (an
 * incomplete `ok` comes as "unknown": "?", "could not read all messages", never a green ok),
 * and a partial reading is "at least N" (≥N).
 * describe() is pure (table-tested); the host is data-max="chip", in a Shadow DOM.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const { el, mountHost } = MAX.dom;
  const t = (...a) => MAX.t(...a);

  // The levels' colours, shared with the list chips (list-chips.js): one look for MAX's level.
  const LEVEL_CSS = `
    .ok { background: #e6f4ea; color: #137333; }
    .watch { background: #fef7e0; color: #b06000; }
    .trap { background: #fce8e6; color: #c5221f; }`;

  const CSS = `
    :host { all: initial; display: block; width: 48px; margin: 8px auto; }
    button { all: unset; box-sizing: border-box; width: 48px; padding: 4px 2px; border-radius: 12px; cursor: pointer;
      display: flex; flex-direction: column; align-items: center; gap: 1px; font: 600 9px/1.2 system-ui, sans-serif;
      text-align: center; border: 2px solid transparent; }
    button:focus-visible { outline: 2px solid #1a73e8; outline-offset: 1px; }
    .max { font-size: 8px; letter-spacing: .06em; opacity: .8; }
    .glyph { font-size: 15px; line-height: 1.1; }
    .word { max-width: 44px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    ${LEVEL_CSS}
    .unknown { background: #f1f3f4; color: #3c4043; border-color: #80868b; border-style: dashed; }
    .loading { background: #f1f3f4; color: #5f6368; }
    [aria-expanded="true"] { border-color: currentColor; }
  `;

  // Why MAX could not say a level, in one short word for the chip (the sentence is its title).
  const WHY = Object.freeze({
    unreachable: 'chipWhy_unreachable',
    not_paired: 'chipWhy_not_paired',
    no_account: 'chipWhy_no_account',
    wrong_account: 'chipWhy_wrong_account',
    no_messages: 'chipWhy_no_messages',
    unreadable: 'chipWhy_unreadable',
    incomplete: 'chipWhy_incomplete',
  });
  const WORDS = Object.freeze({ ok: 'chip_ok', watch: 'chip_watch', trap: 'chip_trap' });

  /**
   * What the chip shows: {level: ok|watch|trap|unknown|loading, glyph, word, title, reason?}.
   * state: {report} | {error} | {} (still reading); backendUrl for the error's sentence.
   */
  function describe({ report, error } = {}, backendUrl = '') {
    if (error) {
      const reason = Object.hasOwn(WHY, error.code ?? '') ? error.code : 'error';
      const word = t(WHY[reason] ?? 'chipWhy_error');
      return { level: 'unknown', glyph: '?', word, title: MAX.errorText(error, backendUrl), reason };
    }
    if (!report) return { level: 'loading', glyph: '…', word: 'MAX', title: t('sidebarLoading') };
    const n = Number(report.unanswered) || 0;
    const shown = shownLevel(report);
    const level = MAX.contract.LEVELS.includes(shown) ? shown : null;
    if (shown === 'unknown') {
      // Too few read to call it safe: never a green ok on a thread MAX could not read whole.
      return {
        level: 'unknown',
        glyph: '?',
        word: t('chipWhy_incomplete'),
        title: t('incompleteOk', [n]),
        reason: 'incomplete',
      };
    }
    if (!level) return describe({ error: { code: 'bad_response' } }, backendUrl);
    const why =
      report.complete === false
        ? MAX.tCount(n, 'atLeastOne', 'atLeastOther')
        : MAX.tCount(n, 'whyUnansweredOne', 'whyUnansweredOther');
    return {
      level,
      glyph: report.complete === false ? `≥${n}` : String(n),
      word: t(WORDS[level]),
      title: `${t(`level_${level}`)} — ${why}`,
    };
  }

  /**
   * The level the report says to show (display.level, from maxcore's policy.display_for); a
   * report without it (an older backend) shows its level; null for a level MAX cannot name.
   */
  function shownLevel(report) {
    const shown = report?.display?.level ?? report?.level;
    return MAX.contract.SHOWN_LEVELS.includes(shown) ? shown : null;
  }

  /** A detached chip host; onClick toggles the panel. */
  function create(onClick) {
    const frame = document.createDocumentFragment();
    const { host, root } = mountHost('chip', frame, CSS);
    const button = el('button', { attrs: { type: 'button' }, on: { click: () => onClick() } });
    root.append(button);
    return { host, button };
  }

  /** Draws `description` (describe()) on the chip; `open` is whether the panel is open. */
  function draw(chip, description, open) {
    const { level, glyph, word, title, reason } = description;
    chip.host.dataset.maxLevel = level;
    if (reason) chip.host.dataset.maxReason = reason;
    else delete chip.host.dataset.maxReason;
    chip.button.className = level;
    chip.button.title = `MAX — ${title}`;
    chip.button.setAttribute('aria-label', `MAX — ${title}`);
    chip.button.setAttribute('aria-expanded', String(open));
    chip.button.replaceChildren(
      el('span', { class: 'max', attrs: { 'aria-hidden': 'true' } }, 'MAX'),
      el('span', { class: 'glyph', attrs: { 'aria-hidden': 'true' } }, glyph),
      el('span', { class: 'word', attrs: { 'aria-hidden': 'true' } }, word),
    );
  }

  MAX.chip = Object.freeze({ describe, shownLevel, create, draw, LEVEL_CSS });
})();
