"""The native YAML format, version 1 (design.md §3), read strictly.

Analysts write these files by hand, so a mistake must never pass silently: an unknown
key (a typo would drop a control), a key written twice (PyYAML would keep the last),
a value of the wrong type or outside its allowed set, a reference to an undeclared
step, a missing or unsupported version, an empty or non-UTF-8 file: each is a
:class:`~flowgraph.errors.LoadError` naming the file, line and column and what was
expected.

The document is *composed* (not constructed) with libyaml's C parser where available,
and the node tree is walked against the schema here, which gives every value its
position. The walk checks what only YAML has (the keys: unknown, written twice, merge
keys; the YAML type of each value; empty text) and hands each value, with where it was
written, to the :class:`~flowgraph.io.builder.ChartBuilder` every reader builds with:
it checks the model's values and invariants (allowed values, discretion on neutral
steps, edges, reporting lines, waivers) in the same words for every format, and its
errors point at the value in the YAML file. Anchors and aliases are allowed, but the
walk counts the nodes it visits and stops once they exceed what the file could hold
without aliases, so an alias bomb fails at once instead of expanding.
"""
from __future__ import annotations

import difflib
import functools
import itertools
import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import LoadError
from ..i18n import Text
from ..model import (
    DISCRETION_LEVELS,
    DUTIES,
    NOTE_FIELDS,
    RANKS,
    STEP_KINDS,
    EdgeTable,
    Flowchart,
)
from .builder import META_KEYS, ChartBuilder, Place
from .limits import DEFAULT_LIMITS, Limits
from .parser_problems import yaml_syntax_error
from .words import expected_choice

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader

SUPPORTED_VERSIONS = (1,)

#: The keys the format allows in each of its mappings: the top level, an actor, a step,
#: a step's stakes.
TOP_KEYS = ("flowgraph", "id", "title", "unit", "category", "basis",
            "superior_in_charge", "actors", "steps", "flow", "oversight")
ACTOR_KEYS = ("name", "rank", "reports_to", "collective", "oversight", "public", "outside")
STEP_KEYS = ("kind", "label", "actor", "discretion", "stakes", "controls", "duty",
             "declared_grade", "time_limit", "basis", "waive", *NOTE_FIELDS, "extra")
#: Step fields whose value is text.
TEXT_FIELDS = frozenset(("label", "time_limit", "basis", *NOTE_FIELDS))
STAKES_KEYS = ("money", "people", "rights")
#: Step fields whose value is one of a set (the builder checks which).
CHOICES = {"kind": STEP_KINDS, "discretion": DISCRETION_LEVELS, "duty": DUTIES}

#: What a value of each YAML type is expected to be, as messages say it.
TEXT = Text("文本", "text")
IDENTIFIER = Text("标识符（文本）", "an identifier (text)")
BOOLEAN = Text("true 或 false（或 是/否）", "true or false (or 是/否)")
MONEY = Text("以元计的金额（数字）", "an amount in yuan (a number)")
GRADE = Text("1、2、3（或 一级、二级、三级）", "1, 2 or 3 (or 一级, 二级, 三级)")
MEMBERS = Text("人数（不小于 1 的整数）或 是/否", "the number of members (an integer of at "
               "least 1) or yes or no")
REASON = Text("豁免理由（文本）", "the reason (text)")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_constructor = yaml.constructor.SafeConstructor()


def loads(data: bytes | str, name: str = "<string>", limits: Limits = DEFAULT_LIMITS
          ) -> Flowchart:
    """Read one flowchart from the text of a native YAML file.

    ``name`` is the file's path: it appears in errors and gives the default ``id``;
    ``limits`` bound what the file may make the reader build.
    """
    text = _decode(data, name) if isinstance(data, bytes) else data
    if not text.strip():
        raise LoadError(Text("文件为空；应为以 “flowgraph: 1” 开头的流程图",
                             "the file is empty; expected a flowchart starting with "
                             "'flowgraph: 1'"), name, 1, 1)
    if not (isinstance(data, bytes) and _printable(data)):
        _refuse_unprintable(text, name)
    text, plain_edges = _plain_edge_lists(text)
    read, plain_steps, steps_line = _plain_steps(text)
    if plain_steps:
        root = _composed_without(read, steps_line)
        if root is not None:
            return _Reader(name, 2 * len(text) + 1000, limits, plain_edges,
                           plain_steps).flowchart(root)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, yaml.composer.ComposerError) and "another document" in problem:
            raise LoadError(Text("一个文件只能有一个 YAML 文档（一个流程图）；请删除 “---” 后的内容"
                                 "或拆分为多个文件",
                                 "a file holds one YAML document (one flowchart); remove what "
                                 "follows '---' or split it into several files"),
                            name, mark.line + 1 if mark else None,
                            mark.column + 1 if mark else None) from None
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
        raise LoadError(Text("文件只有注释；应为以 “flowgraph: 1” 开头的流程图",
                             "the file holds only comments; expected a flowchart "
                             "starting with 'flowgraph: 1'"), name, 1, 1)
    return _Reader(name, 2 * len(text) + 1000, limits, plain_edges).flowchart(root)


