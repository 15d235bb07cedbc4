/*
 * What the pipeline panel shows, built from the backend's answers: every at-risk thread in the
 * order the backend gave (riskiest first: never re-sorted here), its level as the chip says it,
 * its subject and prospect, the next action and its time in the user's own clock; and "Did it
 * work?", the reply rate and median time to reply after a pivot against after a third email.
 * Rule: decides nothing — levels are display.level, the channel and send_at the recommendation's,
 * and a figure is shown only when the backend gives one (it gives none under min_cases: then
 * "not enough cases yet (N/10)"). DOM methods only (dom-build.js); pure otherwise (node tests).
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const { el } = MAX.dom;
  const t = (...a) => MAX.t(...a);
  const THREAD_ID = new RegExp(MAX.contract.THREAD_ID_PATTERN);

  // recommendation.channel → what to do next (the phone channels by their own names).
  const ACTIONS = Object.freeze({ email: 'pipelineNext_email', wait: 'pipelineNext_wait', none: 'pipelineNext_none' });

  /** The time in the user's clock (the browser's zone), or null for no or a bad time. */
  function localTime(iso, lang = MAX.uiLanguage(), timeZone = undefined) {
    const d = new Date(iso ?? '');
    if (!iso || Number.isNaN(d.getTime())) return null;
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d);
  }

  /** "WhatsApp — Dec 16, 2026, 10:30 AM": the next action and, when it has one, its time. */
  function nextAction(report, timeZone = undefined) {
    const rec = report?.recommendation;
    const channel = rec?.channel;
    const what = MAX.contract.PHONE_CHANNELS.includes(channel)
      ? t(`channel_${channel}`)
      : Object.hasOwn(ACTIONS, channel ?? '')
        ? t(ACTIONS[channel])
        : t('pipelineNext_none');
    const when = localTime(rec?.send_at, MAX.uiLanguage(), timeZone);
    return when ? t('pipelineNextAt', [what, when]) : what;
  }

  /** One row per thread with a well-formed id; onOpen(threadId) on a person's click. */
  function threadNodes(pipeline, onOpen) {
    const threads = Array.isArray(pipeline?.threads) ? pipeline.threads : [];
    return threads
      .filter((r) => typeof r?.thread_id === 'string' && THREAD_ID.test(r.thread_id))
      .map((report) => {
        const chip = MAX.chip.describe({ report });
        const who = report.prospect?.name || report.prospect?.email || '';
        const button = el(
          'button',
          {
            class: 'thread',
            data: { max: 'open-thread', maxThread: report.thread_id, maxLevel: chip.level },
            attrs: { type: 'button', title: chip.title },
            on: { click: () => onOpen(report.thread_id) },
          },
          el('span', { class: `level ${chip.level}` }, `${chip.glyph} · ${chip.word}`),
          el('span', { class: 'subject' }, report.subject || t('pipelineNoSubject')),
          el(
            'span',
            { class: 'next', data: { max: 'next' } },
            who ? `${who} — ${nextAction(report)}` : nextAction(report),
          ),
        );
        return el('li', {}, button);
      });
  }

  const percent = (rate) => new Intl.NumberFormat(MAX.uiLanguage(), { style: 'percent' }).format(rate);
  const hours = (h) =>
    t('statsHours', [new Intl.NumberFormat(MAX.uiLanguage(), { maximumFractionDigits: 1 }).format(h)]);

  /** The two cells of one Outcome: figures only when the backend gave them (cases ≥ min_cases). */
  function outcomeCells(outcome, minCases) {
    const cases = Number(outcome?.cases) || 0;
    if (typeof outcome?.reply_rate !== 'number' || cases < minCases)
      return [t('statsNotEnough', [cases, minCases]), ''];
    const median = typeof outcome.median_hours_to_reply === 'number' ? hours(outcome.median_hours_to_reply) : '—';
    return [t('statsRate', [percent(outcome.reply_rate), outcome.answered, cases]), median];
  }

  const STATS_ROWS = Object.freeze([
    ['after_pivot', 'statsAfterPivot'],
    ['after_third_email', 'statsAfterThirdEmail'],
  ]);

  /** The table's rows for a Stats answer. */
  function statsRows(stats) {
    const minCases = Number(stats?.min_cases) || 10;
    return STATS_ROWS.map(([field, label]) => {
      const [rate, median] = outcomeCells(stats?.[field], minCases);
      const cases = Number(stats?.[field]?.cases) || 0;
      return el(
        'tr',
        { data: { max: field, maxCases: cases, maxAnswered: Number(stats?.[field]?.answered) || 0 } },
        el('th', {}, t(label)),
        el('td', { attrs: rate && median === '' ? { colspan: 2 } : {} }, rate),
        median === '' ? null : el('td', {}, median),
      );
    });
  }

  MAX.pipelineView = Object.freeze({ nextAction, threadNodes, statsRows, outcomeCells, localTime });
})();
