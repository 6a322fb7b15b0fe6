"""Reading a risk library file (the package's catalogue or a unit's own), strictly.

Units edit these files by hand, so a mistake must never pass silently: an unknown key,
stage, kind, category or control, a duplicated id, an entry without its description,
measures that are not a list, a reference to a measure nobody defined — each is a
:class:`~flowgraph.errors.LoadError` naming the file, line and column and what was
expected, in Chinese and English. As for flowcharts (io/yaml_format.py), the document is
*composed* with libyaml's C parser, never constructed, and the node tree is walked
against the schema here so that every value keeps its position; the walk counts the
nodes it visits, so an alias bomb stops at once.

The schema (docs/risks.md)::

    risk_library: 1
    replace: false                  # a unit's file only: true uses it alone
    categories:                     # categories of power, tried in this order
      行政许可: {en: licensing, words: [许可, 审批]}
    measures:                       # named measures entries share
      time-limit: {zh: 限时办结, en: finish within the time limit, control: time-limit}
    entries:
      - id: license-accept
        stage: accept
        categories: [行政许可]      # empty or absent: any category
        kinds: [task, decision]     # empty or absent: any kind the library describes
        words: [受理]               # words of the step's label; absent: a fallback
        stakes: {money: 1000000, people: true, rights: true}
        description: {zh: …, en: …}
        measures: [time-limit, {zh: …, en: …, control: one-time-notice}]
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import LoadError
from ..frozen import FrozenDict
from ..i18n import Text
from ..io.parser_problems import yaml_syntax_error
from ..io.yaml_format import _decode, _describe, _line_column, _refuse_unprintable
from ..model import STEP_KINDS, Position
from .risks import (
    DESCRIBED_KINDS,
    OTHER,
    STAGES,
    Category,
    Measure,
    RiskEntry,
    RiskLibrary,
    StakesCondition,
)

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader

FORMAT_KEY = "risk_library"
SUPPORTED_VERSIONS = (1,)
TOP_KEYS = (FORMAT_KEY, "replace", "categories", "measures", "entries")
CATEGORY_KEYS = ("en", "words")
ENTRY_KEYS = ("id", "stage", "categories", "kinds", "words", "stakes", "description",
              "measures")
TEXT_KEYS = ("zh", "en")
MEASURE_KEYS = ("zh", "en", "control")
STAKES_KEYS = ("money", "people", "rights")


def _one_of(allowed) -> Text:
    """``one of: a, b, c`` in both languages."""
    return Text(f"以下之一：{'、'.join(allowed)}", f"one of: {', '.join(allowed)}")


#: What an entry must have, with what is expected there.
REQUIRED = {
    "stage": _one_of(STAGES),
    "description": Text("`{zh: 风险点表现形式, en: …}`",
                        "{zh: …, en: how the abuse shows itself}"),
    "measures": Text("措施列表，如 `[time-limit, {zh: …, en: …}]`",
                     "a list of measures, e.g. [time-limit, {zh: …, en: …}]"),
}
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_constructor = yaml.constructor.SafeConstructor()


@dataclass(frozen=True)
class LibraryFile:
    """What one library file says, before it is merged onto the package's."""

    name: str
    replace: bool
    categories: tuple[Category, ...]
    measures: FrozenDict
    entries: tuple[RiskEntry, ...]

    def library(self) -> RiskLibrary:
        """The file alone as a library."""
        return RiskLibrary(self.entries, self.categories, self.measures)

    def merged_onto(self, base: RiskLibrary) -> RiskLibrary:
        """The library ``base`` extended (or, with ``replace``, replaced) by this file:
        entries and measures with a known id replace it, new ones add; this file's
        entries come first; a category's words are this file's, then the base's, and
        the categories this file names are tried first."""
        measures = dict(self.measures) if self.replace else {**base.measures, **self.measures}
        entries = list(self.entries)
        if not self.replace:
            own = {entry.id for entry in self.entries}
            entries += [_renamed_measures(entry, self.measures)
                        for entry in base.entries if entry.id not in own]
        return RiskLibrary(tuple(entries), _merged_categories(self.categories, base.categories),
                           FrozenDict(measures))


def _renamed_measures(entry: RiskEntry, measures: FrozenDict) -> RiskEntry:
    """``entry`` with each named measure the unit redefined taken from the unit."""
    if not any(m.name in measures for m in entry.measures):
        return entry
    return replace(entry, measures=_distinct(measures.get(m.name, m) if m.name else m
                                             for m in entry.measures))


