"""Adversarial flowcharts for the benchmarks: shapes that punish a search which is not
linear (``flowgraph generate FILE --steps N --shape NAME``).

A realistic merged chart (:func:`flowgraph.generate.chart`) is easy on the rules:
short procedures side by side. These shapes are what a rule meets in the worst case,
each with exactly ``steps`` steps, written as native YAML line by line (a 100,000-step
chart in about a second):

``modules``
    about 14,000 short licensing modules chained in sequence (acceptance, review with a
    rework loop, a decision, 准予/不予, disclosure on the 准予 branch only), one
    supervisory step watching every other decision: thousands of findings whose
    witnesses run to the far end of the chart.
``fan-out``
    one gateway fanning out to 10,000 branches (a node of degree 10,000), each a
    chain of acceptance, review and decision.
``nested-loops``
    blocks of 100 steps, each with loops nested 50 deep (step 50 − k returns from
    step 50 + k): strongly connected components inside components.
``overseer``
    one supervisory step watching every step of power: N oversight edges into one
    source.
``dense``
    every step linked to the next ten: E = 10 V.
``actors``
    5,000 posts in reporting lines of eight, steps assigned in turn, with duties and
    discretion: per-post searches multiplied by thousands of posts.

Deterministic: the same shape and size give the same bytes.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

SHAPES: dict[str, Callable[[int], Iterator[str]]] = {}


def shape(name: str):
    """Register a generator of YAML lines under ``name``."""
    def register(function):
        SHAPES[name] = function
        return function
    return register


def chart(steps: int, name: str) -> str:
    """The chart of shape ``name`` with exactly ``steps`` steps, as YAML text."""
    if steps < 3:
        raise ValueError("a chart needs at least 3 steps")
    return "".join(line + "\n" for line in SHAPES[name](steps))


def _head(title: str) -> list[str]:
    return ["flowgraph: 1", f"title: {title}", "unit: 基准测试局", "category: 行政许可"]


def _leaders() -> list[str]:
    return ["actors:",
            "  head: {name: 局长, rank: principal}",
            "  deputy: {name: 分管副局长, rank: deputy, reports_to: head}",
            "  chief: {name: 审批科科长, rank: section, reports_to: deputy}",
            "  clerk: {name: 审批科经办人, rank: staff, reports_to: chief}",
            "  inspect: {name: 派驻纪检监察组, oversight: true}"]


@shape("modules")
def _modules(steps: int) -> Iterator[str]:
    """Modules of seven steps: accept, review (rework → accept), decide, route,
    publish (准予 only) or notify the refusal (不予), join; the join leads into the
    next module."""
    yield from _head("链式许可模块")
    yield from _leaders()
    yield "steps:"
    yield "  s0: {kind: start, label: 申请}"
    yield "  watch: {kind: oversight, label: 派驻纪检监察组监督, actor: inspect}"
    flows: list[str] = []
    watched: list[str] = []
    count, previous, module = 2, "s0", 0
    while count + 7 <= steps - 1:
        m = f"m{module}"
        yield f"  {m}a: {{kind: task, label: 受理{module}, actor: clerk}}"
        yield f"  {m}r: {{kind: review, label: 审查{module}, actor: chief}}"
        yield (f"  {m}d: {{kind: decision, label: 决定{module}, actor: deputy, "
               f"discretion: medium, stakes: {{money: 500000}}}}")
        yield f"  {m}g: {{kind: gateway, label: 是否准予{module}}}"
        yield f"  {m}p: {{kind: disclosure, label: 准予公示{module}, actor: clerk}}"
        yield f"  {m}n: {{kind: task, label: 不予告知{module}, actor: clerk}}"
        yield f"  {m}j: {{kind: gateway, label: 转下一事项{module}}}"
        flows += [f"[{previous}, {m}a]", f"[{m}a, {m}r]", f"[{m}r, {m}a, 退回补正]",
                  f"[{m}r, {m}d]", f"[{m}d, {m}g]", f"[{m}g, {m}p, 准予]",
                  f"[{m}g, {m}n, 不予]", f"[{m}p, {m}j]", f"[{m}n, {m}j]"]
        if module % 2 == 0:
            watched.append(f"{m}d")
        previous, count, module = f"{m}j", count + 7, module + 1
    while count < steps - 1:
        yield f"  pad{count}: {{kind: task, label: 归档{count}, actor: clerk}}"
        flows.append(f"[{previous}, pad{count}]")
        previous, count = f"pad{count}", count + 1
    yield "  end: {kind: end, label: 办结}"
    flows.append(f"[{previous}, end]")
    yield "flow:"
    yield from (f"  - {edge}" for edge in flows)
    if watched:
        yield "oversight:"
        yield from (f"  - [watch, {step}]" for step in watched)


@shape("fan-out")
def _fan_out(steps: int) -> Iterator[str]:
    """start → gateway → 10,000 branches (fewer on a small chart) → end; each branch
    a chain of accept, review and decide in turn, decisions with discretion."""
    yield from _head("一个网关分出一万个分支")
    yield from _leaders()
    yield "steps:"
    yield "  s0: {kind: start, label: 申请}"
    yield "  g: {kind: gateway, label: 分流}"
    inner = steps - 3
    branches = min(10_000, inner)
    kinds = ("task", "review", "decision")
    actors = ("clerk", "chief", "deputy")
    lengths = [inner // branches + (b < inner % branches) for b in range(branches)]
    for b, length in enumerate(lengths):
        for i in range(length):
            extra = f", discretion: {('low', 'medium', 'high')[b % 3]}" \
                if kinds[i % 3] == "decision" or length == 1 else ""
            yield (f"  b{b}x{i}: {{kind: {kinds[i % 3] if length > 1 else 'decision'}, "
                   f"label: 分支{b}环节{i}, actor: {actors[i % 3]}{extra}}}")
    yield "  end: {kind: end, label: 办结}"
    yield "flow:"
    yield "  - [s0, g]"
    for b, length in enumerate(lengths):
        yield f"  - [g, b{b}x0]"
        for i in range(length - 1):
            yield f"  - [b{b}x{i}, b{b}x{i + 1}]"
        yield f"  - [b{b}x{length - 1}, end]"


@shape("nested-loops")
def _nested_loops(steps: int) -> Iterator[str]:
    """A chain in blocks of 100 steps; in each block step 50 + k returns to 50 − k
    (k = 1 … 49): loops nested 49 deep, the innermost first."""
    yield from _head("五十层嵌套循环")
    yield from _leaders()
    yield "steps:"
    yield "  s0: {kind: start, label: 申请}"
    inner = steps - 2
    kinds = ("task", "review", "decision")
    actors = ("clerk", "chief", "deputy")
    for i in range(1, inner + 1):
        kind = kinds[i % 3]
        extra = ", discretion: medium" if kind != "review" and i % 7 == 0 else ""
        yield f"  s{i}: {{kind: {kind}, label: 环节{i}, actor: {actors[i % 3]}{extra}}}"
    yield "  end: {kind: end, label: 办结}"
    yield "flow:"
    for i in range(inner):
        yield f"  - [s{i}, s{i + 1}]"
    yield f"  - [s{inner}, end]"
    for block in range(0, inner, 100):
        middle = block + 50
        for k in range(1, 50):
            if middle + k <= inner and middle - k >= 1:
                yield f"  - [s{middle + k}, s{middle - k}, 退回{k}]"


@shape("overseer")
def _overseer(steps: int) -> Iterator[str]:
    """A chain of steps of power, every one watched by the same supervisory step."""
    yield from _head("一个监督者监督全部环节")
    yield from _leaders()
    yield "steps:"
    yield "  s0: {kind: start, label: 申请}"
    yield "  watch: {kind: oversight, label: 全程监督, actor: inspect}"
    inner = steps - 3
    actors = ("clerk", "chief", "deputy")
    for i in range(1, inner + 1):
        yield (f"  s{i}: {{kind: decision, label: 决定{i}, actor: {actors[i % 3]}, "
               f"discretion: high, controls: [裁量基准]}}")
    yield "  end: {kind: end, label: 办结}"
    yield "flow:"
    for i in range(inner):
        yield f"  - [s{i}, s{i + 1}]"
    yield f"  - [s{inner}, end]"
    yield "oversight:"
    for i in range(1, inner + 1):
        yield f"  - [watch, s{i}]"


@shape("dense")
def _dense(steps: int) -> Iterator[str]:
    """Every step linked to the next ten (E ≈ 10 V)."""
    yield from _head("稠密交叉连接")
    yield from _leaders()
    yield "steps:"
    yield "  s0: {kind: start, label: 申请}"
    inner = steps - 2
    kinds = ("task", "review", "decision", "task")
    actors = ("clerk", "chief", "deputy", "clerk")
    for i in range(1, inner + 1):
        extra = ", discretion: low" if kinds[i % 4] != "review" and i % 5 == 0 else ""
        yield f"  s{i}: {{kind: {kinds[i % 4]}, label: 环节{i}, actor: {actors[i % 4]}{extra}}}"
    yield "  end: {kind: end, label: 办结}"
    yield "flow:"
    last = inner + 1  # the end
    for i in range(inner + 1):
        for j in range(i + 1, min(i + 11, last + 1)):
            yield f"  - [{_dense_id(i)}, {_dense_id(j, last)}]"


def _dense_id(i: int, last: int | None = None) -> str:
    return "end" if i == last else f"s{i}"


@shape("actors")
def _actors(steps: int) -> Iterator[str]:
    """5,000 posts in reporting lines of eight (a clerk, up to a section chief, up to a
    deputy), each step by the next post in turn, with duties and discretion, along a
    chain with a return every 20 steps."""
    posts = 5000
    yield from _head("五千个岗位")
    yield "actors:"
    yield "  head: {name: 局长, rank: principal}"
    for p in range(posts):
        if p % 8 == 0:
            boss = "head" if p % 64 == 0 else f"p{p - p % 64}"
            rank = "deputy" if p % 64 == 0 else "section"
        else:
            boss, rank = f"p{p - p % 8}", "staff"
        yield f"  p{p}: {{name: 岗位{p}, rank: {rank}, reports_to: {boss}}}"
    yield "steps:"
    yield "  s0: {kind: start, label: 申请}"
    inner = steps - 2
    kinds = ("task", "review", "decision")
    duties = ("apply", "approve", "execute", "record", "custody", "inspect")
    for i in range(1, inner + 1):
        extra = f", duty: {duties[i % 6]}" if i % 3 == 0 else ""
        if kinds[i % 3] != "review" and i % 4 == 0:
            extra += ", discretion: medium"
        yield (f"  s{i}: {{kind: {kinds[i % 3]}, label: 环节{i}, "
               f"actor: p{(i * 7) % posts}{extra}}}")
    yield "  end: {kind: end, label: 办结}"
    yield "flow:"
    for i in range(inner):
        yield f"  - [s{i}, s{i + 1}]"
        if i % 20 == 19:
            yield f"  - [s{i + 1}, s{i - 10}, 退回]"
    yield f"  - [s{inner}, end]"
