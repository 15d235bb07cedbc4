/*
 * The reminder: when MAX's advice for a thread is a phone message, the service worker rings at
 * the slot the core chose (chrome.alarms), asks the backend again, and only then shows a
 * notification — "10:30 for Marc: your WhatsApp message is ready" — whose click opens the thread
 * with the message (and its QR code) in the sidebar. Snooze: an hour, or tomorrow's slot.
 * Rule: what to say is the backend's answer at ring time (an answer, an absence, an opt-out, the
 * cap or a pivot already sent: no notification); when is lib/reminder-plan.js's, inside the
 * windows the core drew. Reminders live in chrome.storage.local (`reminders`), so a worker
 * restart or a browser restart loses none: `restore` puts back any alarm Chrome dropped.
 * Every change goes through one queue: two readings at once never lose each other's reminder.
 */
import './lib/contract.js';
import './lib/i18n.js';
import './lib/reminder-plan.js';

const { contract, reminderPlan: plan } = globalThis.MAX;
const THREAD_ID = new RegExp(contract.THREAD_ID_PATTERN);
export const PREFIX = 'max-reminder:'; // alarm and notification names: PREFIX + thread id
const KEEP = 200; // reminders kept at most, the newest (a pipeline far larger is not a reminder list)
// At most this many on screen at once: a morning with many leads due is a few at a time, the
// next one ten minutes later (inside its window), never a wall of notifications.
const ON_SCREEN = 3;
const ACCOUNT_URL = /^https:\/\/mail\.google\.com\/mail\/u\/\d+\//;

/** The reminder a report asks for, or null when the advice is not a phone message. Pure. */
export function reminderOf(report, tabUrl) {
  const rec = report?.recommendation;
  if (report?.display?.offer_message !== true || !THREAD_ID.test(report.thread_id ?? '')) return null;
  if (!contract.PHONE_CHANNELS.includes(rec?.channel)) return null;
  return {
    threadId: report.thread_id,
    account: ACCOUNT_URL.exec(tabUrl ?? '')?.[0] ?? null, // the Gmail account the thread was read in
    name: String(report.prospect?.name || report.prospect?.email || '').slice(0, 80),
    subject: String(report.subject ?? '').slice(0, 120),
    channel: rec.channel,
    slots: plan.slotsOf(rec.slots).map((s) => s.raw),
  };
}

/** The notification's words in `lang`, from its messages.json, and times in the user's clock. */
export function wordsIn(lang, messages) {
  const clock = new Intl.DateTimeFormat(lang, { timeStyle: 'short' });
  const t = (key, subs = []) => {
    const entry = messages && Object.hasOwn(messages, key) ? messages[key] : null;
    return typeof entry?.message === 'string' ? globalThis.MAX.i18n.format(entry.message, subs.map(String)) : key;
  };
  return { t, time: (ms) => clock.format(new Date(ms)) };
}

/**
 * deps: {store: {load, save}, alarms, notifications, clock: {now, real}, recheck(threadId, now)
 * → {ok, report|null} | {ok: false, error}, open(threadId, account), words() → {t, time},
 * enabled() (the user's `remind` setting), iconUrl}.
 */
