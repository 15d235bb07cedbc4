"""compose: the two-line WhatsApp/SMS message, its link and its QR code.

Pure: templates by default, an optional `MessageWriter` (the LLM adapter) whose answers pass the
same validator as the templates or are replaced by one.
"""

from .brief import Brief, brief_from, brief_of
from .message import suggest, write
from .prompt import LlmPrompt, MessageWriter
from .qr import qr_svg, qr_terminal

__all__ = [
    "Brief",
    "LlmPrompt",
    "MessageWriter",
    "brief_from",
    "brief_of",
    "qr_svg",
    "qr_terminal",
    "suggest",
    "write",
]
