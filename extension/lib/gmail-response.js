/*
 * Reads Gmail's own thread responses (/sync/u/N/i/fd, /i/bv, /i/s) into plain threads.
 * Rule: parse defensively and never throw — the format changes without notice (gmail.js #599,
 * #439, #601, #809), so anything unrecognised yields no thread and the caller falls back to the
 * page, which then reports `complete: false`. Two shapes are known (gmail-page.md):
 *   - keyed objects (2018, InboxSDK thread-response-2018-03-14.json): {"1": "thread-f:…",
 *     "2": {"1": meta, "2": [summary…]}, "3": [detail…]}
 *   - positional arrays (2022+, gmail.js testdata-parser-fd-embedded.json,
 *     InboxSDK 2022-09-09-cvOnReplySend_response.json): [subject, snippet, ts, "thread-f:…|…",
 *     [message…], …, legacyHexId at 19], message = [id, from, to, cc, bcc, replyTo, ts, subject,
 *     body, snippet, labels, …].
 * A thread is found wherever it sits in the response, so new wrappers do not break reading.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const MAX_DEPTH = 40;

  // Gmail prefixes JSON with an XSSI guard and sometimes sends length-prefixed chunks.
  function decodeBody(text) {
    if (typeof text !== 'string') return [];
    const body = text.replace(/^\)\]\}'\s*/, '');
    try {
      return [JSON.parse(body)];
    } catch {
      const out = [];
      for (const line of body.split('\n')) {
        const trimmed = line.trim();
        if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) continue;
        try {
          out.push(JSON.parse(trimmed));
        } catch {
          /* a chunk we cannot read: skip it, count nothing */
        }
      }
      return out;
    }
  }

  const isStr = (v) => typeof v === 'string';
  const isThreadId = (v) => isStr(v) && v.startsWith('thread-');
  const isMsgId = (v) => isStr(v) && v.startsWith('msg-');

  function isoFromMs(value) {
    const ms = Number(value);
    if (!Number.isFinite(ms) || ms <= 0) return null;
    return new Date(ms).toISOString();
  }

  // "thread-f:<decimal>" is the legacy hex id in decimal (gmail-page.md); thread-a ids do not convert.
  function hexFromPermId(permId) {
    const m = isStr(permId) && permId.match(/^thread-f:(\d+)/);
    if (!m) return null;
    try {
      return BigInt(m[1]).toString(16);
    } catch {
      return null;
    }
  }

  const isHexId = (v) => isStr(v) && /^[0-9a-f]{12,16}$/i.test(v);

  function keyedAddress(a) {
    if (!a || typeof a !== 'object' || !isStr(a['2'])) return null;
    return { email: a['2'], name: isStr(a['3']) ? a['3'] : '' };
  }
  const keyedAddresses = (list) => (Array.isArray(list) ? list.map(keyedAddress).filter(Boolean) : []);

  function fromKeyed(t) {
    const meta = t['2']?.['1'] ?? {};
    const details = new Map();
    for (const d of Array.isArray(t['3']) ? t['3'] : []) if (isMsgId(d?.['1'])) details.set(d['1'], d['2'] ?? {});
    const messages = [];
    for (const s of t['2']['2']) {
      const from = keyedAddress(s?.['2']);
      const date = isoFromMs(s?.['3'] ?? s?.['7']);
      if (!isMsgId(s?.['1']) || !from || !date) continue;
      const d = details.get(s['1']) ?? {};
      messages.push({
        id: s['1'],
        legacyId: isHexId(s['28']) ? s['28'] : isHexId(d['35']) ? d['35'] : null,
        from,
        to: keyedAddresses(d['1']),
        cc: keyedAddresses(d['2']),
        date,
        text: isStr(d['7']) ? d['7'] : isStr(s['11']) ? s['11'] : '',
        labels: Array.isArray(s['4']) ? s['4'].filter(isStr) : [],
      });
    }
    const legacy = isHexId(meta['16']) ? meta['16'] : (hexFromPermId(t['1']) ?? decimalToHex(meta['14']));
    return { legacyThreadId: legacy, permId: t['1'], subject: isStr(meta['2']) ? meta['2'] : '', messages };
  }

  function decimalToHex(v) {
    if (!isStr(v) || !/^\d+$/.test(v)) return null;
    try {
      return BigInt(v).toString(16);
    } catch {
      return null;
    }
  }

  function arrayAddress(a) {
    if (!Array.isArray(a) || !isStr(a[1])) return null;
    return { email: a[1], name: isStr(a[2]) ? a[2] : '' };
  }
  const arrayAddresses = (list) => (Array.isArray(list) ? list.map(arrayAddress).filter(Boolean) : []);

  function fromArray(t) {
    const messages = [];
    for (const m of t[4]) {
      const from = arrayAddress(m?.[1]);
      const date = isoFromMs(m?.[6] ?? m?.[17]);
      if (!isMsgId(m?.[0]) || !from || !date) continue;
      messages.push({
        id: m[0],
        legacyId: isHexId(m[55]) ? m[55] : null,
        from,
        to: arrayAddresses(m[2]),
        cc: arrayAddresses(m[3]),
        date,
        text: isStr(m[9]) ? m[9] : '',
        labels: Array.isArray(m[10]) ? m[10].filter(isStr) : [],
      });
    }
    const permId = t[3].split('|')[0];
    const legacy = isHexId(t[19]) ? t[19] : hexFromPermId(permId);
    return { legacyThreadId: legacy, permId, subject: isStr(t[0]) ? t[0] : '', messages };
  }

  const looksKeyed = (v) =>
    v && !Array.isArray(v) && typeof v === 'object' && isThreadId(v['1']) && Array.isArray(v['2']?.['2']);
  const looksArray = (v) =>
    Array.isArray(v) &&
    isThreadId(v[3]) &&
    Array.isArray(v[4]) &&
    v[4].length > 0 &&
    v[4].every((m) => Array.isArray(m) && isMsgId(m[0]));

  function collect(node, out, depth) {
    if (depth > MAX_DEPTH || node === null || typeof node !== 'object') return;
    if (looksKeyed(node)) out.push(fromKeyed(node));
    else if (looksArray(node)) out.push(fromArray(node));
    else for (const child of Array.isArray(node) ? node : Object.values(node)) collect(child, out, depth + 1);
  }

  /** Every thread found in one Gmail response body (text), oldest message first. */
  function parseGmailResponse(text) {
    const threads = [];
    for (const root of decodeBody(text)) {
      try {
        collect(root, threads, 0);
      } catch {
        /* defensive: an odd shape yields nothing rather than an error in Gmail */
      }
    }
    for (const t of threads) t.messages.sort((a, b) => a.date.localeCompare(b.date));
    return threads.filter((t) => t.messages.length > 0);
  }

  MAX.gmailResponse = Object.freeze({ parseGmailResponse, hexFromPermId });
})();