def _merged_categories(own: tuple[Category, ...], base: tuple[Category, ...]
                       ) -> tuple[Category, ...]:
    by_name = {category.name: category for category in base}
    merged = []
    for category in own:
        known = by_name.get(category.name)
        if known is None:
            merged.append(category)
        else:
            merged.append(Category(category.name, category.en or known.en,
                                   tuple(dict.fromkeys(category.words + known.words))))
    named = {category.name for category in own}
    return tuple(merged) + tuple(c for c in base if c.name not in named)


def _distinct(measures) -> tuple[Measure, ...]:
    """Measures without repeats: one per control, and one per text when untagged."""
    seen: set = set()
    kept = []
    for measure in measures:
        key = ("control", measure.control) if measure.control else ("text", measure.text.zh)
        if key not in seen:
            seen.add(key)
            kept.append(measure)
    return tuple(kept)


def read_library(data: bytes, name: str, base: RiskLibrary | None,
                 controls: tuple[str, ...]) -> LibraryFile:
    """Read a library file. ``base`` is the library it will extend (its categories and
    measures may be used), ``None`` for the package's own; ``controls`` are the
    canonical controls a measure may name."""
    text = _decode(data, name)
    if not text.strip():
        raise LoadError(Text(f"风险库文件为空；应以 “{FORMAT_KEY}: 1” 开头",
                             f"the risk library file is empty; expected one starting with "
                             f"'{FORMAT_KEY}: 1'"), name, 1, 1)
    _refuse_unprintable(text, name)
    root = _compose(text, name)
    return _Reader(name, 2 * len(text) + 1000, base, controls).library(root)


