/*
 * When a reminder rings, from the respectful windows the core gave (recommendation.slots:
 * [{opens, best, closes}], ISO 8601 with the prospect's offset; the first one's best is send_at).
 * Rule: decides nothing about the prospect — whether a phone message is the advice is the
 * report's (display.offer_message); this only places a moment inside a window the core drew,
 * so a reminder can never ring outside one, however late the browser wakes.
 * Pure; times are epoch milliseconds. Plain script: the service worker and node tests load it.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  const HOUR_MS = 3_600_000;
  // A slot about to start is the one the user is looking at now (the sidebar offers the
  // message already): the reminder is for the next one.
  const SOON_MS = 15 * 60_000;
  const RETRY_MS = 10 * 60_000; // the backend did not answer at ring time: asked again then

  /** The well-formed slots, in order; anything else is dropped (stored values are re-read). */
  function slotsOf(value) {
    const list = Array.isArray(value) ? value : [];
    return list
      .map((s) => ({
        opens: Date.parse(s?.opens),
        best: Date.parse(s?.best),
        closes: Date.parse(s?.closes),
        iso: s?.best,
        raw: s,
      }))
      .filter((s) => typeof s.iso === 'string' && s.opens <= s.best && s.best <= s.closes)
      .sort((a, b) => a.best - b.best);
  }

  const inside = (slot, at) => slot.opens <= at && at <= slot.closes;

  /** The first moment at or after `at` inside a window: `at` itself, else a later slot's best. */
  function firstAllowed(slots, at) {
    const list = slotsOf(slots);
    if (list.some((s) => inside(s, at))) return at;
    return list.find((s) => s.best > at)?.best ?? null;
  }

  /** Where a fresh reading's reminder rings: the first slot not starting now; null when none. */
  function ringAt(slots, now) {
    return slotsOf(slots).find((s) => s.best >= now + SOON_MS)?.best ?? null;
  }

  /**
   * At ring time, from the report the backend gave again: 'notify' inside a window, 'wait'
   * (until `when`) before the next one, 'drop' when the message is no longer the advice (they
   * answered, went away, opted out, the cap, a pivot already sent) or no window is left.
   */
  function atRing(report, now) {
    if (report?.display?.offer_message !== true) return { action: 'drop' };
    const slots = report.recommendation?.slots;
    const when = firstAllowed(slots, now);
    if (when === null) return { action: 'drop' };
    return when === now ? { action: 'notify' } : { action: 'wait', when };
  }

  /** The backend could not be asked: again in a few minutes, inside a window (null: none left). */
  const retryAt = (slots, now) => firstAllowed(slots, now + RETRY_MS);

  // The calendar day of epoch `ms` at the offset an ISO string carries ("…+01:00"), as YYYY-MM-DD.
  function dayAt(ms, iso) {
    const m = /([+-])(\d\d):(\d\d)$/.exec(iso) ?? (/Z$/.test(iso) ? ['', '+', '00', '00'] : null);
    if (!m) return new Date(ms).toISOString().slice(0, 10);
    const offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
    return new Date(ms + offset).toISOString().slice(0, 10);
  }

  /** Snooze 'hour' (an hour later, or the next window) or 'tomorrow' (the next slot on a later day). */
  function snoozeUntil(slots, now, kind) {
    if (kind === 'hour') return firstAllowed(slots, now + HOUR_MS);
    if (kind !== 'tomorrow') return null;
    return slotsOf(slots).find((s) => s.iso.slice(0, 10) > dayAt(now, s.iso))?.best ?? null;
  }

  MAX.reminderPlan = Object.freeze({ slotsOf, ringAt, atRing, retryAt, snoozeUntil });
})();
