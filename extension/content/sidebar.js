/*
 * The sidebar: the open thread's level and why, the recommendation, and the phone message.
 * Rule: it shows what the backend decided and decides nothing itself; built with DOM methods in a
 * Shadow DOM (host data-max="sidebar"). When the backend is down or not paired it says so plainly
 * and offers the fix (open the options).
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const { el, mountHost, svgImage } = MAX.dom;
  const t = (...a) => MAX.t(...a);

  const CSS = `
    :host { all: initial; }
    .panel { position: fixed; top: 72px; right: 16px; width: 320px; max-height: calc(100vh - 96px);
      overflow: auto; z-index: 2147483000; background: #fff; color: #1f1f1f; border-radius: 12px;
      box-shadow: 0 4px 16px rgba(0,0,0,.18); font: 14px/1.4 system-ui, sans-serif; padding: 14px; }
    .panel.collapsed > :not(header) { display: none; }
    header { display: flex; align-items: center; gap: 8px; }
    h1 { font-size: 16px; margin: 0; flex: 1; }
    .level { border-radius: 10px; padding: 2px 8px; font-weight: 600; font-size: 12px; }
    .level-ok { background: #e6f4ea; color: #137333; }
    .level-watch { background: #fef7e0; color: #b06000; }
    .level-trap { background: #fce8e6; color: #c5221f; }
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

  // wa.me ?text= / sms: ?body= follow the edited message (RFC 5724 for sms: URIs).
  function linkWithText(link, channel, text) {
    if (typeof link !== 'string' || !link) return null;
    const key = channel === 'sms' ? 'body' : 'text';
    return `${link.split('?')[0]}?${key}=${encodeURIComponent(text)}`;
  }

  function create() {
    const { host, root } = mountHost('sidebar', document.body, CSS);
    const body = el('div', { class: 'content' });
    const toggle = el(
      'button',
      {
        attrs: { 'aria-expanded': 'true', title: t('sidebarCollapse') },
        on: { click: () => setCollapsed(!collapsed) },
      },
      '–',
    );
    const panel = el(
      'section',
      { class: 'panel', attrs: { 'aria-label': t('extName') } },
      el('header', {}, el('h1', {}, 'MAX'), toggle),
      body,
    );
    root.append(panel);
    let collapsed = false;
    const setCollapsed = (value) => {
      collapsed = value;
      panel.classList.toggle('collapsed', value);
      toggle.setAttribute('aria-expanded', String(!value));
    };
    const show = (...nodes) => body.replaceChildren(...nodes.filter(Boolean));
    return { host, root, panel, body, show, setCollapsed };
  }

  let view = null;
  const ensure = () => {
    if (!view || !view.host.isConnected) view = create();
    return view;
  };

  function optionsButton(onOpenOptions) {
    return el(
      'button',
      { class: 'primary', data: { maxAction: 'options' }, on: { click: onOpenOptions } },
      t('openOptions'),
    );
  }

  function showLoading() {
    ensure().show(el('p', { class: 'note' }, t('sidebarLoading')));
  }

  // What each failure says; the options button is offered where settings are the fix.
  const ERRORS = {
    unreachable: { key: 'sidebarUnreachable', options: true },
    not_paired: { key: 'sidebarNotPaired', options: true },
    // "Me" is the address confirmed in the settings, never read from the page: until then, or
    // when another Gmail account is open (args: its address, the confirmed one), the fix is there.
    no_account: { key: 'sidebarNoAccount', options: true },
    wrong_account: { key: 'sidebarWrongAccount', options: true },
  };
  const OTHER_ERROR = { key: 'sidebarError', options: true };

  function showError(error, { onOpenOptions, backendUrl }) {
    const { key, options } = ERRORS[error?.code] ?? OTHER_ERROR;
    ensure().show(
      el(
        'p',
        { data: { maxState: error?.code ?? 'error' } },
        t(key, error?.args ?? [backendUrl ?? '', error?.code ?? '']),
      ),
      el('p', { class: 'note' }, t('sidebarSendStillWorks')),
      options && optionsButton(onOpenOptions),
    );
  }

  function reportNodes(report, thread) {
    const nodes = [
      el(
        'p',
        {},
        el(
          'span',
          { class: `level level-${report.level}`, data: { maxLevel: report.level } },
          t(levelKey(report.level)),
        ),
      ),
      el('p', { data: { max: 'why' } }, MAX.tCount(report.unanswered, 'whyUnansweredOne', 'whyUnansweredOther')),
    ];
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

  function suggestionNodes(suggestion, { onChannel, onMarkSent }) {
    const channel = suggestion.channel;
    const textarea = el('textarea', {
      data: { max: 'message' },
      attrs: { 'aria-label': t('messageLabel'), lang: suggestion.lang },
      value: suggestion.text,
    });
    const status = el('span', { class: 'note', attrs: { role: 'status' } });
    const open = el(
      'a',
      { class: 'button', data: { max: 'open' }, attrs: { target: '_blank', rel: 'noopener' } },
      t(channel === 'sms' ? 'openSms' : 'openWhatsapp'),
    );
    const qr = el('div', { class: 'qr', data: { max: 'qr' }, attrs: { role: 'img', 'aria-label': t('qrLabel') } });
    const image = svgImage(suggestion.qr_svg, t('qrLabel'));
    if (image) qr.append(image);
    const sync = () => {
      const href = linkWithText(suggestion.link, channel, textarea.value);
      if (href) open.setAttribute('href', href);
      const edited = textarea.value !== suggestion.text;
      qr.classList.toggle('stale', edited);
      qrNote.textContent = edited ? t('qrStale') : t('qrHelp');
    };
    const qrNote = el('p', { class: 'note' });
    textarea.addEventListener('input', MAX.dom.guard('sidebar input', sync));
    const copy = el(
      'button',
      {
        class: 'primary',
        data: { max: 'copy' },
        on: {
          click: async () => {
            await navigator.clipboard.writeText(textarea.value);
            status.textContent = t('copied');
          },
        },
      },
      t('copyMessage'),
    );
    const switchButton = (c) =>
      el(
        'button',
        {
          attrs: { role: 'radio', 'aria-checked': String(c === channel) },
          data: { maxChannel: c },
          on: { click: () => c !== channel && onChannel(c) },
        },
        t(channelKey(c)),
      );
    const sms = suggestion.sms
      ? el(
          'p',
          { class: 'note', data: { max: 'sms-info' } },
          t('smsInfo', [suggestion.sms.encoding, suggestion.sms.segments]),
        )
      : null;
    sync();
    const marked = markSentNodes(suggestion, onMarkSent);
    return [
      el(
        'div',
        { class: 'row', attrs: { role: 'radiogroup', 'aria-label': t('channelLabel') } },
        contract.PHONE_CHANNELS.map(switchButton),
      ),
      textarea,
      sms,
      el('div', { class: 'row' }, copy, open, status),
      qr,
      qrNote,
      ...marked,
    ];
  }

  // "Mark as sent": the backend then counts this silence's one pivot and the advice changes
  // (onMarkSent re-analyzes on success); a failure is said next to the button, which stays.
  function markSentNodes(suggestion, onMarkSent) {
    if (!suggestion.id || !onMarkSent) return [];
    const status = el('span', { class: 'note', attrs: { role: 'status' } });
    const button = el(
      'button',
      {
        data: { max: 'mark-sent' },
        on: {
          click: async () => {
            button.disabled = true;
            status.textContent = '';
            const result = await onMarkSent(suggestion.id);
            if (result?.ok) return;
            button.disabled = false;
            status.textContent = t('markSentFailed', [result?.error?.code ?? 'error']);
          },
        },
      },
      t('markSent'),
    );
    return [el('p', { class: 'note' }, t('markSentHelp')), el('div', { class: 'row' }, button, status)];
  }

  /** state: {report, thread, suggestion?, suggestionError?, loadingSuggestion?}; actions: {onChannel, onMarkSent, onOpenOptions, backendUrl} */
  function showReport(state, actions) {
    const nodes = reportNodes(state.report, state.thread);
    if (state.suggestion) nodes.push(...suggestionNodes(state.suggestion, actions));
    else if (state.loadingSuggestion) nodes.push(el('p', { class: 'note' }, t('suggestionLoading')));
    else if (state.suggestionError?.code === 'no_account')
      nodes.push(el('p', { class: 'warn', data: { maxState: 'no_account' } }, t('sidebarNoAccount')));
    else if (state.suggestionError)
      nodes.push(el('p', { class: 'warn' }, t('suggestionFailed', [state.suggestionError.code ?? ''])));
    ensure().show(...nodes);
  }

  /** Opens the sidebar on its message, for the banner's "phone message" action. */
  function revealMessage() {
    const v = ensure();
    v.setCollapsed(false);
    const message = v.root.querySelector('[data-max="message"]');
    message?.focus();
    message?.scrollIntoView?.({ block: 'center' });
    return Boolean(message);
  }

  function remove() {
    view?.host.remove();
    view = null;
  }

  MAX.sidebar = Object.freeze({
    showLoading,
    showError,
    showReport,
    revealMessage,
    remove,
    linkWithText,
    advice,
    PLURAL,
  });
})();