#: A top-level ``flow:`` or ``oversight:`` key alone on its line: the first line, or a
#: line after a newline (searched for with the newline first, much faster).
_EDGE_KEY = re.compile(r"(flow|oversight):[ \t]*$", re.M)
_NEXT_EDGE_KEY = re.compile(r"\n(flow|oversight):[ \t]*$", re.M)
#: An edge written as flowgraph and most people write it: ``  - [a, b]`` or
#: ``  - [a, b, 退回补正]``, each a plain word (no quotes, spaces or YAML punctuation),
#: a line to itself: its ends and its label.
_WORD = r"[^\s,\[\]{}#&*!|>'\"%@`:?\-][^\s,\[\]{}#'\":]*"
_PLAIN_EDGE = re.compile(rf"^[ \t]+- \[({_WORD}), ({_WORD})(?:, ({_WORD}))?\][ \t]*$", re.M)
#: A newline before a line that is not indented (or is empty): where a block ends.
_UNINDENTED = re.compile(r"\n[^ \t]")


def _plain_edge_lists(text: str) -> tuple[str, dict[str, EdgeTable]]:
    """The top-level edge lists written one plain ``- [from, to(, label)]`` a line, read
    without composing them, and the text with those lines blanked (line numbers kept).

    A chart of 100,000 steps linked to their next ten has a million edges: composing
    them takes three million YAML nodes and most of the load time. A list is read here
    only when every line of it is such a plain edge, all indented alike, and every word
    is text as YAML would read it (not a number, a boolean or null); anything else (a
    comment, a quoted or flow-style label, ``- {from: …}``) leaves the whole list to
    YAML, whose errors and positions stay what they were. The edges of a list are
    kept as a table (:class:`~flowgraph.model.EdgeTable`), not an object each."""
    found: dict[str, EdgeTable] = {}
    blanked: list[tuple[int, int]] = []
    for key in itertools.chain(filter(None, [_EDGE_KEY.match(text)]),
                               _NEXT_EDGE_KEY.finditer(text)):
        start = key.end() + 1  # the list's first line
        table, end = _plain_list(text, start, key.group(1))
        if table is not None:
            found[key.group(1)] = table
            blanked.append((start, end))
    if not found:
        return text, found
    pieces, done = [], 0
    for start, end in blanked:
        pieces += [text[done:start], "\n" * text.count("\n", start, end)]
        done = end
    pieces.append(text[done:])
    return "".join(pieces), found


def _plain_list(text: str, start: int, kind: str) -> tuple[EdgeTable | None, int]:
    """The edges of the list whose lines begin at ``start``, when it is plain (see
    :func:`_plain_edge_lists`), and where its lines end; (None, 0) when it is not.

    The lines up to the next line that is not indented are matched at once; when one
    of them is not a plain edge (a comment after the list, or an edge YAML must
    read), the list's plain edges are found line by line, and only blank lines and
    comments may follow them."""
    block = _UNINDENTED.search(text, start - 1)
    end = block.start() + 1 if block is not None else len(text)
    if start >= end:
        return None, 0
    edges = _PLAIN_EDGE.findall(text, start, end)
    lines = text.count("\n", start, end) + (end == len(text) and not text.endswith("\n"))
    if len(edges) < lines:
        edges, end = _leading_plain_edges(text, start, end)
    if not edges or not _list_ends(text, end):
        return None, 0
    indent = text[start:text.index("- [", start)]
    if text.count(f"\n{indent}- [", start - 1, end) != len(edges):
        return None, 0  # indented unlike the first: YAML says what it makes of it
    typed = {*_TYPED_FIRST_WORD.findall(text, start, end),
             *_TYPED_NEXT_WORD.findall(text, start, end)}
    if not all(map(_resolved_text, typed)):
        return None, 0  # a word YAML reads as a number, a boolean or null
    labels = [label or None for _, _, label in edges]
    first = text.count("\n", 0, start) + 1
    return EdgeTable(kind, [source for source, _, _ in edges],
                     [target for _, target, _ in edges], labels if any(labels) else None,
                     range(first, first + len(edges)), len(indent) + 3), end