def _compose(text: str, name: str) -> Node:
    """The document's node tree, or a LoadError at the place YAML gave up."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise LoadError(yaml_syntax_error(problem), name, mark.line + 1 if mark else None,
                        mark.column + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text, exc.position)
        raise LoadError(Text(f"文件含有不允许的字符 {exc.character!r}",
                             f"the file holds a character YAML does not allow: "
                             f"{exc.character!r}"), name, line, column) from None
    except yaml.YAMLError as exc:
        raise LoadError(Text(f"YAML 错误：{exc}", f"YAML error: {exc}"), name) from None
    if root is None:
        raise LoadError(Text(f"文件只有注释；应以 “{FORMAT_KEY}: 1” 开头",
                             f"the file holds only comments; expected one starting with "
                             f"'{FORMAT_KEY}: 1'"), name, 1, 1)
    return root


class _Reader:
    """Walks a composed library file against the schema."""

    def __init__(self, name: str, budget: int, base: RiskLibrary | None,
                 controls: tuple[str, ...]):
        self.name = name
        self.budget = budget
        self.visits = 0
        self.base = base
        self.controls = controls
        #: The categories entries may name, and the measures they may name: known once
        #: the file's own ``categories`` and ``measures`` are read.
        self.known_categories: tuple[str, ...] = ()
        self.shared: dict[str, Measure] = {}

    # -- primitives ---------------------------------------------------------------

    def fail(self, node: Node, zh: str, en: str):
        mark = node.start_mark
        raise LoadError(Text(zh, en), self.name, mark.line + 1, mark.column + 1)

    def expected(self, node: Node, what: Text, expected: Text):
        got = _describe(node)
        self.fail(node, f"{what.zh}：应为{expected.zh}，实际为{got.zh}",
                  f"{what.en}: expected {expected.en}, got {got.en}")

    def visit(self, node: Node) -> Node:
        self.visits += 1
        if self.visits > self.budget:
            self.fail(node, "别名展开过多（YAML 别名炸弹？）：文档展开后远大于文件本身",
                      "too many alias expansions (a YAML alias bomb?): the document "
                      "expands far beyond the size of the file")
        return node

    def mapping(self, node: Node, what: Text, allowed: tuple[str, ...] | None = None
                ) -> dict[str, tuple[ScalarNode, Node]]:
        """The entries of a mapping node, refusing duplicate and (when ``allowed`` is
        given) unknown keys."""
        self.visit(node)
        if not isinstance(node, MappingNode) or node.tag != _MAP:
            self.expected(node, what, Text("若干 `名称: 内容` 项", "a mapping (key: value)"))
        entries: dict[str, tuple[ScalarNode, Node]] = {}
        for key, value in node.value:
            self.visit(key)
            if not isinstance(key, ScalarNode) or key.tag != _STR:
                self.fail(key, f"{what.zh}：项名应为文本，实际为{_describe(key).zh}",
                          f"{what.en}: keys must be text, got {_describe(key).en}")
            if key.value in entries:
                first = entries[key.value][0].start_mark.line + 1
                self.fail(key, f"{what.zh}：“{key.value}” 一项重复（第 {first} 行已出现）",
                          f"{what.en}: duplicate key '{key.value}' (first on line {first})")
            if allowed is not None and key.value not in allowed:
                self.unknown(key, what, Text("项", "key"), allowed)
            entries[key.value] = (key, value)
        return entries

    def unknown(self, node: Node, what: Text, noun: Text, allowed) -> None:
        """Fail on a value not among ``allowed``, suggesting the closest."""
        close = difflib.get_close_matches(node.value, list(allowed), n=1)
        hint = Text(f"（是否应为 “{close[0]}”？）", f" (did you mean '{close[0]}'?)") \
            if close else Text("", "")
        expected = _one_of(allowed)
        self.fail(node, f"{what.zh}：未知的{noun.zh} “{node.value}”{hint.zh}；应为{expected.zh}",
                  f"{what.en}: unknown {noun.en} '{node.value}'{hint.en}; expected "
                  f"{expected.en}")

    def sequence(self, node: Node, what: Text, example: Text) -> list[Node]:
        self.visit(node)
        if not isinstance(node, SequenceNode) or node.tag != _SEQ:
            self.expected(node, what, example)
        return node.value

    def text(self, node: Node, what: Text) -> str:
        """Free text: a description, a word. A number is taken as written."""
        self.visit(node)
        if not isinstance(node, ScalarNode) or node.tag not in (_STR, _INT, _FLOAT):
            self.expected(node, what, Text("文本", "text"))
        if not node.value.strip():
            self.fail(node, f"{what.zh}：不能为空", f"{what.en}: must not be empty")
        return node.value.strip()

    def choice(self, node: Node, what: Text, noun: Text, allowed) -> str:
        self.visit(node)
        if not isinstance(node, ScalarNode) or node.tag != _STR:
            self.expected(node, what, _one_of(allowed))
        if node.value not in allowed:
            self.unknown(node, what, noun, allowed)
        return node.value

    def choices(self, node: Node, what: Text, noun: Text, allowed) -> tuple[str, ...]:
        items = self.sequence(node, what, Text(f"列表，每项为{_one_of(allowed).zh}",
                                               f"a list, each {_one_of(allowed).en}"))
        return tuple(dict.fromkeys(self.choice(item, what, noun, allowed) for item in items))

    def boolean(self, node: Node, what: Text) -> bool:
        self.visit(node)
        if not isinstance(node, ScalarNode) or node.tag != _BOOL:
            self.expected(node, what, Text("true 或 false", "true or false"))
        return _constructor.construct_yaml_bool(node)

    def amount(self, node: Node, what: Text) -> float:
        self.visit(node)
        expected = Text("以元计的金额（不小于 0 的数字）",
                        "an amount in yuan (a number of at least 0)")
        if not isinstance(node, ScalarNode) or node.tag not in (_INT, _FLOAT):
            self.expected(node, what, expected)
        value = _constructor.yaml_constructors[node.tag](_constructor, node)
        if not 0 <= value < float("inf"):
            self.expected(node, what, expected)
        return value

    def position(self, node: Node) -> Position:
        return Position(node.start_mark.line + 1, node.start_mark.column + 1)

    # -- the schema ---------------------------------------------------------------

    def library(self, root: Node) -> LibraryFile:
        top = Text("风险库", "risk library")
        entries = self.mapping(root, top, TOP_KEYS)
        self.version(root, entries)
        replacing = "replace" in entries and self.boolean(entries["replace"][1],
                                                          Text("replace", "replace"))
        if replacing and self.base is None:
            self.fail(entries["replace"][0], "replace 只用于单位自己的风险库文件",
                      "replace belongs in a unit's own library file, not the package's")
        categories = self.categories(entries["categories"][1]) if "categories" in entries \
            else ()
        if self.base is None and not categories:
            self.fail(root, "风险库缺少 categories（权力类别及其识别词）",
                      "the library lacks its categories (the categories of power and the "
                      "words that name them)")
        self.known_categories = tuple(dict.fromkeys(
            [c.name for c in categories] + [c.name for c in (self.base.categories
                                                             if self.base else ())]))
        shared = {} if replacing or self.base is None else dict(self.base.measures)
        own = self.named_measures(entries["measures"][1]) if "measures" in entries else {}
        self.shared = {**shared, **own}
        risks = self.entries(entries["entries"][1]) if "entries" in entries else ()
        if (replacing or self.base is None) and not risks:
            node = entries["entries"][1] if "entries" in entries else root
            self.fail(node, "风险库没有条目：替换或独立使用的风险库至少要有一个条目",
                      "the library has no entries: a library used alone needs at least one")
        return LibraryFile(self.name, replacing, categories, FrozenDict(own), risks)

    def version(self, root: Node, entries: dict) -> None:
        supported = ", ".join(map(str, SUPPORTED_VERSIONS))
        if FORMAT_KEY not in entries:
            self.fail(root, f"缺少格式版本 “{FORMAT_KEY}: {supported}”（这不是风险库文件？）",
                      f"missing the format version '{FORMAT_KEY}: {supported}' (is this a "
                      f"risk library?)")
        node = self.visit(entries[FORMAT_KEY][1])
        if not (isinstance(node, ScalarNode) and node.tag == _INT) or \
                _constructor.construct_yaml_int(node) not in SUPPORTED_VERSIONS:
            self.expected(node, Text("格式版本", "the format version"),
                          Text(f"版本号 {supported}", f"version {supported}"))

    def categories(self, node: Node) -> tuple[Category, ...]:
        found = []
        for name, (key, value) in self.mapping(node, Text("categories", "categories")).items():
            what = Text(f"类别 “{name}”", f"category '{name}'")
            if not name.strip() or name == OTHER:
                self.fail(key, f"{what.zh}：类别名不能为空或为 “{OTHER}” "
                               f"（“{OTHER}”指未归类的流程图）",
                          f"{what.en}: a category is named, and not '{OTHER}' (which means "
                          f"a chart of no category)")
            fields = self.mapping(value, what, CATEGORY_KEYS)
            en = self.text(fields["en"][1], Text(f"{what.zh} 的 en", f"en of {what.en}")) \
                if "en" in fields else ""
            words = self.words(fields["words"][1], Text(f"{what.zh} 的 words",
                                                        f"words of {what.en}")) \
                if "words" in fields else ()
            found.append(Category(name, en, words))
        return tuple(found)

    def words(self, node: Node, what: Text) -> tuple[str, ...]:
        items = self.sequence(node, what, Text("词语列表，如 `[受理, 收件]`",
                                               "a list of words, e.g. [受理, 收件]"))
        return tuple(dict.fromkeys(self.text(item, what) for item in items))

    def named_measures(self, node: Node) -> dict[str, Measure]:
        found = {}
        for name, (key, value) in self.mapping(node, Text("measures", "measures")).items():
            if not IDENTIFIER.fullmatch(name):
                self.fail(key, f"措施名 “{name}” 应由字母、数字、“-”、“.” 或 “_” 组成",
                          f"the measure name '{name}' must be letters, digits, '-', '.' or '_'")
            found[name] = replace(self.measure(value, Text(f"措施 “{name}”",
                                                           f"measure '{name}'")), name=name)
        return found

    def measure(self, node: Node, what: Text) -> Measure:
        """A measure written out: ``{zh: …, en: …, control: …}``."""
        fields = self.mapping(node, what, MEASURE_KEYS)
        text = self.bilingual(node, fields, what)
        control = self.choice(fields["control"][1], Text(f"{what.zh} 的 control",
                                                         f"control of {what.en}"),
                              Text("防控措施", "control"), self.controls) \
            if "control" in fields else None
        return Measure(text, control)

    def bilingual(self, node: Node, fields: dict, what: Text) -> Text:
        """``zh`` (required) and ``en`` (the Chinese again when absent)."""
        if "zh" not in fields:
            self.fail(node, f"{what.zh} 缺少中文 zh", f"{what.en} lacks its Chinese text (zh)")
        zh = self.text(fields["zh"][1], Text(f"{what.zh} 的 zh", f"zh of {what.en}"))
        en = self.text(fields["en"][1], Text(f"{what.zh} 的 en", f"en of {what.en}")) \
            if "en" in fields else zh
        return Text(zh, en)

    def entries(self, node: Node) -> tuple[RiskEntry, ...]:
        items = self.sequence(node, Text("entries", "entries"),
                              Text("条目列表（每项以 “- id: …” 开头）",
                                   "a list of entries (each starting '- id: …')"))
        first_line: dict[str, int] = {}
        found = []
        for item in items:
            entry = self.entry(item)
            if entry.id in first_line:
                self.fail(item, f"`entries`：条目 `id` “{entry.id}” 重复"
                                f"（第 {first_line[entry.id]} 行已出现）",
                          f"entries: duplicate id '{entry.id}' (first on line "
                          f"{first_line[entry.id]})")
            first_line[entry.id] = entry.position.line
            found.append(entry)
        return tuple(found)

    def entry(self, node: Node) -> RiskEntry:
        fields = self.mapping(node, Text("条目", "an entry"), ENTRY_KEYS)
        if "id" not in fields:
            self.fail(node, "条目缺少 id", "the entry lacks its id")
        entry_id = self.text(fields["id"][1], Text("条目的 id", "the entry's id"))
        if not IDENTIFIER.fullmatch(entry_id):
            self.fail(fields["id"][1], f"条目 id “{entry_id}” 应由字母、数字、“-”、“.” 或 “_” 组成",
                      f"the entry id '{entry_id}' must be letters, digits, '-', '.' or '_'")
        what = Text(f"条目 “{entry_id}”", f"entry '{entry_id}'")

        def sub(key: str) -> Text:
            return Text(f"{what.zh} 的 `{key}`", f"{key} of {what.en}")

        for required, example in REQUIRED.items():
            if required not in fields:
                self.fail(node, f"{what.zh} 缺少 {required}（应为{example.zh}）",
                          f"{what.en} lacks its {required} ({example.en})")
        return RiskEntry(
            entry_id,
            self.choice(fields["stage"][1], sub("stage"), Text("环节", "stage"), STAGES),
            self.description(fields["description"][1], sub("description")),
            self.entry_measures(fields["measures"][1], sub("measures")),
            categories=self.choices(fields["categories"][1], sub("categories"),
                                    Text("类别", "category"), self.known_categories)
            if "categories" in fields else (),
            kinds=self.kinds(fields["kinds"][1], sub("kinds")) if "kinds" in fields else (),
            words=self.words(fields["words"][1], sub("words")) if "words" in fields else (),
            stakes=self.stakes(fields["stakes"][1], sub("stakes"))
            if "stakes" in fields else StakesCondition(),
            source=self.name, position=self.position(node))

    def kinds(self, node: Node, what: Text) -> tuple[str, ...]:
        """Kinds of step; a kind that holds no power is named as such."""
        for item in self.sequence(node, what, Text("列表", "a list")):
            if isinstance(item, ScalarNode) and item.value in STEP_KINDS \
                    and item.value not in DESCRIBED_KINDS:
                self.fail(item, f"{what.zh}：{item.value} 类环节不掌握权力，风险库不描述它；应为"
                                f"{_one_of(DESCRIBED_KINDS).zh}",
                          f"{what.en}: a {item.value} step holds no power and the library does "
                          f"not describe it; expected {_one_of(DESCRIBED_KINDS).en}")
        return self.choices(node, what, Text("环节类型", "step kind"), DESCRIBED_KINDS)

    def description(self, node: Node, what: Text) -> Text:
        """``{zh: …, en: …}``, or text alone (Chinese, shown in English too)."""
        self.visit(node)
        if isinstance(node, ScalarNode):
            zh = self.text(node, what)
            return Text(zh, zh)
        return self.bilingual(node, self.mapping(node, what, TEXT_KEYS), what)

    def entry_measures(self, node: Node, what: Text) -> tuple[Measure, ...]:
        items = self.sequence(node, what, Text(
            "措施列表，每项为措施名或 {zh: …, en: …, control: …}",
            "a list of measures, each a measure's name or {zh: …, en: …, control: …}"))
        if not items:
            self.fail(node, f"{what.zh}：至少要有一项措施", f"{what.en}: at least one measure")
        return _distinct(self.entry_measure(item, what) for item in items)

    def entry_measure(self, node: Node, what: Text) -> Measure:
        self.visit(node)
        if isinstance(node, ScalarNode) and node.tag == _STR:
            if node.value not in self.shared:
                close = difflib.get_close_matches(node.value, list(self.shared), n=1)
                hint = Text(f"（是否应为 “{close[0]}”？）", f" (did you mean '{close[0]}'?)") \
                    if close else Text("", "")
                self.fail(node, f"{what.zh}：未定义的措施名 “{node.value}”{hint.zh}；"
                                f"请在 `measures:` 中定义，或写成 `{{zh: …, en: …}}`",
                          f"{what.en}: no measure is named '{node.value}'{hint.en}; define it "
                          f"under measures:, or write {{zh: …, en: …}}")
            return self.shared[node.value]
        return self.measure(node, what)

    def stakes(self, node: Node, what: Text) -> StakesCondition:
        fields = self.mapping(node, what, STAKES_KEYS)

        def sub(key: str) -> Text:
            return Text(f"{what.zh} 的 `{key}`", f"{key} of {what.en}")

        return StakesCondition(
            money=self.amount(fields["money"][1], sub("money")) if "money" in fields else None,
            people=self.boolean(fields["people"][1], sub("people"))
            if "people" in fields else None,
            rights=self.boolean(fields["rights"][1], sub("rights"))
            if "rights" in fields else None)
