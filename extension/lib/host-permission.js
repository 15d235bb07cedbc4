/*
 * Which backend URLs MAX may use, and the host permission each needs. A team server is any
 * https origin, asked for at run time (manifest.json's optional_host_permissions); a backend on
 * this computer (http://127.0.0.1, http://localhost, any port) is granted by the manifest. Any
 * other http URL is refused: the pairing token and the mail would cross the network in clear.
 * Rule: chrome.permissions.request must run inside the click's user gesture, so `request` calls
 * it before anything awaits; every outcome is a value ({ok} or {ok: false, error}), never a throw,
 * and a fetch refused for want of the permission says so (NO_PERMISSION) instead of a TypeError.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  // The hosts manifest.json's host_permissions already grant, on any port.
  const GRANTED_HTTP_HOSTS = Object.freeze(['127.0.0.1', 'localhost']);
  const NO_PERMISSION = 'NoHostPermission';

  const fail = (code, field = null, args) => ({ ok: false, error: { code, field, ...(args ? { args } : {}) } });

  /** {ok: true, url} (normalised, as settings keep it) or {ok: false, error} naming backendUrl. */
  function checkBackendUrl(value) {
    let url;
    try {
      url = new URL(String(value ?? '').trim());
    } catch {
      return fail('bad_request', 'backendUrl');
    }
    if (url.protocol === 'http:' && !GRANTED_HTTP_HOSTS.includes(url.hostname))
      return fail('insecure_backend_url', 'backendUrl');
    const normalised = MAX.settings.normaliseBackendUrl(url.href);
    return normalised ? { ok: true, url: normalised } : fail('bad_request', 'backendUrl');
  }

  /** The match pattern for the origin of `url` (every port), or null when the manifest grants it. */
  function originPattern(url) {
    const { protocol, hostname } = new URL(url);
    if (protocol === 'http:' && GRANTED_HTTP_HOSTS.includes(hostname)) return null;
    return `${protocol}//${hostname}/*`;
  }

  /**
   * Asks for the host permission `url` needs: Chrome shows its prompt (once; a granted origin is
   * not asked again). Call it synchronously from the click's handler. → {ok} or permission_refused.
   */
  function request(url, permissions) {
    const pattern = originPattern(url);
    if (!pattern) return Promise.resolve({ ok: true });
    let asked;
    try {
      asked = permissions.request({ origins: [pattern] });
    } catch {
      asked = Promise.resolve(false); // no gesture, or an origin Chrome will not grant
    }
    return Promise.resolve(asked).then(
      (granted) => (granted ? { ok: true } : fail('permission_refused', 'backendUrl', [new URL(url).origin])),
      () => fail('permission_refused', 'backendUrl', [new URL(url).origin]),
    );
  }

  /**
   * fetchImpl, except that a request that fails where MAX lacks the origin's host permission
   * throws an Error named NO_PERMISSION (backend-client.js says `no_permission`), not a TypeError.
   */
  function permittedFetch(permissions, fetchImpl) {
    return async (url, init) => {
      try {
        return await fetchImpl(url, init);
      } catch (err) {
        const pattern = originPattern(url);
        const has = pattern
          ? await Promise.resolve(permissions.contains({ origins: [pattern] })).catch(() => false)
          : true;
        if (has) throw err;
        const missing = new Error(`no host permission for ${new URL(url).origin}`);
        missing.name = NO_PERMISSION;
        throw missing;
      }
    };
  }

  MAX.hostPermission = Object.freeze({ checkBackendUrl, originPattern, request, permittedFetch, NO_PERMISSION });
})();
