"""maxcore: reads real mail, decides who owes whom a reply, and writes the message that replaces
the third follow-up. The core decides and never does I/O; adapters read and never decide."""

from .core.errors import MaxcoreError
from .core.model import (
    Address,
    History,
    Kind,
    Message,
    Prospect,
    Recommendation,
    Suggestion,
    Team,
    Thread,
    ThreadReport,
    Verdict,
)
from .core.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Address",
    "History",
    "Kind",
    "MaxcoreError",
    "Message",
    "Prospect",
    "Recommendation",
    "Settings",
    "Suggestion",
    "Team",
    "Thread",
    "ThreadReport",
    "Verdict",
]
