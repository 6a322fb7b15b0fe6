"""The risk library (廉政风险库): how abuse of power shows itself at a step, and what
prevents it.

A risk ledger (台账) row must say, in words a committee reads, what an abuse would look
like at the step (风险点表现形式) and what measures prevent it (防控措施). Units write
these from a shared vocabulary (domain.md §6): at acceptance, 刁难、吃拿卡要; at a fee
reduction, 擅自减免; at a tender evaluation, 围标串标 … The library is that vocabulary as
data: ``risk_library.yaml`` in this package, which a unit may extend or replace with its
own file of the same schema (docs/risks.md).

Each :class:`RiskEntry` applies to a stage of a procedure (受理, 审查, 决定, 收费 …) in
some categories of power (行政许可, 行政处罚 …, or any), at some kinds of step, named by
words of the step's label, optionally only when something is at stake. For one step,
:meth:`RiskLibrary.describe` chooses the most specific entry that applies:

1. an entry whose words occur in the step's label before an entry without words;
2. an entry for the chart's category before an entry for any category;
3. an entry with more stakes conditions before one with fewer;
4. the entry that comes first in the library (a unit's own entries come first).

The chart's category of power comes from its ``category`` and, failing that, its title
(:meth:`RiskLibrary.category_of`). Choosing is cached, and the words of a label are found
through an index by first character, so a chart of 100,000 steps is described in a
fraction of a second.

The package's library is read on first use, never at import (:func:`default_library`).
"""
from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache, cached_property

from ..frozen import FrozenDict
from ..i18n import Text
from ..model import Flowchart, Position, Step
from ..policy import DEFAULT_CONTROLS, Policy

#: The kinds of step the library describes: the holders of power and the checks on them.
#: Start, end, gateway and system steps hold no power and have no risk to describe.
DESCRIBED_KINDS = ("task", "decision", "review", "disclosure", "oversight")

#: The stages of a procedure an entry can apply to, as risk tables name them.
STAGES: Mapping[str, Text] = FrozenDict({
    "accept": Text("受理", "accepting"),
    "handle": Text("经办", "handling"),
    "file": Text("立案", "opening a case"),
    "plan": Text("计划方案", "planning"),
    "examine": Text("审查审核", "examining"),
    "site": Text("现场勘验检查", "site visits and inspections"),
    "investigate": Text("调查取证", "investigating"),
    "assess": Text("核定测算", "assessing amounts"),
    "consult": Text("论证评审", "consulting and evaluating"),
    "propose": Text("拟办意见", "proposing"),
    "legal": Text("法制审核", "legal review"),
    "notify": Text("告知", "notifying rights"),
    "hearing": Text("听证", "hearings"),
    "decide": Text("决定审批", "deciding"),
    "collect": Text("收费罚没征收", "fees, fines and levies"),
    "relief": Text("减免缓", "reductions, exemptions and deferrals"),
    "allocate": Text("资金分配", "allocating funds"),
    "pay": Text("资金拨付报销支付", "paying out"),
    "record": Text("记账保管", "recording and custody"),
    "procure": Text("采购招标", "procurement and tendering"),
    "contract": Text("合同履约验收", "contracts, changes and acceptance"),
    "personnel": Text("人事", "appointments and recruitment"),
    "deliver": Text("送达执行", "delivering and enforcing"),
    "transfer": Text("移送转办", "referring and handing over"),
    "disclose": Text("公示公开", "disclosure"),
    "oversee": Text("监督", "oversight"),
})

#: The category of a chart that names none of the library's: only entries for any
#: category apply to it.
OTHER = "其他"
OTHER_EN = "other"

#: The package's catalogue, beside this module.
PACKAGE_FILE = "risk_library.yaml"

#: Choices remembered per library; past this many the memory starts afresh.
_CACHE_LIMIT = 65_536
_DEFAULT_POLICY = Policy()


@dataclass(frozen=True, slots=True)
class Measure:
    """One prevention measure (防控措施), with the canonical control it amounts to
    (``None`` when no control of the vocabulary means it) and the library name it was
    taken from (``None`` when the entry wrote it out)."""

    text: Text
    control: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class StakesCondition:
    """When an entry applies by what is at stake: at least ``money`` yuan, and
    ``people`` / ``rights`` as given (``None``: either)."""

    money: float | None = None
    people: bool | None = None
    rights: bool | None = None

    @property
    def count(self) -> int:
        """How many conditions are set: more conditions, a more specific entry."""
        return sum(value is not None for value in (self.money, self.people, self.rights))


@dataclass(frozen=True, slots=True)
class Category:
    """A category (class) of power, and the words of a chart's category or title that
    name it."""

    name: str
    en: str
    words: tuple[str, ...] = ()

    def named_in(self, text: str) -> bool:
        return self.name in text or any(word in text for word in self.words)


