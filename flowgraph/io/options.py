"""What reading takes from the configuration: one immutable object for every reader.

The readers need four settings (``max_file_size``, ``supervisory_names``, the control
vocabulary of ``controls`` and the limits that ``max_steps`` sets);
:attr:`flowgraph.config.Config.reading` builds them into a :class:`ReadOptions`, and
:func:`flowgraph.io.load_all` hands it to the reader of each format. Nothing a setting
can change is fixed when a module is imported: what is derived from a setting (the
vocabulary's synonyms in matching order) is computed from the options object and
cached on it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ..policy import DEFAULT_CONTROLS
from .limits import DEFAULT_LIMITS, Limits

#: Default cap on the size of one input file (bytes); ``max_file_size`` in the config.
DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024

#: Words that mark a pool, lane or swimlane as supervisory in BPMN and draw.io:
#: names of the bodies that supervise the unit (派驻纪检监察组, 纪检组, 纪委监委, 监察室,
#: 审计局, 巡察组, 督查室 …), not every name that holds 监督 or 审计: a 卫生监督所 or a
#: 内部审计科 doing its own work is an ordinary post. ``supervisory_names`` in the
#: config replaces the list.
DEFAULT_SUPERVISORY = ("纪检", "纪委", "监委", "纪工委", "纪律检查", "监察委员会", "监察室",
                       "监察组", "监察专员", "审计局", "审计厅", "审计署", "审计组", "巡察",
                       "巡视", "督查", "discipline", "oversight", "audit office",
                       "inspector general")


@dataclass(frozen=True)
class ReadOptions:
    """The settings that change how files are read. Immutable; the defaults are the
    configuration's defaults.

    Parameters
    ----------
    max_file_size : int
        The largest input file read, in bytes (a CSV set's every table counts alone).
    supervisory_names : tuple of str
        Words that mark a BPMN pool or lane, or a draw.io swimlane, as supervisory.
    controls : mapping of str to tuple of str
        The control vocabulary, canonical name → synonyms (the policy's, with the
        configured synonyms): a BPMN text annotation names a control in these words.
    """

    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    supervisory_names: tuple[str, ...] = DEFAULT_SUPERVISORY
    controls: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: DEFAULT_CONTROLS)
    limits: Limits = DEFAULT_LIMITS

    @cached_property
    def control_synonyms(self) -> tuple[tuple[str, str], ...]:
        """Every synonym of the vocabulary with its case-folded form, longest first
        (an annotation naming 双人复核 names that control, not also 复核), in the
        vocabulary's order among synonyms of one length."""
        synonyms = dict.fromkeys(s for names in self.controls.values() for s in names)
        return tuple((s, s.casefold()) for s in sorted(synonyms, key=len, reverse=True))


#: The options of a reader called without any: the configuration's defaults.
DEFAULT_READ_OPTIONS = ReadOptions()
