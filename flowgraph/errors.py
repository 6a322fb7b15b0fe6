"""The one error type flowgraph raises for bad input, with where it happened.

A :class:`FlowgraphError` carries a bilingual message and, when the problem is inside
a file, the file, line and column. The CLI prints it as one line
(``file:line:column: message``) and never a traceback: a line break, a control
character or a byte that is not UTF-8, in a file name or in text quoted from a file,
is shown as an escape (``\\x0a``, ``\\xff``), so that the message stays one line and
prints on any terminal.
"""
from __future__ import annotations

from .files import printable
from .i18n import Text


class FlowgraphError(Exception):
    """Bad input or configuration, described for the user."""

    def __init__(self, message: Text, path: str | None = None,
                 line: int | None = None, column: int | None = None):
        super().__init__(message.en)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __reduce__(self):
        """Errors travel between the processes of a batch: keep both languages."""
        return (type(self), (self.message, self.path, self.line, self.column))

    def location(self) -> str:
        """``path:line:column`` with whatever parts are known."""
        parts = [self.path or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def describe(self, lang: str) -> str:
        """The one line shown to the user, control characters escaped."""
        return printable(f"{self.location()}: {self.message(lang)}", keep="")

    def __str__(self) -> str:
        return self.describe("en")


class LoadError(FlowgraphError):
    """A flowchart file could not be read: syntax, schema or reference error."""


class ConfigError(FlowgraphError):
    """The configuration (``setup.cfg`` / ``flowgraph.toml``) or an option is invalid."""


class LoadWarning(FlowgraphError):
    """Part of a file that flowgraph skipped while the rest loaded (an unsupported BPMN
    construct, a message flow it cannot place). Carried on the flowchart, never raised:
    the reports show it beside the file."""


class LoadNote(FlowgraphError):
    """What a reader understood from free text of a file (a BPMN annotation: “裁量权较大，
    尚未制定裁量基准” → discretion high, no benchmark), so that a user can see it and
    correct the text or say it explicitly. Carried on the flowchart, never raised."""
