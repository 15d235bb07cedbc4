/*
 * The pipeline panel, MAX's toolbar popup: asks the background for the pipeline and the stats
 * and draws them (pipeline-view.js); a thread's click opens it in Gmail (the open Gmail tab,
 * else a new one). Why the popup: it is one click from any Gmail view, a list as well as a
 * thread, and works with Gmail closed; the side panel's MAX belongs to the open thread.
 * Rule: everything goes through the background (the only part that talks to the backend); the
 * page speaks Gmail's language (uiLang), as the options page does; every failure is a sentence
 * (lib/error-text.js).
 */
(() => {
  const MAX = globalThis.MAX;
  const { MSG, settings: SETTINGS, t, pipelineView: view } = MAX;
  const $ = (sel) => document.querySelector(sel);
  const ask = async (type, payload = {}) => {
    try {
      return (await chrome.runtime.sendMessage({ type, ...payload })) ?? { ok: false, error: { code: 'internal' } };
    } catch {
      return { ok: false, error: { code: 'internal' } };
    }
  };

  // In the toolbar's popup the panel closes once the thread is open; in a tab it stays.
  const inPopup = () => Boolean(chrome.extension?.getViews?.({ type: 'popup' })?.includes(window));

  async function open(threadId) {
    const result = await ask(MSG.OP_BG_OPEN_THREAD, { threadId });
    if (!result.ok) return ($('#status').textContent = MAX.errorText(result.error, backendUrl));
    if (inPopup()) window.close();
  }

  let backendUrl = '';

  async function load() {
    const style = document.createElement('style');
    style.textContent = MAX.chip.LEVEL_CSS;
    document.head.append(style);
    const s = SETTINGS.withDefaults(await chrome.storage.local.get(null));
    backendUrl = s.backendUrl;
    await MAX.i18n.translatePage(MAX.pickLanguage(s.uiLang));
    const [pipeline, stats] = await Promise.all([ask(MSG.OP_BG_GET_PIPELINE), ask(MSG.OP_BG_GET_STATS)]);
    if (!pipeline.ok) {
      $('#status').textContent = MAX.errorText(pipeline.error, backendUrl);
    } else {
      const rows = view.threadNodes(pipeline.data, open);
      $('#threads').replaceChildren(...rows);
      if (!rows.length) $('#status').textContent = t('pipelineEmpty');
      const synced = view.localTime(pipeline.data?.last_sync_at);
      $('#synced').textContent = synced ? t('pipelineSynced', [synced]) : t('pipelineFromReadings');
    }
    $('#threads').dataset.maxLoaded = String(pipeline.ok);
    if (stats.ok) $('#stats tbody').replaceChildren(...view.statsRows(stats.data));
    else
      $('#stats tbody').replaceChildren(
        MAX.dom.el('tr', {}, MAX.dom.el('td', { attrs: { colspan: 3 } }, MAX.errorText(stats.error, backendUrl))),
      );
    $('#stats').dataset.maxLoaded = String(stats.ok);
  }

  $('#settings').addEventListener('click', () => ask(MSG.OP_BG_OPEN_OPTIONS));
  load();
})();
