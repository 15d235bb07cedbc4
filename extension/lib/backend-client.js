/*
 * The backend's HTTP API as plain functions (ARCHITECTURE.md, "The extension ↔ backend contract").
 * Rule: only the background service worker calls these. Every outcome is a value, never a throw:
 * {ok: true, data} or {ok: false, error: {code, message, field, status}} — `unreachable` when no
 * HTTP answer came back, `no_permission` when Chrome did not let MAX reach that origin, `not_paired` on a 401 about the token, else the backend's own error.code.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const TIMEOUT_MS = 8000;

  function failure(code, message, status = 0, field = null) {
    return { ok: false, error: { code, message, field, status } };
  }

  async function call(settings, method, path, body, fetchImpl = globalThis.fetch) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (settings.apiToken) headers.Authorization = `Bearer ${settings.apiToken}`;
    let response;
    try {
      response = await fetchImpl(`${settings.backendUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      // host-permission.js's permittedFetch: the origin's host permission is missing (a team
      // server whose prompt was refused or later revoked), not a server that is down.
      if (err?.name === 'NoHostPermission') return failure('no_permission', 'no host permission');
      // Shown to nobody as it is: the UI says error-text.js's sentence for the code.
      return failure('unreachable', err?.name === 'TimeoutError' ? 'no answer in time' : 'no answer');
    }
    const data = await response.json().catch(() => null);
    if (response.ok) return { ok: true, data };
    const e = data?.error ?? {};
    // A 401 about the token means "pair again"; a wrong pairing code keeps its own code.
    if (response.status === 401 && e.field === 'token')
      return failure('not_paired', e.message ?? 'not paired', 401, e.field);
    return failure(
      e.code ?? `http_${response.status}`,
      e.message ?? response.statusText,
      response.status,
      e.field ?? null,
    );
  }

  // An Analysis (contract): {report, brief}, the brief being what the phone message is written
  // from when the report offers one.
  const analysis = (result) =>
    result.ok
      ? Array.isArray(result.data?.threads) && result.data.threads[0]
        ? { ok: true, data: { report: result.data.threads[0], brief: result.data.brief ?? null } }
        : failure('bad_response', 'no thread in the answer')
      : result;

  const { THREAD_ID_PATTERN, SUGGESTION_ID_PATTERN } = MAX.contract;
  const THREAD_ID = new RegExp(THREAD_ID_PATTERN);
  const SUGGESTION_ID = new RegExp(SUGGESTION_ID_PATTERN);

  // Without the account every message looks like theirs, so the thread never goes out with
  // `me: []`: the caller says the account is unknown instead.
  const withAccount = (req, send) =>
    typeof req.me === 'string' && req.me.includes('@')
      ? send()
      : Promise.resolve(failure('no_account', 'the Gmail account is unknown', 0, 'me'));

  const api = {
    health: (s, f) => call(s, 'GET', '/healthz', undefined, f),
    pair: (s, code, f) => call(s, 'POST', '/api/v1/pair', { code, ...(s.account ? { account: s.account } : {}) }, f),
    pairLocal: (s, f) => call(s, 'POST', '/api/v1/pair/local', s.account ? { account: s.account } : {}, f),
    analyze: (s, { thread, me, now }, f) =>
      withAccount({ me }, async () => {
        const body = { me: [me], thread, ...(now ? { now } : {}) };
        return analysis(await call(s, 'POST', '/api/v1/threads/analyze', body, f));
      }),
    // The message, written from the analysis's brief: the thread is not sent again.
    suggest: (s, { brief, channel, lang }, f) => {
      if (!brief || typeof brief !== 'object') return Promise.resolve(failure('bad_request', 'brief', 0, 'brief'));
      const body = { brief, channel: channel ?? s.channel };
      const asked = lang ?? s.lang;
      if (asked && asked !== 'auto') body.lang = asked;
      return call(s, 'POST', '/api/v1/suggestions', body, f);
    },
    // Read afresh from Gmail by the backend (when Gmail is connected), at `now` if given.
    gmailThread: (s, threadId, f, now) => {
      if (!THREAD_ID.test(threadId ?? '')) return Promise.resolve(failure('bad_request', 'thread id', 0, 'threadId'));
      const at = now ? `?now=${encodeURIComponent(now)}` : '';
      return call(s, 'GET', `/api/v1/threads/${threadId}${at}`, undefined, f).then(analysis);
    },
    // "I sent the phone message": the backend counts it as this silence's one pivot.
    markSent: (s, suggestionId, f) =>
      SUGGESTION_ID.test(suggestionId ?? '')
        ? call(s, 'POST', `/api/v1/suggestions/${suggestionId}/sent`, {}, f)
        : Promise.resolve(failure('bad_request', 'suggestion id', 0, 'suggestion')),
    // The user's pivot the prospect answered on the phone (MAX cannot see it): "Did it work?".
    markAnswered: (s, suggestionId, f) =>
      SUGGESTION_ID.test(suggestionId ?? '')
        ? call(s, 'POST', `/api/v1/suggestions/${suggestionId}/answered`, {}, f)
        : Promise.resolve(failure('bad_request', 'suggestion id', 0, 'suggestion')),
    // The at-risk threads, riskiest first (the backend's order), and "Did it work?".
    pipeline: (s, f) => call(s, 'GET', '/api/v1/pipeline', undefined, f),
    stats: (s, f) => call(s, 'GET', '/api/v1/stats', undefined, f),
    // The user's thresholds and team domains, kept by the backend (contract SettingsValues).
    getSettings: (s, f) => call(s, 'GET', '/api/v1/settings', undefined, f),
    putSettings: (s, values, f) => call(s, 'PUT', '/api/v1/settings', values, f),
    trackingPixel: (s, threadId, f) => call(s, 'POST', '/api/v1/tracking/pixels', { thread_id: threadId }, f),
    selfView: (s, token, f) => call(s, 'POST', '/api/v1/tracking/self-views', { token }, f),
  };

  MAX.backendClient = Object.freeze({ ...api, failure });
})();
