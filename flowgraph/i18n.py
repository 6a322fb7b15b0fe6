"""Bilingual text: every message flowgraph shows a user exists in Chinese and English.

Call sites write both languages side by side (``Text("步骤…", "Step …")``) so that a
message and its translation are reviewed together; the output layer picks one with
``--lang``. The default language follows the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``): Chinese when it starts with ``zh``, English otherwise.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

LANGUAGES = ("zh", "en")


@dataclass(frozen=True, slots=True)
class Text:
    """A message in both languages."""

    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return self.en

    def __reduce__(self):
        """Pickle as a call of the constructor: a slotted dataclass's own state
        functions are several times slower, and every message of a batch's results
        is pickled between processes."""
        return (Text, (self.zh, self.en))


def locale_language(environ: dict[str, str] | None = None) -> str:
    """The language the user's locale asks for: ``zh`` or ``en``."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"

