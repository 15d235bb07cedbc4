/*
 * The sidebar: the open thread's level and why, the recommendation, and the phone message.
 * Rule: it shows what the backend decided and decides nothing itself; built with DOM methods in a
 * Shadow DOM (host data-max="sidebar"), placed by side-panel.js (Gmail's side panel, else a
 * column beside the thread: never over the mail) with its level chip (chip.js). It folds to that
 * chip and opens again from it. A partial reading says "at least N"; a failure says what failed
 * and, where settings are the fix, offers them.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const { el, mountHost } = MAX.dom;
  const t = (...a) => MAX.t(...a);

  const CSS = `
    :host { all: initial; display: block; }
    .panel { box-sizing: border-box; height: 100%; overflow: auto; background: #fff; color: #1f1f1f;
      font: 14px/1.4 system-ui, sans-serif; padding: 12px 14px; border-left: 1px solid #dadce0; }
    header { display: flex; align-items: center; gap: 8px; }
    h1 { font-size: 16px; margin: 0; flex: 1; }
    button.fold { border: 0; background: none; color: #5f6368; font-size: 18px; padding: 0 6px; }
    .level { border-radius: 10px; padding: 2px 8px; font-weight: 600; font-size: 12px; }
    .level-ok { background: #e6f4ea; color: #137333; }
    .level-watch { background: #fef7e0; color: #b06000; }
    .level-trap { background: #fce8e6; color: #c5221f; }
    .level-unknown { background: #f1f3f4; color: #3c4043; border: 1px dashed #80868b; }
    p, ul { margin: 8px 0; } ul { padding-left: 18px; }
    .note { color: #5f6368; font-size: 13px; }
    .warn { color: #b06000; }
    textarea { width: 100%; box-sizing: border-box; min-height: 112px; resize: vertical; font: inherit; padding: 6px; }
    .row { display: flex; gap: 6px; flex-wrap: wrap; margin: 8px 0; }
    button, a.button { font: inherit; border: 1px solid #dadce0; background: #fff; border-radius: 16px;
      padding: 4px 12px; cursor: pointer; color: #1a73e8; text-decoration: none; }
    button[aria-checked="true"] { background: #e8f0fe; border-color: #1a73e8; }
    button.primary { background: #1a73e8; color: #fff; border-color: #1a73e8; }
    .qr img { width: 160px; height: 160px; display: block; margin: 8px auto; }
    .qr.stale { opacity: .35; }
  `;

  const { contract } = MAX;
  // Locale keys are named after the contract's own values: level_<level>, channel_<channel>,
  // ignored_<reason>, reason_<code>, note_<note>, absence_<absence> (a meta-test checks each
  // exists in en and fr).
  const keyOf = (kind, list, value) => (list.includes(value) ? `${kind}_${value}` : null);
  const levelKey = (level) => keyOf('level', contract.LEVELS, level) ?? 'level_ok';
  const ignoredKey = (reason) => keyOf('ignored', contract.IGNORED_REASONS, reason) ?? 'ignored_other';
  const channelKey = (channel) => keyOf('channel', contract.PHONE_CHANNELS, channel);
  // Sentences with a singular and a plural form, chosen by this fact (chrome.i18n has no plurals).
  const PLURAL = { email_ok: 'unanswered' };
  const COUNTS_AS_SAFE = new Set(['email_ok', 'email_watch']);
  const isDay = (iso) => /^\d{4}-\d\d-\d\d$/.test(iso ?? '');

  // A fact as the sentence shows it: a day in the UI's language, a channel by its name.
  function shown(name, value) {
    if (name === 'channel') return channelKey(value) && t(channelKey(value));
    if (name === 'until' || name === 'when') return isDay(value) ? localDay(value) : null;
    return value;
  }

  /**
   * The advice in the UI's language: the sentence of the rule that spoke (recommendation.code),
   * filled with the facts maxcore names for it (contract.REASON_FACTS, in order), plus its notes.
   * The backend's English sentence only when the code or a fact is unknown here.
   */
  function advice(report) {
    const rec = report?.recommendation;
    if (!rec) return '';
    // "One more email is still fine" needs every message read: on a partial reading the panel
    // says "at least N" and why instead (levelNodes, the incomplete warning).
    if (report.complete === false && COUNTS_AS_SAFE.has(rec.code)) return '';
    const names = Object.hasOwn(contract.REASON_FACTS, rec.code ?? '') ? contract.REASON_FACTS[rec.code] : null;
    const values = names?.map((name) => shown(name, rec.facts?.[name]));
    if (!names || values.some((v) => v === null || v === undefined)) return rec.reason ?? '';
    const plural = PLURAL[rec.code];
    const key = plural
      ? pluralKey(rec.facts[plural], `reason_${rec.code}_one`, `reason_${rec.code}_other`)
      : `reason_${rec.code}`;
    // The folded-messages note is its own warning in the panel (reportNodes).
    const notes = (rec.notes ?? []).filter((n) => n !== 'incomplete').map((n) => t(`note_${n}`));
    return [t(key, values), ...notes].join(' ');
  }
  const pluralKey = (count, one, other) =>
    new Intl.PluralRules(MAX.uiLanguage()).select(Number(count)) === 'one' ? one : other;

  function localTime(iso, opts = { dateStyle: 'full', timeStyle: 'short' }) {
    const d = new Date(iso);
    if (!iso || Number.isNaN(d.getTime())) return String(iso ?? '');
    return new Intl.DateTimeFormat(MAX.uiLanguage(), opts).format(d);
  }
  // A bare date (wait_until is a date) is a calendar day, not UTC midnight: shown as written.
  const localDay = (iso) => localTime(iso, { dateStyle: 'full', ...(isDay(iso) ? { timeZone: 'UTC' } : {}) });

  // Who and when for an ignored message, taken from the thread MAX sent (ids are not for people).
  function describeMessage(thread, id) {
    const m = thread?.messages?.find((x) => x.id === id);
    if (!m) return t('ignoredUnknownMessage');
    const when = /^\d{4}-\d\d-\d\dT/.test(m.date)
      ? localTime(m.date, { dateStyle: 'medium', timeStyle: 'short' })
      : m.date;
    return `${m.from.name || m.from.email}, ${when}`;
  }

  // The panel and its chip, placed by side-panel.js; `open` is remembered by main.js (storage).
  let view = null;
  let open = true;
  let actions = {};
  let lastChip = {};

  function create() {
    const frame = document.createDocumentFragment();
    const { host, root } = mountHost('sidebar', frame, CSS);
    const body = el('div', { class: 'content' });
    const fold = el(
      'button',
      {
        class: 'fold',
        data: { maxAction: 'fold' },
        attrs: { type: 'button', title: t('sidebarCollapse'), 'aria-label': t('sidebarCollapse') },
        on: { click: () => actions.onToggle?.(false) },
      },
      '×',
    );
    const panel = el(
      'section',
      { class: 'panel', attrs: { 'aria-label': t('extName') } },
      el('header', {}, el('h1', {}, 'MAX'), fold),
      body,
    );
    root.append(panel);
    const chip = MAX.chip.create(() => actions.onToggle?.(!open));
    const where = MAX.threadReader.locate(document);
    const placement = MAX.sidePanel.place(document, {
      panel: host,
      chip: chip.host,
      threadView: where?.view,
      heading: where?.heading,
      onClosedByGmail: () => actions.onToggle?.(false),
      onMoved: () => keepPlaced(),
    });
    if (!placement) return null;
    host.dataset.maxPlacement = placement.name;
    const show = (...nodes) => body.replaceChildren(...nodes.filter(Boolean));
    return { host, root, body, chip, placement, show };
  }

  /** The placed view, made again when Gmail re-rendered what it sat in; null with no thread. */
  function ensure() {
    if (view && !view.placement.isIntact()) remove();
    if (!view) {
      view = create();
      view?.placement.setOpen(open);
    }
    return view;
  }

  // Each show*: the panel's body and the chip, with the same state.
  function render(nodes, chipState, given) {
    if (given) actions = given;
    const v = ensure();
    if (!v) return;
    lastChip = chipState;
    MAX.chip.draw(v.chip, MAX.chip.describe(chipState, actions.backendUrl), open);
    v.host.dataset.maxOpen = String(open);
    v.show(...nodes);
  }

  /** Opens the panel or folds it to its chip (main.js remembers the choice). */
  function setOpen(value) {
    open = Boolean(value);
    if (!view) return;
    view.placement.setOpen(open);
    view.host.dataset.maxOpen = String(open);
    MAX.chip.draw(view.chip, MAX.chip.describe(lastChip, actions.backendUrl), open);
  }

  function optionsButton(onOpenOptions) {
    return el(
      'button',
      { class: 'primary', data: { maxAction: 'options' }, on: { click: onOpenOptions } },
      t('openOptions'),
    );
  }

  function showLoading(given) {
    render([el('p', { class: 'note' }, t('sidebarLoading'))], {}, given);
  }

  // The failures where the settings are not the fix (the page is: reload, open the messages).
  // "Me" is the address confirmed in the settings, never read from the page: until then
  // (no_account), or when another Gmail account is open (wrong_account), the fix is there.
  const NO_OPTIONS = new Set(['no_messages', 'unreadable', 'extension_reloaded']);

  function showError(error, given) {
    const code = error?.code ?? 'error';
    const a = given ?? actions;
    render(
      [
        el('p', { data: { maxState: code } }, MAX.errorText(error, a.backendUrl)),
        el('p', { class: 'note' }, t('sidebarSendStillWorks')),
        !NO_OPTIONS.has(code) && optionsButton(a.onOpenOptions),
      ],
      { error },
      given,
    );
  }

  // The level the report says to show (display.level: "unknown" for a partial reading that would
  // say ok, never a green ok); a partial reading says "at least N".
  function levelNodes(report) {
    const n = Number(report.unanswered) || 0;
    const incomplete = report.complete === false;
    const shown = MAX.chip.shownLevel(report) ?? 'unknown';
    const badge =
      shown === 'unknown'
        ? el('span', { class: 'level level-unknown', data: { maxLevel: 'unknown' } }, t('levelUnknownIncomplete'))
        : el('span', { class: `level level-${shown}`, data: { maxLevel: shown } }, t(levelKey(shown)));
    const why = incomplete
      ? MAX.tCount(n, 'atLeastOne', 'atLeastOther')
      : MAX.tCount(n, 'whyUnansweredOne', 'whyUnansweredOther');
    return [el('p', {}, badge), el('p', { data: { max: 'why' } }, why)];
  }

  function reportNodes(report, thread) {
    const nodes = levelNodes(report);
    if (report.complete === false || thread?.complete === false)
      nodes.push(el('p', { class: 'warn', data: { max: 'incomplete' } }, t('incompleteThread')));
    if (report.last_reply_at) nodes.push(el('p', { class: 'note' }, t('lastReply', [localTime(report.last_reply_at)])));
    if (report.opens > 0)
      nodes.push(el('p', { class: 'note' }, MAX.tCount(report.opens, 'opensCountOne', 'opensCountOther')));
    const absence = keyOf('absence', contract.ABSENCES, report.display?.absence);
    if (report.wait_until && absence) {
      const kind = report.display.absence === 'away' ? 'warn' : 'note';
      nodes.push(el('p', { class: kind, data: { max: 'absence' } }, t(absence, [localDay(report.wait_until)])));
    }
    const ignored = Array.isArray(report.ignored) ? report.ignored : [];
    if (ignored.length) {
      nodes.push(
        el('p', { class: 'note' }, t('ignoredTitle')),
        el(
          'ul',
          { data: { max: 'ignored' } },
          ignored.map((i) => el('li', {}, `${describeMessage(thread, i.message_id)} — ${t(ignoredKey(i.reason))}`)),
        ),
      );
    }
    const rec = report.recommendation;
    if (channelKey(rec?.channel)) {
      nodes.push(
        el(
          'p',
          { data: { max: 'recommendation' } },
          t('recommendChannel', [t(channelKey(rec.channel)), localTime(rec.send_at)]),
        ),
      );
    }
    const reason = advice(report);
    if (reason) nodes.push(el('p', { class: 'note', data: { max: 'reason', maxCode: rec?.code || 'none' } }, reason));
    return nodes;
  }

  /** state: {report, thread, suggestion?, suggestionError?, loadingSuggestion?}; actions: {onChannel, onMarkSent, onOpenOptions, onToggle, backendUrl} */
  function showReport(state, given) {
    const a = given ?? actions;
    const nodes = reportNodes(state.report, state.thread);
    if (state.suggestion) nodes.push(...MAX.phoneMessage.nodes(state.suggestion, a));
    else if (state.loadingSuggestion) nodes.push(el('p', { class: 'note' }, t('suggestionLoading')));
    else if (state.suggestionError)
      nodes.push(
        el(
          'p',
          { class: 'warn', data: { maxState: state.suggestionError.code ?? 'error' } },
          t('suggestionFailed', [MAX.errorText(state.suggestionError, a.backendUrl)]),
        ),
      );
    if (state.pivot?.known) nodes.push(answeredNodes(state.pivot, a));
    render(nodes, { report: state.report }, given);
  }

  // The pivot marked sent from this browser: the prospect may answer on the phone, where MAX
  // cannot see it; one click records it for "Did it work?" (backend: suggestions/<id>/answered).
  function answeredNodes(pivot, a) {
    if (pivot.answered) return el('p', { class: 'note', data: { max: 'answered' } }, t('answeredDone'));
    const status = el('p', { class: 'note', attrs: { role: 'status' } });
    const button = el(
      'button',
      {
        data: { max: 'mark-answered' },
        attrs: { type: 'button' },
        on: {
          click: async () => {
            button.disabled = true;
            const result = await a.onMarkAnswered?.();
            if (result && !result.ok) {
              button.disabled = false;
              status.textContent = MAX.errorText(result.error, a.backendUrl);
            }
          },
        },
      },
      t('answeredOnPhone'),
    );
    return el('div', { class: 'row', data: { max: 'pivot' } }, button, status);
  }

  /** Opens the panel on its message, for the banner's "phone message" action. */
  function revealMessage() {
    const v = ensure();
    if (!v) return false;
    setOpen(true);
    const message = v.root.querySelector('[data-max="message"]');
    message?.focus();
    message?.scrollIntoView?.({ block: 'center' });
    return Boolean(message);
  }

  /** Re-places MAX when Gmail re-rendered its side panel (called on every scan; cheap). */
  function keepPlaced() {
    if (!view || view.placement.isIntact()) return;
    const nodes = [...view.body.childNodes];
    remove();
    const v = ensure();
    if (!v) return;
    MAX.chip.draw(v.chip, MAX.chip.describe(lastChip, actions.backendUrl), open);
    v.host.dataset.maxOpen = String(open);
    v.show(...nodes);
  }

  function remove() {
    view?.placement.remove();
    view = null;
  }

  MAX.sidebar = Object.freeze({
    showLoading,
    showError,
    showReport,
    revealMessage,
    setOpen,
    keepPlaced,
    remove,
    advice,
    PLURAL,
  });
})();
