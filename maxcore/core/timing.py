"""When to send: the prospect's time zone and the best respectful slot.

Pure. The zone is a vote of the prospect's own `Date:` offsets over candidate IANA zones, matched at
each message's instant so that +0100 in winter and +0200 in summer both mean Europe/Paris
(pivot.md, "Best time to send"). RFC 5322 §3.3: `-0000` means the local zone is unknown, and
Exchange stamps `+0000` whatever the sender's zone ([MS-OXCMAIL] 2.1.3.2.7), so neither votes.
Without votes: the country of the prospect's phone prefix or ccTLD, else the user's own zone
(the same vote over our messages), else Europe/Paris.

The slot follows Mautic's PeakInteractionTimer: with at least `settings.min_timing_evidence` events
(genuine replies, then opens), aim at the lower median of their local hours and prefer their most
frequent weekdays; with fewer, a B2B default (10:30, Tuesday to Thursday). The slot is always inside
the respectful window: `settings.contact_windows` local time on `settings.contact_weekdays`, never
on a public holiday of the prospect's country (`holidays`), never before `not_before`, never past.
`upcoming_slots` gives that moment's window and the next ones, one per later contact day, so the
extension can tell whether a late reminder is still inside one and snooze to the next day's.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import holidays

from .model import History, Message, Slot, Team, Thread, ThreadReport
from .phones import regions_of
from .settings import Settings
from .signals import is_ours

# Candidate zones per country (ISO 3166), main business zone first. Countries MAX meets most.
COUNTRY_ZONES: dict[str, tuple[str, ...]] = {
    "FR": ("Europe/Paris",), "BE": ("Europe/Brussels",), "CH": ("Europe/Zurich",),
    "LU": ("Europe/Luxembourg",), "MC": ("Europe/Monaco",), "DE": ("Europe/Berlin",),
    "ES": ("Europe/Madrid",), "IT": ("Europe/Rome",), "NL": ("Europe/Amsterdam",),
    "GB": ("Europe/London",), "IE": ("Europe/Dublin",), "PT": ("Europe/Lisbon",),
    "PL": ("Europe/Warsaw",), "SE": ("Europe/Stockholm",), "GR": ("Europe/Athens",),
    "RO": ("Europe/Bucharest",), "FI": ("Europe/Helsinki",),
    "MA": ("Africa/Casablanca",), "TN": ("Africa/Tunis",), "DZ": ("Africa/Algiers",),
    "SN": ("Africa/Dakar",), "CI": ("Africa/Abidjan",), "RE": ("Indian/Reunion",),
    "US": ("America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
           "America/Los_Angeles"),
    "CA": ("America/Toronto", "America/Vancouver", "America/Edmonton", "America/Halifax"),
    "BR": ("America/Sao_Paulo",), "MX": ("America/Mexico_City",),
    "AE": ("Asia/Dubai",), "IN": ("Asia/Kolkata",), "SG": ("Asia/Singapore",),
    "JP": ("Asia/Tokyo",), "CN": ("Asia/Shanghai",), "IL": ("Asia/Jerusalem",),
    "AU": ("Australia/Sydney", "Australia/Perth", "Australia/Brisbane"),
}  # fmt: skip
ZONE_COUNTRY = {zone: country for country, zones in COUNTRY_ZONES.items() for zone in zones}
_TLD_COUNTRY = {"uk": "GB"}
DEFAULT_ZONE = "Europe/Paris"

# Mautic's defaults when the evidence is thin: mid-morning, mid-week.
DEFAULT_TARGET = time(10, 30)
DEFAULT_DAYS = frozenset({1, 2, 3})  # Tuesday to Thursday
BEST_DAYS = 3  # at most this many preferred weekdays (Mautic's MAX_OPTIMAL_DAYS)
HOUR_SPREAD = timedelta(hours=1)  # "median hour ± 1 h"
LAST_CALL = timedelta(minutes=15)  # never at the very end of a window
STEP = 5  # minutes: slots are rounded up to this
HORIZON_DAYS = 21
SLOT_COUNT = 3  # the windows a recommendation carries: today's or the next, then two more
FAST_REPLY = timedelta(minutes=30)


@cache
def zone_of(name: str) -> ZoneInfo:
    # ZoneInfo's own cache keeps only 8 zones; the vote below tries ~40 per message.
    return ZoneInfo(name)


_zone = zone_of


def _raw_zone_unknown(raw: str | None) -> bool:
    """True for "-0000"/"+0000"/"GMT"/"UT": no evidence of where the writer is."""
    tail = (raw or "").strip().split()[-1:] or [""]
    return tail[0].upper() in {"-0000", "+0000", "GMT", "UT", "UTC", "Z"}


def _country_hints(report: ThreadReport) -> list[str]:
    hints: list[str] = []
    prospect = report.prospect
    if prospect and prospect.phone:
        region = next((r for r in regions_of(prospect.phone) if r in COUNTRY_ZONES), None)
        if region is not None:
            hints.append(region)
    if prospect:
        tld = prospect.email.rpartition(".")[2].lower()
        country = _TLD_COUNTRY.get(tld, tld.upper())
        if country in COUNTRY_ZONES and country not in hints:
            hints.append(country)
    return hints


def _vote(messages: list[Message], order: list[str]) -> str | None:
    """The candidate zone most of the messages' Date offsets agree with (earlier wins ties)."""
    votes: Counter[str] = Counter()
    others = [name for name in order if name not in ZONE_COUNTRY]  # a user's own default zone
    for msg in messages:
        when = msg.date
        if when is None or _raw_zone_unknown(msg.header("date")):
            continue
        offset = when.utcoffset()
        votes.update(_zones_with(offset, when))
        votes.update(name for name in others if when.astimezone(_zone(name)).utcoffset() == offset)
    if not votes:
        return None
    best = max(votes.values())  # every zone voted for is in `order`
    return next(z for z in order if votes[z] == best)


