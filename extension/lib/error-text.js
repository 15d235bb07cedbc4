/*
 * What a failure says to a person: one plain sentence in the UI's language (MAX.t), saying what
 * went wrong and what to do ("the MAX server is not running: start it with `make run`").
 * Rule: never an exception's name ("TypeError") nor a bare code; a code MAX has no sentence for
 * is named inside the generic one, so it can still be reported. Codes are the backend's
 * error.code (backend/errors.py), backend-client.js's own (`unreachable`, `not_paired`,
 * `bad_response`, `no_permission`), host-permission.js's (`insecure_backend_url`,
 * `permission_refused`), background.js's (`internal`) and the content script's (`no_account`,
 * `wrong_account`, `no_messages`, `unreadable`, `extension_reloaded`; `no_pivot` from the
 * background's "answered on the phone").
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const t = (...a) => MAX.t(...a);

  // code → the sentence's key; each takes the error's own `args` when it has some (wrong_account:
  // the address open in Gmail, the confirmed one), else the backend's URL as $1 (most ignore it).
  const KEYS = Object.freeze({
    unreachable: 'error_unreachable',
    not_paired: 'error_not_paired',
    missing_token: 'error_not_paired',
    bad_token: 'error_not_paired',
    bad_pairing_code: 'error_bad_pairing_code',
    not_local: 'error_not_local',
    no_account: 'error_no_account',
    wrong_account: 'error_wrong_account',
    no_messages: 'error_no_messages',
    unreadable: 'error_unreadable',
    bad_response: 'error_bad_response',
    internal_error: 'error_server',
    gmail_unavailable: 'error_gmail_unavailable',
    gmail_reconnect: 'error_gmail_reconnect',
    extension_reloaded: 'error_extension_reloaded',
    internal: 'error_internal',
    no_pivot: 'error_no_pivot',
    // host-permission.js's: an http URL off this computer, a prompt refused (args: the origin
    // asked for, the URL kept), a fetch without the permission.
    insecure_backend_url: 'error_insecure_backend_url',
    permission_refused: 'error_permission_refused',
    no_permission: 'error_no_permission',
  });
  // A bad_request the extension itself refused names the field the person must fix.
  const FIELDS = Object.freeze({ backendUrl: 'error_bad_backend_url', code: 'error_no_code' });

  /** The sentence for error {code, field}; backendUrl fills the sentences that name the server. */
  function errorText(error, backendUrl = '') {
    const code = typeof error?.code === 'string' ? error.code : '';
    const key =
      (code === 'bad_request' && Object.hasOwn(FIELDS, error?.field ?? '') ? FIELDS[error.field] : null) ??
      (Object.hasOwn(KEYS, code) ? KEYS[code] : null);
    const args = Array.isArray(error?.args) ? error.args : [backendUrl || MAX.contract?.DEFAULT_BACKEND_URL || ''];
    if (key) return t(key, args);
    return t('error_other', [code.replace(/[^a-z0-9_]/gi, '') || '?']);
  }

  MAX.errorText = errorText;
  MAX.errorKeys = Object.freeze({ ...KEYS, ...FIELDS });
})();
