"""Bilingual text: every message flowgraph shows a user exists in Chinese and English.

Call sites write both languages side by side (``Text("步骤…", "Step …")``) so that a
message and its translation are reviewed together; the output layer picks one with
``--lang``. The default language follows the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``): English when it names English, Chinese otherwise (:func:`locale_language`).
"""
from __future__ import annotations

import os
import re
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
    """The language the user's locale asks for: ``en`` only when it names English
    (``en``, ``en_US.UTF-8``, ``en_GB`` …), else ``zh``: the users and their charts are
    Chinese, and a machine's neutral locale (``C.UTF-8``, ``POSIX``, none at all) asks
    for no language."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "en" if _ENGLISH.match(value) else "zh"
    return "zh"


#: A locale that names English: ``en`` alone or followed by a territory, an encoding
#: or a modifier.
_ENGLISH = re.compile(r"en(?:[_.@]|$)", re.IGNORECASE)
