/*
 * The backend's HTTP API as plain functions (ARCHITECTURE.md, "The extension ↔ backend contract").
 * Rule: only the background service worker calls these. Every outcome is a value, never a throw:
 * {ok: true, data} or {ok: false, error: {code, message, field, status}} — `unreachable` when no
 * HTTP answer came back, `not_paired` on 401, else the backend's own error.code.
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
      return failure('unreachable', String(err?.name ?? 'network error'));
    }
    const data = await response.json().catch(() => null);
    if (response.ok) return { ok: true, data };
    const e = data?.error ?? {};
    if (response.status === 401) return failure('not_paired', e.message ?? 'not paired', 401, e.field ?? null);
    return failure(
      e.code ?? `http_${response.status}`,
      e.message ?? response.statusText,
      response.status,
      e.field ?? null,
    );
  }

  const firstReport = (result) =>
    result.ok
      ? Array.isArray(result.data?.threads) && result.data.threads[0]
        ? { ok: true, data: result.data.threads[0] }
        : failure('bad_response', 'no thread in the answer')
      : result;

  // The analyze/suggest body of the contract; thresholds only when the user changed them.
  function threadBody(settings, { thread, me, now }) {
    const body = { me: [me], team_domains: settings.teamDomains, thread };
    if (now) body.now = now;
    const changed = MAX.settings.changedThresholds(settings);
    if (Object.keys(changed).length) body.settings = changed;
    return body;
  }

  // Without the account every message looks like theirs, so the thread never goes out with
  // `me: []`: the caller says the account is unknown instead.
  const withAccount = (req, send) =>
    typeof req.me === 'string' && req.me.includes('@')
      ? send()
      : Promise.resolve(failure('no_account', 'the Gmail account is unknown', 0, 'me'));

  const api = {
    health: (s, f) => call(s, 'GET', '/healthz', undefined, f),
    pair: (s, code, f) => call(s, 'POST', '/api/v1/pair', { code }, f),
    analyze: (s, req, f) =>
      withAccount(req, async () =>
        firstReport(await call(s, 'POST', '/api/v1/threads/analyze', threadBody(s, req), f)),
      ),
    suggest: (s, req, f) =>
      withAccount(req, async () => {
        const body = { ...threadBody(s, req), channel: req.channel ?? s.channel };
        const lang = req.lang ?? s.lang;
        if (lang && lang !== 'auto') body.lang = lang;
        return firstReport(await call(s, 'POST', '/api/v1/suggestions', body, f));
      }),
    gmailThread: (s, threadId, f) =>
      /^[0-9a-f]{1,20}$/i.test(threadId ?? '')
        ? call(s, 'GET', `/api/v1/threads/${threadId}`, undefined, f).then(firstReport)
        : Promise.resolve(failure('bad_request', 'thread id', 0, 'threadId')),
    // "I sent the phone message": the backend counts it as this silence's one pivot.
    markSent: (s, suggestionId, f) =>
      /^[A-Za-z0-9_-]{1,64}$/.test(suggestionId ?? '')
        ? call(s, 'POST', `/api/v1/suggestions/${suggestionId}/sent`, {}, f)
        : Promise.resolve(failure('bad_request', 'suggestion id', 0, 'suggestion')),
    trackingPixel: (s, threadId, f) => call(s, 'POST', '/api/v1/tracking/pixels', { thread_id: threadId }, f),
    selfView: (s, token, f) => call(s, 'POST', '/api/v1/tracking/self-views', { token }, f),
  };

  MAX.backendClient = Object.freeze({ ...api, failure });
})();
