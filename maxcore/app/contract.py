"""The contract: every JSON shape MAX writes or reads across a process boundary, defined once.

The shapes are maxcore's own values (core.model's frozen dataclasses, compose's Brief, the page
reading of adapters.page_json) plus the request and response envelopes below; msgspec encodes
and decodes them and generates their JSON Schema. From these same definitions
`python -m maxcore.app.contract` writes `docs/contract.schema.json` (client generators, the
backend's OpenAPI) and `extension/lib/contract.js` (the extension's enums, settings defaults and
bounds, id patterns); a test fails when either file is stale. Nothing here decides.
"""

from __future__ import annotations

import json
import string
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin, get_type_hints

import msgspec

from ..adapters.gmail_json import GMAIL_ID_PATTERN
from ..adapters.mail import is_mail_era
from ..adapters.page_json import PageThread
from ..compose.brief import Brief
from ..core.errors import MaxcoreError
from ..core.model import (
    Absence,
    BannerKind,
    Channel,
    Code,
    IgnoredReason,
    Lang,
    Level,
    Note,
    PhoneChannel,
    ShownLevel,
    Suggestion,
    ThreadReport,
)
from ..core.outcomes import Stats
from ..core.policy import REASONS
from ..core.settings import DEFAULTS, TUNABLE, tunable_values

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "contract.schema.json"
JS_FILE = ROOT / "extension" / "lib" / "contract.js"
DEFAULT_BACKEND_URL = "http://127.0.0.1:8765"
SUGGESTION_ID_PATTERN = "^[0-9a-f]{32}$"  # uuid4().hex

Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+$", max_length=320)]
Domain = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$", max_length=253)]
GmailId = Annotated[str, msgspec.Meta(pattern=GMAIL_ID_PATTERN)]
Now = Annotated[
    str,
    msgspec.Meta(
        max_length=40,
        description="ISO 8601 date-time; without an offset it is UTC. Default: the server's",
        examples=["2026-11-27T10:00:00+01:00"],
    ),
]

# ---- request bodies -----------------------------------------------------------------------
# An unknown field is a 400 naming it: a client still sending what the contract dropped hears so.


class AnalyzeRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """POST /api/v1/threads/analyze."""

    me: Annotated[tuple[Email, ...], msgspec.Meta(min_length=1, max_length=20)]
    # A page reading (PageThread) or a Gmail API thread: told apart by shape
    # (adapters.source.thread_from_json); the schema says `oneOf` both.
    thread: dict[str, Any]
    team_domains: Annotated[tuple[Domain, ...], msgspec.Meta(max_length=20)] = ()
    now: Now | None = None


class SuggestRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """POST /api/v1/suggestions: the brief of an analysis, not the thread again."""

    brief: Brief
    channel: PhoneChannel | None = None  # default: the advice's
    lang: Lang | None = None  # default: the thread's


class AnsweredRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """POST /api/v1/suggestions/{id}/answered: the prospect answered the pivot (on the phone)."""

    at: Now | None = None  # when; default now; not before the pivot was sent, nor to come


class PairRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=40, examples=["K7PM-3QXD"])]
    # The Gmail address the user confirmed in the extension (never one read from Gmail's page):
    # the code's user is bound to it, or the code refused when it is another account's.
    account: Email | None = None


class LocalPairRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """POST /api/v1/pair/local: one click, no code, for the default user of this computer."""

    account: Email | None = None


class PixelRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    thread_id: GmailId
    message_ref: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | None = None


class SelfViewRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


def _settings_struct(name: str, *, partial: bool) -> type[msgspec.Struct]:
    """maxcore's tunable thresholds (core.settings.TUNABLE, with their bounds) and the company's
    own domains (a teammate's email counts as one of our touches)."""
    fields: list[tuple[str, Any, Any]] = []
    for key, (low, high) in TUNABLE.items():
        kind = Annotated[int, msgspec.Meta(ge=low, le=high)]
        fields.append((key, kind | None, None) if partial else (key, kind, getattr(DEFAULTS, key)))
    domains: Any = Annotated[tuple[Domain, ...], msgspec.Meta(max_length=20)]
    default: Any = ()
    if partial:
        domains, default = domains | None, None
    fields.append(("team_domains", domains, default))
    return msgspec.defstruct(name, fields, frozen=True, forbid_unknown_fields=partial)


# PUT /api/v1/settings takes any of the values; GET answers all of them.
SettingsChange = _settings_struct("SettingsChange", partial=True)
SettingsValues = _settings_struct("SettingsValues", partial=False)

# ---- response bodies ----------------------------------------------------------------------


class Reports(msgspec.Struct, frozen=True):
    """`maxcore check --json`, `maxcore scan --json`."""

    threads: tuple[ThreadReport, ...]


class Analysis(msgspec.Struct, frozen=True):
    """POST /api/v1/threads/analyze and GET /api/v1/threads/{id}: the report, and when it offers
    the phone message (`display.offer_message`), the brief to write it from."""

    threads: tuple[ThreadReport, ...]
    brief: Brief | None = None


