/*
 * The service worker's "now", and the real moment Chrome's alarms take for one of its moments.
 * Rule: the "now" every analysis is made at and every reminder time go through here, so a
 * test's fake clock moves them all at once:
 * chrome.storage.session's `clockOffsetMs` (milliseconds added to Date.now()). MAX itself never
 * writes it, and session storage is closed to content scripts (Chrome's default access level),
 * so nothing a Gmail page can reach moves MAX's clock; without it the offset is 0.
 * Plain script: the service worker and node tests load it.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const KEY = 'clockOffsetMs';

  /** A clock over a chrome.storage area (or none: the real clock). */
  function createClock(area = globalThis.chrome?.storage?.session) {
    async function offset() {
      const stored = area ? await area.get(KEY).catch(() => ({})) : {};
      return Number.isFinite(stored?.[KEY]) ? stored[KEY] : 0;
    }
    const now = async () => Date.now() + (await offset());
    return Object.freeze({
      offset,
      now,
      /** Now as the backend takes it: ISO 8601 with this computer's offset (the user's zone). */
      nowIso: async () => localIso(new Date(await now())),
      /** The real epoch at which Chrome should ring for this clock's moment `ms`. */
      real: async (ms) => ms - (await offset()),
    });
  }

  // 2026-12-02T19:05:00+01:00: the local wall time and its offset (Date has no such format), so
  // Gmail's displayed dates, which carry no zone, are read in the user's own zone.
  function localIso(date) {
    const offset = -date.getTimezoneOffset();
    const sign = offset >= 0 ? '+' : '-';
    const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
    const local = new Date(date.getTime() + offset * 60000).toISOString().slice(0, 19);
    return `${local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
  }

  MAX.createClock = createClock;
  MAX.localIso = localIso;
})();