@dataclass(frozen=True)
class RiskEntry:
    """How abuse shows itself at one stage, where the entry applies, and its measures.

    ``categories`` and ``kinds`` empty mean any; ``words`` empty means the entry is a
    fallback that applies whatever the label says.
    """

    id: str
    stage: str
    description: Text
    measures: tuple[Measure, ...]
    categories: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    stakes: StakesCondition = StakesCondition()
    source: str | None = None
    position: Position | None = None


@dataclass(frozen=True)
class RiskDescription:
    """What the library says about one step: the chosen entry, the chart's category of
    power, and the measures the step does not already have (``suggested``).

    ``entry`` is ``None`` only for a step that holds no power (start, end, gateway,
    system) or for a unit's replacing library that covers nothing for the step.
    """

    category: str
    entry: RiskEntry | None
    suggested: tuple[Measure, ...] = ()

    def __bool__(self) -> bool:
        return self.entry is not None

    @property
    def description(self) -> Text | None:
        return self.entry.description if self.entry else None

    @property
    def measures(self) -> tuple[Measure, ...]:
        """Every measure of the entry, deduplicated, in the library's order."""
        return self.entry.measures if self.entry else ()

    def text(self, lang: str) -> str:
        """The risk described (风险点表现形式) in ``lang``, or empty."""
        return self.entry.description(lang) if self.entry else ""

    def measures_text(self, lang: str, suggested: bool = True) -> str:
        """The measures as one cell: ``…；…`` in Chinese, ``…; …`` in English."""
        chosen = self.suggested if suggested else self.measures
        return Text("；", "; ")(lang).join(measure.text(lang) for measure in chosen)


