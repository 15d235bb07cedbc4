"""compose: the two-line WhatsApp/SMS message, its link and its QR code.

Pure: templates by default, an optional `MessageWriter` (the LLM adapter) whose answers pass the
same validator as the templates or are replaced by one.
"""

from .message import suggest
from .prompt import LlmPrompt, MessageWriter
from .qr import qr_svg, qr_terminal

__all__ = ["LlmPrompt", "MessageWriter", "qr_svg", "qr_terminal", "suggest"]
