/*
 * The phone message in the sidebar: the two lines to send instead of one more email, editable,
 * on WhatsApp or SMS, with Copy, the wa.me / sms: link (following the edited text), the QR code,
 * and "mark as sent". Rule: it draws the backend's suggestion and decides nothing; built with DOM
 * methods (sidebar.js puts these nodes in its Shadow DOM, whose stylesheet styles them).
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const { el, svgImage } = MAX.dom;
  const t = (...a) => MAX.t(...a);
  const { contract } = MAX;
  const channelKey = (channel) => (contract.PHONE_CHANNELS.includes(channel) ? `channel_${channel}` : null);

  // wa.me ?text= / sms: ?body= follow the edited message (RFC 5724 for sms: URIs).
  function linkWithText(link, channel, text) {
    if (typeof link !== 'string' || !link) return null;
    const key = channel === 'sms' ? 'body' : 'text';
    return `${link.split('?')[0]}?${key}=${encodeURIComponent(text)}`;
  }

  function nodes(suggestion, { onChannel, onMarkSent, backendUrl }) {
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
    const marked = markSentNodes(suggestion, onMarkSent, backendUrl);
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
  function markSentNodes(suggestion, onMarkSent, backendUrl) {
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
            status.textContent = t('markSentFailed', [MAX.errorText(result?.error, backendUrl)]);
          },
        },
      },
      t('markSent'),
    );
    return [el('p', { class: 'note' }, t('markSentHelp')), el('div', { class: 'row' }, button, status)];
  }

  MAX.phoneMessage = Object.freeze({ nodes, linkWithText });
})();