export function createReminders(deps) {
  let queue = Promise.resolve();
  // One change at a time; a failing one is logged (without mail text) and does not stop the next.
  const serial = (work) => {
    const run = queue.then(work);
    queue = run.catch((err) => console.error('MAX reminders:', err?.message));
    return run;
  };
  const load = async () => {
    const stored = await deps.store.load();
    return stored && typeof stored === 'object' ? stored : {};
  };

  async function save(all) {
    const ids = Object.keys(all);
    for (const id of ids.slice(0, Math.max(0, ids.length - KEEP))) {
      await deps.alarms.clear(PREFIX + id);
      delete all[id];
    }
    await deps.store.save(all);
  }

  // Gone, with its alarm and any notification; the caller saves.
  async function drop(all, threadId) {
    delete all[threadId];
    await deps.alarms.clear(PREFIX + threadId);
    await deps.notifications.clear(PREFIX + threadId);
  }

  async function forget(all, threadId) {
    if (!Object.hasOwn(all, threadId)) return;
    await drop(all, threadId);
    await save(all);
  }

  // Kept to ring at `when` (the newest last), its alarm set; the caller saves.
  async function place(all, record, when) {
    delete all[record.threadId];
    all[record.threadId] = { ...record, when, shown: null, buttons: [] };
    await deps.alarms.create(PREFIX + record.threadId, { when: await deps.clock.real(when) });
  }

  async function ringLater(all, record, when) {
    await deps.notifications.clear(PREFIX + record.threadId); // one on screen is for an older slot
    await place(all, record, when);
    await save(all);
  }

  async function show(all, record, now) {
    const { t, time } = await deps.words();
    const tomorrow = plan.snoozeUntil(record.slots, now, 'tomorrow');
    const buttons = tomorrow ? ['hour', 'tomorrow'] : ['hour'];
    const options = {
      type: 'basic',
      iconUrl: deps.iconUrl,
      title: t('reminderTitle', [time(now), record.name, t(`channel_${record.channel}`)]),
      message: record.subject ? t('reminderBody', [record.subject]) : t('reminderBodyNoSubject'),
      buttons: buttons.map((b) => ({
        title: b === 'hour' ? t('reminderSnoozeHour') : t('reminderSnoozeTomorrow', [time(tomorrow)]),
      })),
      requireInteraction: true, // it waits for the user, as a reminder should
      priority: 2,
    };
    all[record.threadId] = { ...record, shown: options, shownAt: now, buttons };
    await save(all);
    await deps.notifications.create(PREFIX + record.threadId, options);
  }

  const threadOf = (name) => {
    const id = typeof name === 'string' && name.startsWith(PREFIX) ? name.slice(PREFIX.length) : '';
    return THREAD_ID.test(id) ? id : null;
  };
  // An alarm's or a notification's kept reminder, in the queue; nothing when there is none.
  const withRecord = (name, work) =>
    serial(async () => {
      const threadId = threadOf(name);
      const all = await load();
      if (threadId && all[threadId]) await work(all, all[threadId], threadId);
    });
  const sameReminder = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  return {
    /** A reading of a thread (the report the backend answered): schedule, move or drop its reminder. */
    heard: (report, tabUrl) =>
      serial(async () => {
        if (!THREAD_ID.test(report?.thread_id ?? '')) return;
        const all = await load();
        const fresh = (await deps.enabled()) ? reminderOf(report, tabUrl) : null;
        const now = await deps.clock.now();
        const old = all[report.thread_id];
        // A snooze the user chose holds until it rings; a new reading only refreshes the slots.
        const keepSnooze = Boolean(old?.snoozed && old.when > now);
        const when = keepSnooze ? old.when : fresh && plan.ringAt(fresh.slots, now);
        if (!fresh || !when) return forget(all, report.thread_id);
        const account = fresh.account ?? old?.account ?? null;
        await ringLater(all, { ...fresh, account, snoozed: keepSnooze }, when);
      }),

    /**
     * The pipeline (the Gmail sync's threads and the ones read before): a reminder for each
     * phone pivot not planned yet, so a lead the user never opened does not fall silent either.
     * Nothing the user chose or sees is moved: a planned time stays (a refresh ten minutes
     * before it must not push it to tomorrow), one on screen stays; a thread whose advice is no
     * longer the message is dropped. One read and one write for the whole list.
     */
    heardAll: (reports) =>
      serial(async () => {
        const all = await load();
        const enabled = await deps.enabled();
        const now = await deps.clock.now();
        let changed = false;
        for (const report of Array.isArray(reports) ? reports : []) {
          const threadId = report?.thread_id;
          if (!THREAD_ID.test(threadId ?? '')) continue;
          const old = all[threadId];
          const fresh = enabled ? reminderOf(report, null) : null;
          if (old?.shown) continue;
          if (!fresh) {
            if (old) await drop(all, threadId);
            changed ||= Boolean(old);
          } else if (old && old.when > now) {
            const kept = { ...old, ...fresh, account: old.account ?? null }; // its time kept
            changed ||= !sameReminder(kept, old);
            all[threadId] = kept;
          } else {
            const when = plan.ringAt(fresh.slots, now);
            if (!when) continue;
            await place(all, { ...fresh, snoozed: false }, when);
            changed = true;
          }
        }
        if (changed) await save(all);
      }),

    /** chrome.alarms.onAlarm: ask the backend again, then notify, wait for a window, or drop. */
    ring: (alarmName) =>
      withRecord(alarmName, async (all, record, threadId) => {
        if (!(await deps.enabled())) return forget(all, threadId); // turned off since
        const now = await deps.clock.now();
        const answer = await deps.recheck(threadId, now);
        if (!answer.ok) {
          const when = plan.retryAt(record.slots, now);
          return when ? ringLater(all, record, when) : forget(all, threadId);
        }
        const report = answer.report?.thread_id === threadId ? answer.report : null;
        const decision = plan.atRing(report, now);
        if (decision.action === 'drop') return forget(all, threadId);
        const updated = { ...record, ...reminderOf(report, record.account), account: record.account };
        if (decision.action === 'wait') return ringLater(all, updated, decision.when);
        if (Object.values(all).filter((r) => r?.shown).length >= ON_SCREEN) {
          const when = plan.retryAt(updated.slots, now);
          return when ? ringLater(all, updated, when) : forget(all, threadId);
        }
        return show(all, updated, now);
      }),

    /** The notification's click: the thread, in the Gmail account it was read in. */
    clicked: (notificationId) =>
      withRecord(notificationId, async (all, record, threadId) => {
        await forget(all, threadId); // the next reading of the thread plans the next one
        await deps.open(threadId, record.account);
      }),

    /** A snooze button: an hour later, or tomorrow's slot; never outside a window. */
    snoozed: (notificationId, index) =>
      withRecord(notificationId, async (all, record, threadId) => {
        const kind = record.buttons?.[index];
        if (!kind) return;
        const when = plan.snoozeUntil(record.slots, await deps.clock.now(), kind);
        await deps.notifications.clear(notificationId);
        if (!when) return forget(all, threadId);
        await ringLater(all, { ...record, snoozed: true }, when);
      }),

    /** Closed by the user: not now, and not again for this silence (the next reading decides). */
    closed: (notificationId, byUser) =>
      withRecord(notificationId, async (all, _record, threadId) => {
        if (byUser) await forget(all, threadId);
      }),

    /**
     * At each worker start: the alarm of every kept reminder, put back if Chrome dropped it;
     * all of them again when the clock moved (`moved`: lib/clock.js's fake clock, in tests).
     */
    restore: (moved = false) =>
      serial(async () => {
        const all = await load();
        const set = new Set((await deps.alarms.getAll()).map((a) => a.name)); // one call, not one per reminder
        let dropped = false;
        for (const [threadId, record] of Object.entries(all)) {
          if (!THREAD_ID.test(threadId) || !Number.isFinite(record?.when)) {
            delete all[threadId];
            dropped = true;
          } else if (!record.shown && (moved || !set.has(PREFIX + threadId)))
            await deps.alarms.create(PREFIX + threadId, { when: await deps.clock.real(record.when) });
        }
        if (dropped) await save(all); // a worker start writes nothing when nothing changed
      }),

    /** The reminder turned off: every kept one goes, with its alarm and notification. */
    clear: () =>
      serial(async () => {
        const all = await load();
        for (const threadId of Object.keys(all)) await drop(all, threadId);
        await save(all);
      }),
  };
}