def _zones_with(offset: timedelta | None, when: datetime) -> tuple[str, ...]:
    """The zones of ZONE_COUNTRY whose offset at the instant `when` is `offset`."""
    try:
        steady, changing = _zones_on(offset, when.astimezone(UTC).date())
    except OverflowError:  # a day at the very edge of the calendar (year 1 or 9999): no shortcut
        steady, changing = (), tuple(ZONE_COUNTRY)
    if not changing:
        return steady
    return steady + tuple(n for n in changing if when.astimezone(_zone(n)).utcoffset() == offset)


@lru_cache(maxsize=4096)  # a few entries a mailbox day; each a few names
def _zones_on(offset: timedelta | None, day: date) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the zones at `offset` all through the UTC day, the zones whose offset changes that day).

    A zone has the same offset at the day's first and last instant only when it did not change
    that day (tzdata never changes a zone's offset twice in one day), so a day's answer holds
    for every message of that day: ~45 zone look-ups a day, not a message."""
    first = datetime.combine(day, time(0), UTC)
    last = datetime.combine(day, time.max, UTC)
    steady: list[str] = []
    changing: list[str] = []
    for name in ZONE_COUNTRY:
        zone = _zone(name)
        at_first = first.astimezone(zone).utcoffset()
        if at_first != last.astimezone(zone).utcoffset():
            changing.append(name)
        elif at_first == offset:
            steady.append(name)
    return tuple(steady), tuple(changing)


def user_zone(thread: Thread, team: Team, default_tz: str = DEFAULT_ZONE) -> str:
    """The salesperson's own zone, from our messages' Date offsets; `default_tz` without any."""
    order = list(dict.fromkeys([default_tz, *ZONE_COUNTRY]))
    return _vote([m for m in thread.messages if is_ours(m, team)], order) or default_tz


def prospect_zone(thread: Thread, team: Team, report: ThreadReport, default_tz: str) -> ZoneInfo:
    """The prospect's zone: their Date offsets' vote, else their country, else `default_tz`."""
    hints = _country_hints(report)
    candidates = [z for c in hints for z in COUNTRY_ZONES[c]]
    order = list(dict.fromkeys([*candidates, default_tz, *ZONE_COUNTRY]))  # hints win ties
    voted = _vote([m for m in thread.messages if not is_ours(m, team)], order)
    if voted:
        return _zone(voted)
    return _zone(COUNTRY_ZONES[hints[0]][0] if hints else default_tz)


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[date]:
    try:
        return frozenset(holidays.country_holidays(country, years=year).keys())
    except NotImplementedError:  # a country the library does not know: no holidays known
        return frozenset()


def is_contact_day(day: date, zone: ZoneInfo, settings: Settings) -> bool:
    """A contact weekday that is not a public holiday in the zone's country."""
    country = ZONE_COUNTRY.get(zone.key)
    holiday = country is not None and day in _holidays(country, day.year)
    return day.weekday() in settings.contact_weekdays and not holiday


def after_business_days(start: date, days: int, zone: ZoneInfo, settings: Settings) -> datetime:
    """Local midnight after `days` contact days counted from `start` (the OOO return date):
    back on Tuesday, grace 2 → Thursday 00:00 (LGM waits return + 3 days to let them triage)."""
    day, left = start, days
    while left > 0 or not is_contact_day(day, zone, settings):
        left -= 1 if is_contact_day(day, zone, settings) else 0
        day += timedelta(days=1)
    return datetime.combine(day, time(0), zone)


def _events(thread: Thread, team: Team, report: ThreadReport, history: History) -> list[datetime]:
    """When they answered (genuine replies), then when they opened: the timing evidence.

    A reply within FAST_REPLY of our message says when we wrote, not when they are free
    (pivot.md: "reply time ≠ availability peak"), so it is left out."""
    ignored = {i.message_id for i in report.ignored}
    ours: list[datetime] = []
    replies: list[datetime] = []
    for m in thread.messages:
        if m.date is None or m.id in ignored:
            continue
        if is_ours(m, team):
            ours.append(m.date)
        elif not ours or m.date - max(ours) > FAST_REPLY:
            replies.append(m.date)
    return replies + list(history.opens)


def _preferences(
    events: list[datetime], zone: ZoneInfo, settings: Settings
) -> tuple[time, frozenset[int]]:
    """Target time and preferred weekdays (Mautic: lower median hour, most frequent days)."""
    if len(events) < max(1, settings.min_timing_evidence):
        return DEFAULT_TARGET, DEFAULT_DAYS
    local = [e.astimezone(zone) for e in events]
    hours = sorted(e.hour for e in local)
    median = hours[(len(hours) - 1) // 2]
    days = Counter(e.weekday() for e in local).most_common(BEST_DAYS)
    return time(median), frozenset(day for day, _ in days)


def _best_in_day(
    day: date, target: time, start: datetime, zone: ZoneInfo, settings: Settings
) -> datetime | None:
    """The allowed moment of `day` closest to `target`, not before `start`; None if none is left."""
    aim = datetime.combine(day, target, zone)
    best: datetime | None = None
    for opens, closes in settings.contact_windows:
        low = max(datetime.combine(day, opens, zone), start)
        high = datetime.combine(day, closes, zone) - LAST_CALL
        if low > high:
            continue
        moment = min(max(aim, low), high)
        if best is None or abs(moment - aim) < abs(best - aim):
            best = moment
    return best


def _round_up(moment: datetime) -> datetime:
    """The next whole STEP minutes at or after `moment` (10:03:20 → 10:05)."""
    floor = moment.replace(minute=moment.minute - moment.minute % STEP, second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(minutes=STEP)


def best_slot(
    thread: Thread,
    team: Team,
    report: ThreadReport,
    now: datetime,
    settings: Settings,
    history: History,
    *,
    not_before: datetime | None = None,
    default_tz: str = DEFAULT_ZONE,
) -> datetime:
    """The moment to send, aware, in the prospect's zone (see the module's docstring)."""
    zone = prospect_zone(thread, team, report, default_tz)
    target, days = _preferences(_events(thread, team, report, history), zone, settings)
    start = _start(now, not_before, zone)
    best = _best_from(start, target, days, zone, settings)
    # No contact day at all in the horizon (odd settings): the earliest moment.
    return best if best is not None else _round_up(start)


def upcoming_slots(
    thread: Thread,
    team: Team,
    report: ThreadReport,
    now: datetime,
    settings: Settings,
    history: History,
    *,
    count: int = SLOT_COUNT,
    default_tz: str = DEFAULT_ZONE,
) -> tuple[Slot, ...]:
    """The next `count` respectful windows, one per contact day, later and later: the first is
    the window around `best_slot(...)`, each next one the window around best_slot with
    `not_before` the local midnight after the previous one's day (the same `best` it would answer).

    With no contact day left in the horizon (odd settings: no weekday, windows shorter than
    LAST_CALL) there is no window: the first is then best_slot's fallback alone,
    Slot(opens=start, best=that, closes=that), and the ones after it are left out (fewer slots)."""
    zone = prospect_zone(thread, team, report, default_tz)  # once, not once per slot
    target, days = _preferences(_events(thread, team, report, history), zone, settings)
    slots: list[Slot] = []
    not_before: datetime | None = None
    for _ in range(count):
        start = _start(now, not_before, zone)
        best = _best_from(start, target, days, zone, settings)
        if best is None:
            if not slots:  # best_slot's own answer, so that slots[0].best is always send_at
                fallback = _round_up(start)
                slots.append(Slot(opens=start, best=fallback, closes=fallback))
            break
        slots.append(_window_around(best, start, zone, settings))
        not_before = datetime.combine(best.date() + timedelta(days=1), time(0), zone)
    return tuple(slots)


def _start(now: datetime, not_before: datetime | None, zone: ZoneInfo) -> datetime:
    """The earliest moment considered, in the prospect's zone: never past, never before
    `not_before`."""
    return max(now, not_before or now).astimezone(zone)


def _window_around(best: datetime, start: datetime, zone: ZoneInfo, settings: Settings) -> Slot:
    """The window of `best`'s day holding `best` (the first such one of settings.contact_windows),
    cut to what is allowed from `start`: from its opening (not before `start`) to its close minus
    LAST_CALL (not before `best`, which the STEP rounding may push a few minutes past it)."""
    day = best.date()
    for opens, closes in settings.contact_windows:
        low = datetime.combine(day, opens, zone)
        high = datetime.combine(day, closes, zone)
        if low <= best < high:
            return Slot(opens=max(low, start), best=best, closes=max(high - LAST_CALL, best))
    # Unreachable: _best_from's moment lies in a window and its rounding stays under LAST_CALL.
    return Slot(opens=best, best=best, closes=best)


def _best_from(
    start: datetime, target: time, days: frozenset[int], zone: ZoneInfo, settings: Settings
) -> datetime | None:
    """best_slot's moment from `start` (in `zone`), for the target time and preferred weekdays;
    None when no contact day of the horizon has an allowed moment left."""

    def near(m: datetime) -> bool:
        return abs(m - datetime.combine(m.date(), target, zone)) <= HOUR_SPREAD

    # Day by day, in order: the first preferred day of the first week wins; past that week, the
    # first moment near the target, else the first allowed moment (so the scan stops early).
    first: datetime | None = None
    first_near: datetime | None = None
    for k in range(HORIZON_DAYS):
        day = start.date() + timedelta(days=k)
        if not is_contact_day(day, zone, settings):
            continue
        moment = _best_in_day(day, target, start, zone, settings)
        if moment is None:
            continue
        first = first or moment
        in_week = moment - first < timedelta(days=7)
        if in_week and moment.weekday() in days and near(moment):
            return _round_up(moment)
        if first_near is None and near(moment):
            first_near = moment
        if not in_week and first_near is not None:
            return _round_up(first_near)
    if first is None:  # no contact day at all in the horizon (odd settings): the caller decides
        return None
    return _round_up(first_near or first)