@dataclass(frozen=True)
class _Index:
    """What choosing needs, built once per library: a trie of the entries' words
    (nested dicts by character; under the key ``""``, the entries listing the word
    that ends there), the fallbacks without words, each entry's rank by the precedence
    (besides its words), and the money thresholds of the stakes conditions."""

    trie: Mapping[str, dict]
    wordless: frozenset[int]
    rank: tuple[tuple[bool, int, int], ...]
    thresholds: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class RiskLibrary:
    """An immutable catalogue of risk entries, the categories of power it knows, and the
    named measures entries share. Build one with :func:`load_library`."""

    entries: tuple[RiskEntry, ...]
    categories: tuple[Category, ...]
    measures: Mapping[str, Measure] = field(default_factory=FrozenDict)

    def __getstate__(self) -> dict:
        """Pickle the catalogue without its index and memory of choices."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __len__(self) -> int:
        return len(self.entries)

    def entry(self, entry_id: str) -> RiskEntry:
        """The entry with this id (KeyError when there is none)."""
        return self._by_id[entry_id]

    @cached_property
    def _by_id(self) -> dict[str, RiskEntry]:
        return {entry.id: entry for entry in self.entries}

    # -- the category of power ------------------------------------------------------

    def category_of(self, flowchart: Flowchart) -> str:
        """The chart's category of power: its ``category`` when that is one of the
        library's; otherwise the first of the library's categories (in their order)
        named by a word of its ``category``, then of its ``title``; otherwise
        :data:`OTHER`."""
        return _remembered(self._categories_seen, self._category,
                           flowchart.category or "", flowchart.title or "")

    def _category(self, category: str, title: str) -> str:
        """What :meth:`category_of` answers, computed."""
        if any(known.name == category for known in self.categories):
            return category
        for text in (category, title):
            for known in self.categories:
                if known.named_in(text):
                    return known.name
        return OTHER

    @cached_property
    def _categories_seen(self) -> dict[tuple[str, str], str]:
        return {}

    def category_name(self, name: str) -> Text:
        """A category as users read it: its Chinese name and its English one."""
        if name == OTHER:
            return Text(OTHER, OTHER_EN)
        known = next((c for c in self.categories if c.name == name), None)
        return Text(name, known.en if known and known.en else name)

    # -- choosing ---------------------------------------------------------------------

    def describe(self, flowchart: Flowchart, step: Step,
                 policy: Policy | None = None) -> RiskDescription:
        """The risk at ``step`` of ``flowchart``: the most specific entry that applies
        (see the module's docstring for the precedence) and its measures, less those the
        step already has (its controls, read through ``policy``'s vocabulary, and a
        collective decision where its post is a collective body)."""
        category = self.category_of(flowchart)
        if step.kind not in DESCRIBED_KINDS:
            return RiskDescription(category, None)
        stakes = step.stakes
        band = bisect_right(self._index.thresholds, stakes.money) \
            if stakes.money is not None else 0
        chosen = _remembered(self._chosen, self._choose, category, step.kind, step.label,
                             band, stakes.people, stakes.rights)
        if chosen is None:
            return RiskDescription(category, None)
        return RiskDescription(category, chosen,
                               _lacking(chosen.measures, flowchart, step, policy))

    @cached_property
    def _chosen(self) -> dict[tuple, RiskEntry | None]:
        return {}

    @cached_property
    def _index(self) -> _Index:
        trie: dict = {}
        for number, entry in enumerate(self.entries):
            for word in entry.words:
                node = trie
                for character in word:
                    node = node.setdefault(character, {})
                node.setdefault("", set()).add(number)
        return _Index(
            FrozenDict(trie),
            frozenset(n for n, entry in enumerate(self.entries) if not entry.words),
            tuple((bool(entry.categories), entry.stakes.count, -n)
                  for n, entry in enumerate(self.entries)),
            tuple(sorted({e.stakes.money for e in self.entries if e.stakes.money is not None})))

    def _admitting(self, category: str, kind: str) -> frozenset[int]:
        """The entries that admit a step of ``kind`` in a chart of ``category``."""
        return _remembered(self._admitted, lambda *_: frozenset(
            n for n, entry in enumerate(self.entries)
            if (not entry.categories or category in entry.categories)
            and (not entry.kinds or kind in entry.kinds)), category, kind)

    @cached_property
    def _admitted(self) -> dict[tuple[str, str], frozenset[int]]:
        return {}

    def _matching(self, label: str) -> set[int]:
        """The entries one of whose words occurs in ``label``: from each position, the
        trie is walked as far as the label follows it."""
        trie = self._index.trie
        found: set[int] = set()
        end = len(label)
        for start in range(end):
            node = trie.get(label[start])
            position = start + 1
            while node is not None:
                if "" in node:
                    found |= node[""]
                if position == end:
                    break
                node = node.get(label[position])
                position += 1
        return found

    def _choose(self, category: str, kind: str, label: str, band: int,
                people: bool, rights: bool) -> RiskEntry | None:
        """The most specific entry for a step with these facts, or None: among the
        entries whose words occur in the label, else among the fallbacks, the first by
        rank whose stakes conditions hold."""
        index = self._index
        admitted = self._admitting(category, kind)
        for pool in (self._matching(label) & admitted, index.wordless & admitted):
            holding = [n for n in pool if _stakes_hold(self.entries[n].stakes, band, people,
                                                       rights, index.thresholds)]
            if holding:
                return self.entries[max(holding, key=index.rank.__getitem__)]
        return None


def _remembered(memory: dict, compute, *key):
    """``compute(*key)``, remembered in ``memory``, which starts afresh once it holds
    :data:`_CACHE_LIMIT` answers (a batch of many charts must not grow it for ever)."""
    try:
        return memory[key]
    except KeyError:
        if len(memory) >= _CACHE_LIMIT:
            memory.clear()
        found = memory[key] = compute(*key)
        return found


def _stakes_hold(condition: StakesCondition, band: int, people: bool, rights: bool,
                 thresholds: tuple[float, ...]) -> bool:
    """Whether a step's stakes meet ``condition``: its money reaches ``band`` of the
    library's ``thresholds``, and people and rights are as the condition asks."""
    if condition.money is not None and band <= thresholds.index(condition.money):
        return False
    return (condition.people is None or condition.people == people) and \
        (condition.rights is None or condition.rights == rights)


def _lacking(measures: tuple[Measure, ...], flowchart: Flowchart, step: Step,
             policy: Policy | None) -> tuple[Measure, ...]:
    """The measures whose control the step does not already have."""
    if not step.controls and not flowchart.is_collective(step.actor):
        return measures
    policy = policy or _DEFAULT_POLICY
    present = {policy.canonical_control(control) for control in step.controls}
    if flowchart.is_collective(step.actor):
        present.add("collective-decision")
    return tuple(m for m in measures if m.control is None or m.control not in present)


# -- loading ------------------------------------------------------------------------

@cache
def default_library() -> RiskLibrary:
    """The package's library, read on first use and kept."""
    from importlib.resources import files

    from .risk_file import read_library
    resource = files(__package__).joinpath(PACKAGE_FILE)
    return read_library(resource.read_bytes(), str(resource), None,
                        tuple(DEFAULT_CONTROLS)).library()


def load_library(path: str | os.PathLike | None = None,
                 controls: Iterable[str] | None = None) -> RiskLibrary:
    """The package's library, extended or replaced by a unit's file at ``path``.

    In the unit's file, an entry or a named measure with the id of one of the package's
    replaces it, and one with a new id is added; the unit's entries come first, so they
    win where the package's would be as specific. ``replace: true`` at the top of the
    file uses the unit's entries and measures alone. The words that name categories
    always add to the package's. ``controls`` are the canonical controls a measure may
    name (the default vocabulary's, or a configuration's own).

    Raises :class:`~flowgraph.errors.LoadError` naming the file, line and column of
    any mistake.
    """
    base = default_library()
    if path is None:
        return base
    from ..io import read_bytes
    from .risk_file import read_library
    unit = read_library(read_bytes(path), str(path), base,
                        tuple(controls) if controls is not None else tuple(DEFAULT_CONTROLS))
    return unit.merged_onto(base)