def _leading_plain_edges(text: str, start: int, end: int) -> tuple[list, int]:
    """The plain edges on the lines from ``start`` up to the first line (before
    ``end``) that is not one, and where that line begins."""
    edges = []
    while start < end and (match := _PLAIN_EDGE.match(text, start, end)):
        edges.append(match.groups())
        start = match.end() + 1
    return edges, min(start, len(text))


def _list_ends(text: str, start: int) -> bool:
    """Whether a block list ends before the line that begins at ``start``: the next
    line that is neither blank nor a comment is not indented (YAML would go on with
    the list after a blank line or a comment)."""
    while start < len(text):
        newline = text.find("\n", start)
        line = text[start:newline if newline >= 0 else len(text)]
        if line.strip() and not line.lstrip().startswith("#"):
            return not line.startswith((" ", "\t"))
        if newline < 0:
            break
        start = newline + 1
    return True


#: A top-level ``steps:`` key alone on its line.
_STEPS_KEY = re.compile(r"^steps:[ \t]*$", re.M)
#: A step written on one line as flowgraph and most people write it:
#: ``  s1: {kind: task, label: 受理, actor: clerk}``, each value a plain word (see
#: :data:`_WORD`) or a list of them (``controls: [裁量基准, 集体决策]``).
_STEP_VALUE = rf"[a-z_]+: (?:{_WORD}|\[{_WORD}(?:, {_WORD})*\])"
_PLAIN_STEP = re.compile(rf"( +)({_WORD}): \{{({_STEP_VALUE}(?:, {_STEP_VALUE})*)\}}[ \t]*")
#: One value of such a step: its key, and its word or its list's words.
_PLAIN_FIELD = re.compile(rf"([a-z_]+): (?:({_WORD})|\[({_WORD}(?:, {_WORD})*)\])")
#: Any other step written on one line, without quotes, comments, anchors, aliases,
#: tags or block scalars (what could make a later line part of it): its id.
_ONE_LINE_STEP = re.compile(rf"( +)({_WORD}): \{{[^'\"#&*!|>%@`]*\}}[ \t]*")
#: A newline before a line that is neither indented, blank nor a comment: where a
#: block mapping ends (YAML goes on with it after a blank line or a comment).
_MAPPING_ENDS = re.compile(r"\n[^ \t\n#]")
#: The fields a plain step may give (the rest, such as stakes or waive, are left to
#: YAML, with the whole line).
_PLAIN_KEYS = frozenset((*CHOICES, *TEXT_FIELDS, "actor", "controls"))