class Suggested(msgspec.Struct, frozen=True):
    """`maxcore suggest --json`: suggestions[i] is the message for threads[i]."""

    threads: tuple[ThreadReport, ...]
    suggestions: tuple[Suggestion, ...]


class StoredSuggestion(msgspec.Struct, frozen=True):
    """POST /api/v1/suggestions: the message, and the id that marks it sent."""

    id: Annotated[str, msgspec.Meta(pattern=SUGGESTION_ID_PATTERN)]
    suggestion: Suggestion


class Pipeline(msgspec.Struct, frozen=True):
    """GET /api/v1/pipeline: the at-risk threads, riskiest first."""

    threads: tuple[ThreadReport, ...]
    last_sync_at: datetime | None = None


AwareTime = Annotated[datetime, msgspec.Meta(tz=True)]


class PivotSent(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One phone message the user marked sent: GET /api/v1/stats/pivots answers a list of them,
    `maxcore stats --pivots FILE` reads one (a mailbox holds no WhatsApp message)."""

    thread_id: GmailId
    sent_at: AwareTime
    answered_at: AwareTime | None = None  # the user marked it answered (on the phone)


class ErrorDetail(msgspec.Struct, frozen=True):
    code: str
    message: str
    field: str | None = None  # what was wrong, e.g. "me[0]" or "thread.messages[2].date"


class ErrorResponse(msgspec.Struct, frozen=True):
    """Every 4xx and 5xx answer of the backend."""

    error: ErrorDetail


SHAPES: tuple[Any, ...] = (
    Analysis,
    Reports,
    Suggested,
    StoredSuggestion,
    Pipeline,
    Stats,
    PivotSent,
    ErrorResponse,
    AnalyzeRequest,
    SuggestRequest,
    AnsweredRequest,
    PairRequest,
    LocalPairRequest,
    PixelRequest,
    SelfViewRequest,
    SettingsChange,
    SettingsValues,
    PageThread,
)
# The Gmail API's own thread resource, as far as MAX reads it (developers.google.com/gmail/api/
# reference/rest/v1/users.threads#Thread); Google's discovery document has the rest.
GMAIL_THREAD_SCHEMA: dict[str, Any] = {
    "title": "GmailThread",
    "description": "A Gmail API users.threads.get response (format full, metadata or raw)",
    "type": "object",
    "required": ["messages"],
    "properties": {
        "id": {"type": "string", "pattern": GMAIL_ID_PATTERN},
        "messages": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "description": "a Gmail API Message resource: id, threadId, labelIds, "
                "internalDate, and payload (headers, parts, base64url body.data) or raw",
                "required": ["id"],
            },
        },
    },
    "externalDocs": {
        "url": "https://developers.google.com/gmail/api/reference/rest/v1/users.threads"
    },
}

# ---- the vocabularies the extension reads -------------------------------------------------

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "LEVELS": get_args(Level),
    "CHANNELS": get_args(Channel),
    "PHONE_CHANNELS": get_args(PhoneChannel),
    "LANGS": get_args(Lang),
    "CODES": get_args(Code),
    "NOTES": get_args(Note),
    "BANNERS": get_args(BannerKind),
    "ABSENCES": get_args(Absence),
    "SHOWN_LEVELS": get_args(ShownLevel),
    "IGNORED_REASONS": get_args(IgnoredReason),
}


def reason_facts() -> dict[str, list[str]]:
    """{code: the facts its sentence names, in order}: a UI's sentence for the code takes them as
    $1, $2... in this order (policy.REASONS is the English one)."""
    return {
        code: [name for _, name, _, _ in string.Formatter().parse(text) if name]
        for code, text in REASONS.items()
    }


# ---- encoding and decoding ----------------------------------------------------------------

_ENCODER = msgspec.json.Encoder()


def encode(value: Any) -> bytes:
    """JSON bytes of a contract value (dates ISO 8601; an aware UTC time ends in Z)."""
    return _ENCODER.encode(value)


def to_builtins(value: Any) -> Any:
    return msgspec.to_builtins(value)


def decode_body(raw: bytes, shape: type[Any]) -> Any:
    """A request body as `shape`; MaxcoreError("bad_request") naming the field otherwise.

    msgspec refuses a lone surrogate escape (`"\\ud83d"`, a snippet cut inside an emoji) as
    malformed JSON; such a body is read again by the standard library, which takes it, and the
    readers then replace the half character (adapters.charsets.without_surrogates)."""
    try:
        return msgspec.json.decode(raw, type=shape)
    except msgspec.ValidationError as err:
        raise _named(err) from None
    except (msgspec.DecodeError, RecursionError):  # RecursionError: "[[[[..." past the stack
        pass
    try:
        loose = json.loads(raw)
    except (ValueError, RecursionError):
        raise MaxcoreError("bad_request", "The request body must be JSON.", field="body") from None
    try:
        return msgspec.convert(loose, shape)
    except msgspec.ValidationError as err:
        raise _named(err) from None


def _named(err: msgspec.ValidationError) -> MaxcoreError:
    from ..adapters.page_json import field_of

    path, what = field_of(err, "")
    path = path or "body"
    return MaxcoreError("bad_request", f"{path}: {what}", field=path)


def parse_now(text: str | None, field: str = "now") -> datetime:
    """The one reading of "now" (CLI --now, the request body, a query string): ISO 8601, UTC when
    it has no offset; the current time when absent."""
    if text is None or not text.strip():
        return datetime.now(UTC)
    try:
        now = datetime.fromisoformat(text.strip())
    except ValueError:
        raise MaxcoreError(
            "bad_now", f"{field} must be an ISO 8601 date-time, e.g. 2026-11-27T10:00:00+01:00",
            field=field,
        ) from None  # fmt: skip
    now = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    if not is_mail_era(now):  # the year 9999 would overflow the dates computed from it
        raise MaxcoreError("bad_now", f"{field}: not a date to judge mail at", field=field)
    return now


# ---- the generated files ------------------------------------------------------------------


def _datetime_fields(shapes: tuple[Any, ...]) -> dict[str, set[str]]:
    """{shape name: its fields holding a datetime}, through every nested shape."""
    found: dict[str, set[str]] = {}
    todo = list(shapes)
    while todo:
        shape = todo.pop()
        if shape.__name__ in found or not hasattr(shape, "__annotations__"):
            continue
        found[shape.__name__] = set()
        for name, hint in get_type_hints(shape).items():
            kinds = _leaves(hint)
            if datetime in kinds:
                found[shape.__name__].add(name)
            todo.extend(k for k in kinds if isinstance(k, type) and hasattr(k, "__annotations__"))
    return found


def _leaves(hint: Any) -> set[Any]:
    args = get_args(hint)
    if not args:
        return {hint}
    if get_origin(hint) is Annotated:
        return _leaves(args[0])
    return set().union(*(_leaves(a) for a in args))


def _mark_datetimes(components: dict[str, Any], shapes: tuple[Any, ...]) -> None:
    # msgspec says only "string" for a datetime (it would take a naive one); ours are aware
    # RFC 3339 date-times, and a client generator wants to know.
    for name, fields in _datetime_fields(shapes).items():
        properties = components.get(name, {}).get("properties", {})
        for field_name in fields:
            prop = properties.get(field_name, {})
            for option in prop.get("anyOf", [prop]):
                if option.get("type") == "string":
                    option["format"] = "date-time"


def schema_components(ref_template: str, extra: tuple[Any, ...] = ()) -> dict[str, Any]:
    """Every shape's JSON Schema (and `extra` ones'), keyed by name, refs per `ref_template`."""
    shapes = tuple(dict.fromkeys((*SHAPES, *extra)))
    _, components = msgspec.json.schema_components(shapes, ref_template=ref_template)
    _mark_datetimes(components, shapes)
    components["GmailThread"] = GMAIL_THREAD_SCHEMA
    ref = ref_template.format(name="{}")
    components["Pivots"] = {
        "title": "Pivots",
        "description": "GET /api/v1/stats/pivots, `maxcore stats --pivots FILE`: a JSON list",
        "type": "array",
        "items": {"$ref": ref.format("PivotSent")},
    }
    components["AnalyzeRequest"]["properties"]["thread"] = {
        "oneOf": [{"$ref": ref.format("PageThread")}, {"$ref": ref.format("GmailThread")}],
        "description": "the extension's page reading, or a Gmail API thread",
    }
    return dict(sorted(components.items()))


def json_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "MAX contract",
        "description": "Every JSON shape MAX writes or reads (generated from maxcore: "
        "python -m maxcore.app.contract)",
        "$defs": schema_components("#/$defs/{name}"),
    }


def contract_js() -> str:
    constants: dict[str, Any] = {
        **VOCABULARIES,
        "REASON_FACTS": reason_facts(),
        "SETTINGS_DEFAULTS": {**tunable_values(DEFAULTS), "team_domains": []},
        "SETTINGS_BOUNDS": {k: list(v) for k, v in TUNABLE.items()},
        "THREAD_ID_PATTERN": GMAIL_ID_PATTERN,
        "SUGGESTION_ID_PATTERN": SUGGESTION_ID_PATTERN,
        "DEFAULT_BACKEND_URL": DEFAULT_BACKEND_URL,
    }
    body = ",\n".join(
        f"    {name}: {json.dumps(value, ensure_ascii=False)}" for name, value in constants.items()
    )
    return (
        "/*\n"
        " * GENERATED by `python -m maxcore.app.contract` from maxcore's own definitions\n"
        " * (maxcore/app/contract.py): do not edit; a test fails when it is stale.\n"
        " * The vocabularies of the report, the settings' defaults and bounds, the id patterns.\n"
        " */\n"
        "(() => {\n"
        "  const MAX = (globalThis.MAX ??= {});\n"
        "  const deepFreeze = (o) => {\n"
        "    for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v);\n"
        "    return Object.freeze(o);\n"
        "  };\n"
        "  MAX.contract = deepFreeze({\n"
        f"{body},\n"
        "  });\n"
        "})();\n"
    )


def generated_files() -> dict[Path, str]:
    schema = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    return {SCHEMA_FILE: schema, JS_FILE: contract_js()}


def main() -> int:
    for path, text in generated_files().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
