/*
 * Levels in Gmail's lists: a small MAX chip (chip.js's look) on the rows of the inbox, Sent and
 * search lists whose thread the pipeline says is at `watch` or `trap`; nothing on any other row.
 * Rule: it decides nothing — the level is the pipeline report's display.level — and never slows
 * the list: one pipeline, asked of the background once and kept (again after MAX changed it, or
 * every PIPELINE_TTL_MS); rows matched by thread id only, through gmail-dom.js (threadRow,
 * rowThreadId), an id being the one hex id (contract.THREAD_ID_PATTERN) every id span of the row
 * agrees on, so a subject or an id crafted in the page marks no row the pipeline does not name;
 * at most one pass per animation frame however many mutations came, reading attributes only
 * (no layout) and writing only MAX's own chip hosts (data-max="list-chip").
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const { el } = MAX.dom;
  const dom = MAX.gmailDom;
  const THREAD_ID = new RegExp(MAX.contract.THREAD_ID_PATTERN);
  const MARKED = new Set(['watch', 'trap']);
  const PIPELINE_TTL_MS = 3 * 60 * 1000;
  const MEASURE = 'max-list-mark'; // performance.measure of the last pass, for the e2e's figure

  const CSS = `
    :host { all: initial; display: inline-block; vertical-align: middle; margin-right: 6px; }
    span { display: inline-block; border-radius: 8px; padding: 0 6px; font: 600 11px/16px system-ui, sans-serif;
      white-space: nowrap; }
    ${MAX.chip.LEVEL_CSS}
  `;

  /** The row's thread id: the one well-formed id all its id spans agree on, else null. */
  function rowThreadId(row) {
    let id = null;
    for (const span of dom.findAll(row, 'rowThreadId')) {
      const value = span.getAttribute('data-legacy-thread-id') ?? '';
      if (!THREAD_ID.test(value) || (id !== null && value !== id)) return null;
      id = value;
    }
    return id;
  }

  /** thread id → its report, for the pipeline's threads shown at watch or trap (the first wins). */
  function atRisk(pipeline) {
    const byId = new Map();
    for (const report of Array.isArray(pipeline?.threads) ? pipeline.threads : []) {
      const id = report?.thread_id;
      if (typeof id !== 'string' || !THREAD_ID.test(id) || byId.has(id)) continue;
      if (MARKED.has(MAX.chip.shownLevel(report))) byId.set(id, report);
    }
    return byId;
  }

  // One stylesheet shared by every chip's shadow root, not a <style> parsed per row; jsdom (the
  // node tests) has no constructable stylesheets and gets the <style>.
  let sheet = null;
  function styled(root) {
    try {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
      }
      root.adoptedStyleSheets = [sheet];
    } catch {
      const style = document.createElement('style');
      style.textContent = CSS;
      root.append(style);
    }
  }

  function chipFor(report) {
    const { level, glyph, word, title } = MAX.chip.describe({ report });
    const host = document.createElement('span');
    host.dataset.max = 'list-chip';
    host.dataset.maxLevel = level;
    const root = host.attachShadow({ mode: 'open' });
    styled(root);
    const label = `MAX — ${title}`;
    root.append(el('span', { class: level, attrs: { title: label, 'aria-label': label } }, `MAX ${glyph} · ${word}`));
    return host;
  }

  const marks = new WeakMap(); // row → {key, host}: what MAX drew on it

  /** One pass: each row gets the chip its thread's report says, or none; returns chips drawn. */
  function markRows(doc, byId) {
    const start = performance.now();
    let drawn = 0;
    const rows = dom.findAll(doc, 'threadRow');
    for (const row of rows) {
      const id = rowThreadId(row);
      const report = id === null ? null : (byId.get(id) ?? null);
      const key = report ? `${id} ${MAX.chip.shownLevel(report)} ${report.unanswered} ${report.complete}` : null;
      const had = marks.get(row);
      if (had?.key === key && (key === null || row.contains(had.host))) continue;
      had?.host.remove();
      marks.delete(row);
      const place = report && dom.find(row, 'rowSubject');
      if (!place) continue;
      const host = chipFor(report);
      place.prepend(host);
      marks.set(row, { key, host });
      drawn++;
    }
    if (rows.length) {
      performance.clearMeasures(MEASURE);
      performance.measure(MEASURE, { start, end: performance.now(), detail: { rows: rows.length, drawn } });
    }
    return drawn;
  }

  /**
   * Marks doc's lists for as long as the page lives. askPipeline(): the background's answer
   * ({ok, data: Pipeline}); a failure keeps what was known (nothing, at first): no chip is
   * better than a wrong one, and the sidebar already says what is wrong in a thread.
   */
  function start(doc, askPipeline) {
    let byId = new Map();
    let fetchedAt = -Infinity;
    let loading = null;
    let frame = 0;

    async function load() {
      fetchedAt = Date.now();
      const result = await askPipeline();
      if (result?.ok) byId = atRisk(result.data);
      loading = null;
      schedule();
    }

    function pass() {
      frame = 0;
      const hasRows = Boolean(dom.find(doc, 'threadRow'));
      if (hasRows && !loading && Date.now() - fetchedAt > PIPELINE_TTL_MS) loading = load();
      if (hasRows || byId.size) markRows(doc, byId);
    }

    /** After a change in the page: one pass at the next frame. */
    function schedule() {
      if (!frame) frame = doc.defaultView.requestAnimationFrame(MAX.dom.guard('list chips', pass));
    }

    /** MAX changed the pipeline (a thread read, a pivot sent or answered): asked again. */
    function refresh() {
      fetchedAt = -Infinity;
      schedule();
    }

    schedule();
    doc.defaultView.setInterval(schedule, PIPELINE_TTL_MS); // a list left open is asked again too
    return { schedule, refresh };
  }

  MAX.listChips = Object.freeze({ rowThreadId, atRisk, markRows, start, PIPELINE_TTL_MS, MEASURE });
})();
