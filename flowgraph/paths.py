"""Reachability over a flowchart's flow graph, in linear time.

Every rule is built from breadth-first searches that record, for each node reached, the
node it was reached from. Those pointers give a shortest witness path for free, and
:func:`grow` extends a finished search when more nodes become passable, visiting only
what is newly reached: this is how the per-post rules (FG201, FG301) stay near-linear
instead of searching the whole graph once per post.
"""
from __future__ import annotations

from collections import deque
from typing import Callable, Container, Iterable, Mapping

Pointers = Mapping[str, "str | None"]


def breadth_first(sources: Iterable[str], neighbours: Mapping[str, Iterable[str]],
                  passable: Callable[[str], bool] | None = None,
                  until: Container[str] = ()) -> dict[str, str | None]:
    """Breadth-first search from ``sources``; each reached node maps to the node it
    was reached from (``None`` for a source).

    ``neighbours`` is an adjacency mapping (``graph.succ`` to search forward,
    ``graph.pred`` backward); ``passable(node)``, when given, says which nodes the
    search may enter; the search stops as soon as it enters a node of ``until``.
    O(V + E).

    Examples
    --------
    >>> succ = {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}
    >>> breadth_first(["a"], succ)
    {'a': None, 'b': 'a', 'c': 'a', 'd': 'b'}
    >>> breadth_first(["a"], succ, passable=lambda node: node != "b")
    {'a': None, 'c': 'a', 'd': 'c'}
    >>> breadth_first(["a"], succ, until={"b"})
    {'a': None, 'b': 'a'}
    """
    pointer: dict[str, str | None] = {}
    queue = deque()
    for source in sources:
        if source not in pointer:
            pointer[source] = None
            queue.append(source)
    while queue:
        node = queue.popleft()
        for other in neighbours[node]:
            if other not in pointer and (passable is None or passable(other)):
                pointer[other] = node
                if other in until:
                    return pointer
                queue.append(other)
    return pointer


def follow(pointer: Mapping[str, str | None], node: str,
           *more: Mapping[str, str | None]) -> list[str]:
    """The chain ``node, pointer[node], …`` up to a source, looking in ``more`` first.

    With the pointers of a backward search this is the path from ``node`` to the
    target; with those of a forward search, the path reversed.

    Examples
    --------
    >>> pointer = {"a": None, "b": "a", "c": "a", "d": "b"}
    >>> follow(pointer, "d")
    ['d', 'b', 'a']
    >>> follow(pointer, "x", {"x": "c"})
    ['x', 'c', 'a']
    """
    path = [node]
    lookups = (*more, pointer)
    while True:
        for table in lookups:
            if node in table:
                node = table[node]
                break
        else:
            raise KeyError(node)
        if node is None:
            return path
        path.append(node)


def grow(closure: Pointers, candidates: Iterable[str],
         towards: Mapping[str, Iterable[str]], away: Mapping[str, Iterable[str]],
         passable: Callable[[str], bool]) -> dict[str, str]:
    """Extend a finished search when ``candidates`` become passable too.

    ``closure`` holds the pointers of a search closed under ``passable``: every passable
    node with a neighbour in it (along ``towards``) is in it. Making ``candidates``
    passable as well can only add nodes; this returns the added ones with their
    pointers, leaving ``closure`` untouched. ``passable`` must accept the candidates.
    Cost: the candidates plus the nodes and edges newly reached.

    Examples
    --------
    The steps that reach the end ``e`` without passing the review ``r``; then those that
    reach it once ``r`` may be passed too:

    >>> succ = {"s": ["d", "e"], "d": ["r"], "r": ["e"], "e": []}
    >>> pred = {"s": [], "d": ["s"], "r": ["d"], "e": ["s", "r"]}
    >>> closure = breadth_first(["e"], pred, lambda node: node != "r")
    >>> closure
    {'e': None, 's': 'e'}
    >>> added = grow(closure, ["r"], succ, pred, lambda node: True)
    >>> added
    {'r': 'e', 'd': 'r'}
    >>> follow(closure, "d", added)
    ['d', 'r', 'e']
    """
    added: dict[str, str] = {}
    queue = deque()
    for node in candidates:
        if node in closure or node in added:
            continue
        for other in towards[node]:
            if other in closure or other in added:
                added[node] = other
                queue.append(node)
                break
    while queue:
        node = queue.popleft()
        for other in away[node]:
            if other not in closure and other not in added and passable(other):
                added[other] = node
                queue.append(other)
    return added


def strongly_connected(nodes: Iterable[str], successors: Mapping[str, Iterable[str]]
                       ) -> list[list[str]]:
    """The strongly connected components, sinks first (reverse topological order).

    Tarjan's algorithm, iterative (no recursion limit on long flows) and over the raw
    adjacency, O(V + E). A component downstream of another always comes before it.

    Examples
    --------
    >>> succ = {"apply": ["check"], "check": ["apply", "decide"], "decide": []}
    >>> strongly_connected(succ, succ)
    [['decide'], ['check', 'apply']]
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(successors[root]))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors[child])))
                    break
                if child in on_stack and index[child] < low[node]:
                    low[node] = index[child]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    return components