def _plain_steps(text: str) -> tuple[str, list[_PlainStep], int]:
    """The steps of the top-level ``steps:`` mapping written one plain step a line
    (:data:`_PLAIN_STEP`), read without composing them, the text with those lines
    blanked (line numbers kept), and the line of the ``steps:`` key; the other steps
    are left to YAML.

    Composing a step takes about ten YAML nodes, each resolved and walked again:
    most of the time a 100,000-step chart took to load. A step is read here only when
    every line of the mapping is a step on its own line (this kind, or another without
    quotes or comments that YAML reads alone), a blank line or a comment, all indented
    alike; every word is text as YAML would read it; its keys are known, once each;
    and no step id is written twice. Anything else leaves the whole mapping to YAML,
    whose errors and positions stay what they were."""
    if len(_STEPS_KEY.findall(text)) != 1:
        return text, [], 0
    start = _STEPS_KEY.search(text).end() + 1
    block = _MAPPING_ENDS.search(text, start - 1)
    end = block.start() + 1 if block is not None else len(text)
    key_line = text.count("\n", 0, start)
    plain: list[_PlainStep] = []
    ids: set[str] = set()
    indent = None
    lines = text[start:end].split("\n")
    for number, line in enumerate(lines, key_line + 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _PLAIN_STEP.fullmatch(line)
        step = _PlainStep.of(number, match) if match is not None else None
        if step is None:  # another step YAML reads alone, or none
            match = _ONE_LINE_STEP.fullmatch(line)
            if match is None or not _nested(line):
                return text, [], 0
        indent = indent or match.group(1)
        if match.group(1) != indent or match.group(2) in ids:
            return text, [], 0
        ids.add(match.group(2))
        if step is not None:
            plain.append(step)
            lines[number - key_line - 1] = ""
    if not plain:
        return text, [], 0
    return text[:start] + "\n".join(lines) + text[end:], plain, key_line


def _nested(line: str) -> bool:
    """Whether the brackets and braces of a line close in the order they open."""
    stack = []
    for character in line:
        if character in "{[":
            stack.append("}" if character == "{" else "]")
        elif character in "}]" and (not stack or stack.pop() != character):
            return False
    return not stack


def _composed_without(text: str, key_line: int) -> Node | None:
    """The node tree of ``text`` (the chart with its plain steps blanked), or None when
    it is not what the plain steps were read for: a YAML error (reported as the whole
    file gives it), or no ``steps`` key at ``key_line``, where they were read."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, MappingNode):
        return None
    lines = [key.start_mark.line + 1 for key, _ in root.value
             if isinstance(key, ScalarNode) and key.value == "steps"]
    return root if lines == [key_line] else None


class _PlainStep:
    """A step :func:`_plain_steps` read: its id, its values, and where it was written."""

    __slots__ = ("line", "id", "values", "match")

    def __init__(self, line: int, step_id: str, values: dict, match: re.Match):
        self.line, self.id, self.values, self.match = line, step_id, values, match

    @classmethod
    def of(cls, line: int, match: re.Match) -> _PlainStep | None:
        """The step of a line :data:`_PLAIN_STEP` matched, or None when it is not
        plain after all: a key unknown or given twice, a word YAML would not read as
        text."""
        step_id = match.group(2)
        if step_id[0] in _TYPED_FIRST and not _resolved_text(step_id):
            return None
        values: dict[str, str | list[str]] = {}
        for name, word, words in _PLAIN_FIELD.findall(match.group(3)):
            if name not in _PLAIN_KEYS or name in values or (name == "controls") != (not word):
                return None  # unknown, twice, or a list where a word goes (or the reverse)
            value = word or words.split(", ")
            for one in (value,) if word else value:
                if one[0] in _TYPED_FIRST and not _resolved_text(one):
                    return None
            values[name] = value
        values.setdefault("kind", None)  # the builder says it is missing
        return cls(line, step_id, values, match)

    def place(self) -> Place:
        """Where the step's id was written, each value's place asked of it when wrong."""
        return Place(self.line, len(self.match.group(1)) + 1, None, self)

    def at(self, field: str, _entry: str | None = None, _key: bool = False) -> Place:
        """Where the value of ``field`` was written; the ``{`` when it is absent."""
        start = self.match.start(3)  # after the {
        for found in _PLAIN_FIELD.finditer(self.match.string, start, self.match.end(3)):
            if found.group(1) == field:  # the word, or the list's [
                return Place(self.line, found.start(2) + 1 if found.group(2)
                             else found.start(3))
        return Place(self.line, start)

    def subject(self, field: str) -> Text:
        return _Field(_Part("步骤", "step", self.id), field)


@functools.lru_cache(maxsize=4096)
def _resolved_text(word: str) -> bool:
    """Whether YAML reads a plain scalar as text (``s12``, ``退回``), not ``1``, ``yes``."""
    return _RESOLVER.resolve(ScalarNode, word, (True, False)) == _STR


_RESOLVER = yaml.resolver.Resolver()
#: The first characters of the plain scalars YAML may read as other than text.
_TYPED_FIRST = frozenset(key for key in _RESOLVER.yaml_implicit_resolvers if key)
#: A word of a plain edge that starts with one of them: its first (after the ``[``),
#: its others (after a ``, ``).
_TYPED = rf"([{''.join(map(re.escape, sorted(_TYPED_FIRST)))}][^\s,\[\]{{}}#'\":]*)"
_TYPED_FIRST_WORD = re.compile(rf"\[{_TYPED}")
_TYPED_NEXT_WORD = re.compile(rf", {_TYPED}")


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(Text("文件是 UTF-16 编码；请另存为 UTF-8",
                             "the file is UTF-16; save it as UTF-8"), name, 1, 1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        # The column counts characters, as everywhere else, not bytes: what precedes the
        # bad byte on its line is valid UTF-8 (it may hold Chinese text).
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8")) + 1
        byte = data[exc.start]
        raise LoadError(Text(
            f"文件不是 UTF-8 编码（无效字节 0x{byte:02x}）；若为 GBK 编码，请另存为 UTF-8",
            f"the file is not UTF-8 (invalid byte 0x{byte:02x}); if it is GBK, "
            f"save it as UTF-8"), name, line, column) from None


#: The bytes of UTF-8 text that are never part of a character YAML refuses.
_PRINTABLE_BYTES = bytes((9, 10, 13, *range(0x20, 0x7F), *range(0x80, 0x100)))
#: The characters YAML refuses beyond the control bytes: C1 controls but NEL, U+FFFE and
#: U+FFFF, in UTF-8.
_UNPRINTABLE_SEQUENCE = re.compile(rb"\xc2[\x80-\x84\x86-\x9f]|\xef\xbf[\xbe\xbf]")


def _printable(data: bytes) -> bool:
    """Whether UTF-8 ``data`` certainly holds no character YAML refuses, asked of the
    bytes in C: a 27 MB chart in a third of the time of the text's search. Their lead
    bytes are rare, so the search for those sequences seldom runs."""
    if data.translate(None, _PRINTABLE_BYTES):
        return False  # a control byte (what remains when the rest is deleted)
    return not ((b"\xc2" in data or b"\xef\xbf" in data) and _UNPRINTABLE_SEQUENCE.search(data))


def _refuse_unprintable(text: str, name: str) -> None:
    """Refuse a character YAML does not allow, at its true line and column.

    libyaml reports such a character with a *byte* offset into the UTF-8 text and the
    character as a number, so after any Chinese text the position was wrong (and the
    message said ``1`` for U+0001); a lone surrogate in a ``str`` even crashed it with a
    UnicodeEncodeError. The same check PyYAML's own reader makes, done here first.
    """
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad is not None:
        line, column = _line_column(text, bad.start())
        code = f"U+{ord(bad.group()):04X}"
        raise LoadError(Text(f"文件含有不允许的字符 {code}",
                             f"the file holds a character YAML does not allow: {code}"),
                        name, line, column)


def _line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _describe(node: Node) -> Text:
    if node.tag not in (_MAP, _SEQ, _STR, _INT, _FLOAT, _BOOL, _NULL):
        return Text(f"带标签 {node.tag} 的值", f"a value tagged {node.tag}")
    if isinstance(node, MappingNode):
        return Text("若干 `名称: 内容` 项", "a mapping")
    if isinstance(node, SequenceNode):
        return Text("列表", "a list")
    return {
        _STR: Text(f"文本 “{node.value}”", f"the text '{node.value}'"),
        _INT: Text(f"整数 {node.value}", f"the integer {node.value}"),
        _FLOAT: Text(f"数字 {node.value}", f"the number {node.value}"),
        _BOOL: Text(f"布尔值 {node.value}", f"the boolean {node.value}"),
        _NULL: Text("空值", "nothing (null)"),
    }.get(node.tag, Text(f"“{node.value}”", f"'{node.value}'"))


class _Reader:
    """Walks a composed YAML node tree against the version 1 schema, building the
    flowchart with a :class:`~flowgraph.io.builder.ChartBuilder`."""

    def __init__(self, name: str, budget: int, limits: Limits, plain_edges: dict | None = None,
                 plain_steps: list[_PlainStep] | None = None):
        self.name = name
        self.budget = budget
        self.plain_edges = plain_edges or {}
        self.plain_steps = plain_steps or []
        self.visits = 0
        self.builder = ChartBuilder(name, limits)

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
                if key.tag == "tag:yaml.org,2002:merge":
                    self.fail(key, f"{what.zh}：不支持合并写法 “<<”",
                              f"{what.en}: merge keys ('<<') are not supported")
                self.fail(key, f"{what.zh}：项名应为文本（请加引号），实际为{_describe(key).zh}",
                          f"{what.en}: keys must be text (quote it), got "
                          f"{_describe(key).en}")
            if key.value in entries:
                first = entries[key.value][0].start_mark.line + 1
                self.fail(key, f"{what.zh}：“{key.value}” 一项重复（第 {first} 行已出现）",
                          f"{what.en}: duplicate key '{key.value}' (first on line {first})")
            if allowed is not None and key.value not in allowed:
                close = difflib.get_close_matches(key.value, allowed, n=1)
                hint = (Text(f"；是否应为 “{close[0]}”？", f"; did you mean '{close[0]}'?")
                        if close else Text("", ""))
                self.fail(key, f"{what.zh}：未知的项 “{key.value}”{hint.zh}"
                               f"（允许：{'、'.join(allowed)}）",
                          f"{what.en}: unknown key '{key.value}'{hint.en} "
                          f"(expected one of: {', '.join(allowed)})")
            entries[key.value] = (key, value)
        return entries

    def sequence(self, node: Node, what: Text, example: Text) -> list[Node]:
        self.visit(node)
        if not isinstance(node, SequenceNode) or node.tag != _SEQ:
            self.expected(node, what, example)
        return node.value

    def scalar(self, node: Node, what: Text, tags: tuple[str, ...], expected: Text):
        self.visit(node)
        if not isinstance(node, ScalarNode) or node.tag not in tags:
            self.expected(node, what, expected)
        if node.tag == _STR:
            return node.value
        # the tag's own constructor: construct_object would also remember every node in
        # the shared constructor, for ever (slow, and memory growing over a batch)
        return _constructor.yaml_constructors[node.tag](_constructor, node)

    def text(self, node: Node, what: Text) -> str:
        """Free text: a label, a title. A number is taken as written."""
        self.visit(node)
        if not isinstance(node, ScalarNode) or node.tag not in (_STR, _INT, _FLOAT):
            self.expected(node, what, TEXT)
        if not node.value.strip():
            self.fail(node, f"{what.zh}：不能为空", f"{what.en}: must not be empty")
        return node.value

    def identifier(self, node: Node, what: Text) -> str:
        value = self.scalar(node, what, (_STR,), IDENTIFIER)
        if not value.strip():
            self.fail(node, f"{what.zh}：不能为空", f"{what.en}: must not be empty")
        return value

    def one_of(self, node: Node, what: Text, allowed: tuple[str, ...], field: str) -> str:
        """Text naming one of ``allowed`` or a word for it (whether it does, the builder
        checks)."""
        self.visit(node)
        if not isinstance(node, ScalarNode) or node.tag != _STR:
            options = expected_choice(field, allowed)
            self.expected(node, what, Text(f"以下之一：{options.zh}", f"one of: {options.en}"))
        return node.value

    def boolean(self, node: Node, what: Text) -> bool | str:
        """``true``/``false``, or a word for them (是, 否: the builder reads it)."""
        return self.scalar(node, what, (_BOOL, _STR), BOOLEAN)

    # -- the schema ---------------------------------------------------------------

    def flowchart(self, root: Node) -> Flowchart:
        top = Text("流程图", "flowchart")
        entries = self.mapping(root, top)
        if "flowgraph" not in entries:
            self.fail(root, "缺少格式版本 “flowgraph: 1”（这不是 flowgraph 流程图文件？）",
                      "missing the format version 'flowgraph: 1' (is this a flowgraph "
                      "flowchart?)")
        version_node = entries["flowgraph"][1]
        supported = ", ".join(map(str, SUPPORTED_VERSIONS))
        self.visit(version_node)
        if not (isinstance(version_node, ScalarNode) and version_node.tag == _INT):
            self.fail(version_node,
                      f"格式版本应为整数（如 `flowgraph: {supported}`），实际为"
                      f"{_describe(version_node).zh}",
                      f"the format version must be a whole number (flowgraph: {supported}), "
                      f"got {_describe(version_node).en}")
        # Constructed as YAML reads it: int() of the raw text crashed (ValueError) on
        # integers YAML 1.1 writes otherwise, such as 0x1, 0b1 or 1:00.
        if _constructor.construct_yaml_int(version_node) not in SUPPORTED_VERSIONS:
            self.fail(version_node,
                      f"不支持的格式版本 {version_node.value}；本版 flowgraph 支持版本 {supported}",
                      f"unsupported format version {version_node.value}; this flowgraph "
                      f"reads version {supported}")
        self.mapping(root, top, TOP_KEYS)  # unknown keys, after the version check
        for required in ("title", "steps"):
            if required not in entries:
                self.fail(root, f"流程图缺少必需的项 “{required}”",
                          f"the flowchart lacks the required key '{required}'")
        for key in META_KEYS:
            if key in entries:
                node = entries[key][1]
                read = self.identifier if key == "id" else self.text
                self.builder.set_meta(key, read(node, Text(f"`{key}`", key)), _place(node))
        if "actors" in entries:
            self.actors(entries["actors"][1])
        self.steps(entries["steps"][1])
        for kind in ("flow", "oversight"):
            if kind in self.plain_edges:
                self.plain(self.plain_edges[kind])
            elif kind in entries:
                self.edges(entries[kind][1], kind)
        return self.builder.build(Path(self.name).stem)

    def actors(self, node: Node) -> None:
        for actor_id, (key, value) in self.mapping(node, Text("`actors`", "actors")).items():
            what = _Part("岗位", "actor", actor_id)
            fields = self.mapping(value, what, ACTOR_KEYS)
            values = {}
            for name, (_, field) in fields.items():
                sub = _Field(what, name)
                if name == "name":
                    values[name] = self.text(field, sub)
                elif name == "rank":
                    values[name] = self.one_of(field, sub, RANKS, name)
                elif name == "reports_to":
                    values[name] = self.identifier(field, sub)
                elif name == "collective":  # a number, or 是/否 (the builder reads it)
                    values[name] = self.scalar(field, sub, (_INT, _STR, _BOOL), MEMBERS)
                else:  # oversight, public, outside
                    values[name] = self.boolean(field, sub)
            self.builder.add_actor(actor_id, _place(key, _Values(what, value, fields)),
                                   **values)

    def steps(self, node: Node) -> None:
        """The steps in the order written: those YAML composed, and those read plainly
        (:func:`_plain_steps`; then the mapping YAML composed may be empty: null)."""
        plain = self.plain_steps
        if plain and isinstance(node, ScalarNode) and node.tag == _NULL:
            entries = {}
        else:
            entries = self.mapping(node, Text("`steps`", "steps"))
        if not entries and not plain:
            self.fail(node, "`steps` 不能为空：流程图至少要有一个步骤",
                      "steps must not be empty: a flowchart has at least one step")
        add, number = self.builder.add_step, 0
        for step_id, (key, value) in entries.items():
            line = key.start_mark.line + 1
            while number < len(plain) and plain[number].line < line:
                step = plain[number]
                add(step.id, step.place(), **step.values)
                number += 1
            self.step(step_id, key, value)
        for step in plain[number:]:
            add(step.id, step.place(), **step.values)

    def step(self, step_id: str, key: Node, node: Node) -> None:
        """One step's values, checked for their YAML types, handed to the builder."""
        what = _Part("步骤", "step", step_id)
        fields = self.mapping(node, what, STEP_KEYS)
        values: dict[str, object] = {}
        stakes = waive = None
        for name, (_, value) in fields.items():
            sub = _Field(what, name)
            if name in CHOICES:
                values[name] = self.one_of(value, sub, CHOICES[name], name)
            elif name in TEXT_FIELDS:
                values[name] = self.text(value, sub)
            elif name == "actor":
                values[name] = self.identifier(value, sub)
            elif name == "stakes":
                stakes = self.mapping(value, sub, STAKES_KEYS)
                values.update(self.stakes(stakes, sub))
            elif name == "controls":
                items = self.sequence(value, sub, Text("列表，如 `[裁量基准, 集体决策]`",
                                                       "a list, e.g. [裁量基准, 集体决策]"))
                values[name] = [self.text(item, sub) for item in items]
            elif name == "declared_grade":
                values[name] = self.scalar(value, sub, (_INT, _STR), GRADE)
            elif name == "waive":
                waive = self.mapping(value, sub)
                values[name] = self.reasons(waive, sub)
            elif name == "extra":  # the unit's own columns: heading → text
                values[name] = {heading: self.text(text, _Field(sub, heading))
                                for heading, (_, text) in self.mapping(value, sub).items()}
        self.builder.add_step(step_id, _place(key, _Values(what, node, fields, stakes, waive)),
                              kind=values.pop("kind", None), **values)

    def stakes(self, fields: dict[str, tuple[ScalarNode, Node]], what: Text) -> dict:
        """The money (a number) and whether people or rights are at stake."""
        values = {}
        for name, (_, value) in fields.items():
            if name == "money":
                values[name] = self.scalar(value, _Field(what, name), (_INT, _FLOAT), MONEY)
            else:  # people, rights
                values[name] = self.boolean(value, _Field(what, name))
        return values

    def reasons(self, entries: dict[str, tuple[ScalarNode, Node]], what: Text) -> dict[str, str]:
        """The reason (text) written for each rule code of a waiver."""
        return {code: self.scalar(value, Text(f"{what.zh} {code}", f"{what.en} {code}"),
                                  (_STR,), REASON)
                for code, (_, value) in entries.items()}

    def edges(self, node: Node, kind: str) -> None:
        example = Text("列表，每项为 `[起点, 终点]` 或 `[起点, 终点, 标签]`",
                       "a list of [from, to] or [from, to, label]")
        edge = Text(f"`{kind}` 中的一条连线", f"an edge in {kind}")
        end = Text(f"`{kind}` 中的步骤", f"a step in {kind}")
        label = Text(f"`{kind}` 中连线的标签", f"an edge label in {kind}")
        for item in self.sequence(node, Text(f"`{kind}`", kind), example):
            self.visit(item)
            if not isinstance(item, SequenceNode) or len(item.value) not in (2, 3):
                self.expected(item, edge, Text("`[起点, 终点]` 或 `[起点, 终点, 标签]`",
                                               "[from, to] or [from, to, label]"))
            ends = item.value
            fields = {"from": (None, ends[0]), "to": (None, ends[1])}
            self.builder.add_edge(kind, self.identifier(ends[0], end),
                                  self.identifier(ends[1], end),
                                  _place(item, _Values(edge, item, fields)),
                                  self.text(ends[2], label) if len(ends) == 3 else None)


    def plain(self, table: EdgeTable) -> None:
        """The edges :func:`_plain_edge_lists` read, each with where it was written."""
        self.builder.add_edge_table(table, functools.partial(_PlainPlace.of, table))


class _PlainPlace:
    """Where a plainly written edge is, read like a :class:`~flowgraph.io.builder.Place`
    and made only when an error shows it: its ``[``, and each end for an error that
    points at one."""

    __slots__ = ("line", "column", "source", "target", "kind")
    context = values = None

    def __init__(self, line: int, column: int, source: str, target: str, kind: str):
        self.line, self.column = line, column
        self.source, self.target, self.kind = source, target, kind

    @classmethod
    def of(cls, table: EdgeTable, number: int) -> _PlainPlace:
        """Where the ``number``-th edge of ``table`` was written."""
        return cls(table.lines[number], table.column, table.sources[number],
                   table.targets[number], table.kind)

    def at(self, field: str, _entry: str | None = None, _key: bool = False) -> Place:
        """The source one column after the ``[``; the target after the source and
        ``, ``; the label after the target and ``, ``."""
        column = self.column + 1
        if field in ("to", "label"):
            column += len(self.source) + 2
        if field == "label":
            column += len(self.target) + 2
        return Place(self.line, column)

    def subject(self, field: str) -> _Field:
        """The field as the composed reader names it (``label of an edge in flow``)."""
        return _Field(Text(f"`{self.kind}` 中的一条连线", f"an edge in {self.kind}"), field)


class _Part:
    """A step or an actor as messages name it (``step 'd'``), formatted only when a
    message shows it (most parts of most files never need it); read like a
    :class:`~flowgraph.i18n.Text`."""

    __slots__ = ("zh_word", "en_word", "ident")

    def __init__(self, zh_word: str, en_word: str, ident: str):
        self.zh_word, self.en_word, self.ident = zh_word, en_word, ident

    @property
    def zh(self) -> str:
        return f"{self.zh_word} “{self.ident}”"

    @property
    def en(self) -> str:
        return f"{self.en_word} '{self.ident}'"


class _Field:
    """A field of a part as messages name it (``kind of step 'd'``), formatted only
    when a message shows it; read like a :class:`~flowgraph.i18n.Text`."""

    __slots__ = ("what", "name")

    def __init__(self, what, name: str):
        self.what, self.name = what, name

    @property
    def zh(self) -> str:
        return f"{self.what.zh} 的 `{self.name}`"

    @property
    def en(self) -> str:
        return f"{self.name} of {self.what.en}"


def _place(node: Node, values: _Values | None = None) -> Place:
    mark = node.start_mark
    return Place(mark.line + 1, mark.column + 1, None, values)


class _Values:
    """Where each value of one actor, step or edge was written, and how messages name
    it (:class:`~flowgraph.io.builder.ValuePlaces`): the builder asks only when a value
    is wrong, so that its error points at the value, as every YAML error does."""

    __slots__ = ("what", "node", "fields", "stakes", "waive")

    def __init__(self, what: Text, node: Node, fields: dict, stakes: dict | None = None,
                 waive: dict | None = None):
        self.what, self.node, self.fields = what, node, fields
        self.stakes, self.waive = stakes, waive

    def at(self, field: str, entry: str | None, key: bool) -> Place:
        """The value of ``field`` (of ``stakes`` for money, people and rights), or of a
        waiver's ``entry`` (its code when ``key``); the part itself when absent."""
        if entry is not None and self.waive is not None and entry in self.waive:
            found = self.waive[entry][0 if key else 1]
        elif self.stakes is not None and field in self.stakes:
            found = self.stakes[field][1]
        elif field in self.fields:
            found = self.fields[field][1]
        else:
            found = self.node
        return _place(found)

    def subject(self, field: str) -> Text:
        if field in STAKES_KEYS:
            return _Field(_Field(self.what, "stakes"), field)
        return _Field(self.what, field)
