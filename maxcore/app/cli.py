"""The `maxcore` command: the library's face for a salesperson's terminal.

Parses arguments, calls the same functions the backend calls, prints. A `MaxcoreError` (or any bad
argument) becomes one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import NoReturn

import msgspec

from .. import __version__
from ..compose import MessageWriter
from ..core.errors import MaxcoreError
from ..core.model import Team, ThreadReport
from ..core.outcomes import Stats
from . import service
from .contract import Reports, Suggested, encode, parse_now

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one stderr line too."""

    def error(self, message: str) -> NoReturn:
        raise MaxcoreError("usage", f"{message} (see {self.prog} --help)")


def _team(args: argparse.Namespace) -> Team:
    addresses = [a for a in args.me if "@" in a]
    if len(addresses) != len(args.me):
        raise MaxcoreError("bad_me", "--me takes an email address", field="me")
    return Team.of(addresses, args.team_domain or [])


def _add_common(p: argparse.ArgumentParser, *, me_required: bool = True) -> None:
    p.add_argument(
        "--me",
        action="append",
        required=me_required,
        default=[],
        metavar="ADDR",
        help="your own address (repeat for aliases)"
        + ("" if me_required else "; a Takeout mbox's Sent label says it too"),
    )
    p.add_argument(
        "--team-domain",
        action="append",
        metavar="DOMAIN",
        help="your company's own domain: a teammate's email counts as one of your touches",
    )
    p.add_argument("--now", metavar="ISO", help="judge as of this time (default: now)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="maxcore", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", action="version", version=f"maxcore {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="who owes whom a reply, thread by thread")
    check.add_argument(
        "path",
        type=Path,
        metavar="PATH",
        help="a .eml file, a folder of them, an mbox, or a Gmail API thread (JSON)",
    )
    _add_common(check)

    scan = sub.add_parser("scan", help="every thread of a mailbox, riskiest first (streaming)")
    scan.add_argument("mboxes", type=Path, nargs="+", metavar="MBOX")
    _add_common(scan)
    scan.add_argument("--all", action="store_true", help="also list threads at level ok")

    suggest = sub.add_parser("suggest", help="the two-line phone message to send instead")
    suggest.add_argument("path", type=Path, metavar="PATH")
    _add_common(suggest)
    suggest.add_argument("--lang", choices=["fr", "en"], help="force the message's language")
    suggest.add_argument("--channel", choices=["whatsapp", "sms"], help="force the channel")

    stats = sub.add_parser(
        "stats", help="reply rate and time after a pivot, against after a third email"
    )
    stats.add_argument("path", type=Path, metavar="MAILBOX", help="an mbox, .eml or folder")
    _add_common(stats, me_required=False)
    stats.add_argument(
        "--pivots",
        type=Path,
        metavar="FILE",
        help='the pivots sent: a JSON list of {"thread_id", "sent_at"} (GET /api/v1/stats/pivots)',
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return _run(args)
    except MaxcoreError as err:
        print(f"maxcore: {err.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `maxcore scan ... | head` closed the pipe: not an error
        return 0


def _run(args: argparse.Namespace) -> int:
    team, now = _team(args), parse_now(args.now, field="--now")
    if args.command == "check":
        return _check(args, team, now)
    if args.command == "scan":
        return _scan(args, team, now)
    if args.command == "stats":
        return _stats(args, team, now)
    return _suggest(args, team, now)


def _check(args: argparse.Namespace, team: Team, now: datetime) -> int:
    from ..adapters.source import read_threads

    result = read_threads(args.path)
    reports = [service.analyze(t, team, now) for t in result.threads]
    _report_skipped(result.skipped)
    if args.json:
        _print_json(Reports(threads=tuple(reports)))
    else:
        from .cli_view import print_table

        print_table(reports, title=str(args.path))
    return 0


def _scan(args: argparse.Namespace, team: Team, now: datetime) -> int:
    from ..core.triage import is_at_risk, riskiest_first
    from .cli_view import progress
    from .scan import scan_mbox

    reports: list[ThreadReport] = []
    skipped = 0
    for path in args.mboxes:  # fail before the first long scan, not after it
        if not path.is_file():
            raise MaxcoreError("not_found", f"{path}: no such mailbox file", field="mbox")
    for path in args.mboxes:
        with progress(path.name, enabled=sys.stderr.isatty() and not args.json) as on_progress:
            result = scan_mbox(
                path, team, now, service.DEFAULT_SETTINGS, on_progress, at_risk_only=not args.all
            )
        reports.extend(result.reports)
        skipped += result.skipped
    reports = riskiest_first(reports)
    if not args.all:
        reports = [r for r in reports if is_at_risk(r)]
    _report_skipped(skipped)
    if args.json:
        _print_json(Reports(threads=tuple(reports)))
    else:
        from .cli_view import print_table

        print_table(reports, title=", ".join(str(p) for p in args.mboxes))
    return 0


def _suggest(args: argparse.Namespace, team: Team, now: datetime) -> int:
    from ..adapters.source import read_threads

    result = read_threads(args.path)
    writer = _writer()
    pairs = [
        service.suggest(t, team, now, lang=args.lang, channel=args.channel, writer=writer)
        for t in result.threads
    ]
    _report_skipped(result.skipped)
    if args.json:
        reports, suggestions = zip(*pairs, strict=True) if pairs else ((), ())
        _print_json(Suggested(threads=tuple(reports), suggestions=tuple(suggestions)))
    else:
        from .cli_view import print_suggestions

        print_suggestions(pairs)
    return 0


def _writer() -> MessageWriter | None:
    from ..adapters.llm import writer_from_env  # imports openai only when MAX_LLM_* asks for it

    return writer_from_env(os.environ)


def _stats(args: argparse.Namespace, team: Team, now: datetime) -> int:
    from ..adapters.source import read_threads
    from .stats import mailbox_stats, read_pivots, timelines_of

    pivots = read_pivots(args.pivots) if args.pivots else []  # a bad file fails before the read
    result = read_threads(args.path)
    stats, unknown = mailbox_stats(timelines_of(result.threads, team, now), pivots)
    _report_skipped(result.skipped)
    if unknown:
        print(
            f"maxcore: {unknown} pivot(s) for threads not in {args.path} left out", file=sys.stderr
        )
    if args.json:
        _print_json(stats)
    else:
        from .cli_view import print_stats

        print_stats(stats, title=str(args.path))
    return 0


def _report_skipped(skipped: int) -> None:
    if skipped:
        print(f"maxcore: {skipped} unreadable message(s) skipped", file=sys.stderr)


def _print_json(value: Reports | Suggested | Stats) -> None:
    sys.stdout.buffer.write(msgspec.json.format(encode(value), indent=2) + b"\n")
    sys.stdout.flush()
