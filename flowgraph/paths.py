"""Reachability over a flowchart's flow graph, in linear time.

Every rule is built from breadth-first searches that record, for each node reached, the
node it was reached from. Those pointers give a shortest witness path for free, and
:func:`grow` extends a finished search when more nodes become passable, visiting only
what is newly reached: this is how the per-post rules (FG201, FG301) stay near-linear
instead of searching the whole graph once per post.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice, pairwise

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
    refused: set[str] = set()  # asked once each: a dense chart offers a node many times
    queue = deque()
    for source in sources:
        if source not in pointer:
            pointer[source] = None
            queue.append(source)
    while queue:
        node = queue.popleft()
        for other in neighbours[node]:
            if other in pointer or other in refused:
                continue
            if passable is None or passable(other):
                pointer[other] = node
                if other in until:
                    return pointer
                queue.append(other)
            else:
                refused.add(other)
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
    seen = set(added)  # added or refused: each node is asked once, with one lookup
    while queue:
        node = queue.popleft()
        for other in away[node]:
            if other in closure or other in seen:
                continue
            seen.add(other)
            if passable(other):
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


#: The depths of the anchors a tree keeps for its nodes: the last ``reach + 1`` steps of
#: a chain are read from its node ``reach`` pointers below the source. Messages name at
#: most the last few steps of a path (:data:`SHORT_REACH`), the JSON document its first
#: fifty (:data:`LONG_REACH`).
SHORT_REACH = 8
LONG_REACH = 64


class PointerTree:
    """The pointers of one search, shared by every witness path read from it.

    ``pointers`` maps each node a search reached to the node it was reached from
    (``None`` for a source), in the order the search reached them, as
    :func:`breadth_first` and :func:`grow` return them; ``under`` is the tree a grown
    search extends (the ``closure`` :func:`grow` was given): a node's pointer is looked
    up here first, then there. A path is the chain ``node, pointer[node], …`` up to a
    source (towards an end for a backward search; reversed for a forward one).

    Many findings share one tree: each holds a node and the tree, never a copy of its
    path, so the witnesses of all findings of a rule cost O(V) together instead of
    O(V) each (issue 14). Lengths and the last steps of a path, which messages name,
    come from passes over the pointers (:meth:`depth`, :meth:`tail`): parents are
    reached before their children, so a pass meets every parent first. One pass
    gives every depth; one for each reach a tail is asked at (:meth:`tail`) gives
    each node its anchor there, from which the chain's last nodes are read.
    """

    __slots__ = ("pointers", "under", "_depth", "_anchors")

    def __init__(self, pointers: Mapping[str, str | None], under: PointerTree | None = None):
        self.pointers = pointers
        self.under = under
        self._depth: dict[str, int] | None = None
        self._anchors: dict[int, dict[str, str]] = {}

    def __getstate__(self):
        return (self.pointers, self.under)

    def __setstate__(self, state) -> None:
        self.__init__(*state)

    def _owner(self, node: str) -> PointerTree:
        """The tree (this one or one it extends) that holds ``node``'s pointer."""
        tree = self
        while node not in tree.pointers:
            tree = tree.under
            if tree is None:
                raise KeyError(node)
        return tree

    def parent(self, node: str) -> str | None:
        return self._owner(node).pointers[node]

    def chain(self, node: str) -> Iterator[str]:
        """``node`` and its pointers up to the source. A chain that leaves a tree for
        the one it extends never comes back (a grown search only adds nodes whose
        pointers lead into the closure or to nodes it added before)."""
        tree = self
        while tree is not None:
            pointers = tree.pointers
            while node in pointers:
                yield node
                node = pointers[node]
                if node is None:
                    return
            tree = tree.under
        raise KeyError(node)

    def depth(self, node: str) -> int:
        """The number of pointers from ``node`` to its source (0 for a source)."""
        tree = self
        while node not in tree.pointers:
            tree = tree.under
            if tree is None:
                raise KeyError(node)
        return (tree._depth or tree._depths())[node]

    def _depths(self) -> dict[str, int]:
        if self._depth is None:
            depth: dict[str, int] = {}
            pointers, under = self.pointers, self.under
            for node, parent in pointers.items():
                if parent is None:
                    depth[node] = 0
                elif parent in depth:
                    depth[node] = depth[parent] + 1
                else:
                    depth[node] = under.depth(parent) + 1
            self._depth = depth
        return self._depth

    def anchor(self, node: str, reach: int) -> str | None:
        """The node ``reach`` pointers below the source on ``node``'s chain, or None
        when the chain is shorter."""
        return self._owner(node)._anchor_table(reach).get(node)

    def _anchor_table(self, reach: int) -> dict[str, str]:
        """Every node's anchor at ``reach``, in one pass (a node's is its parent's)."""
        table = self._anchors.get(reach)
        if table is None:
            table = {}
            depths, pointers, under = self._depths(), self.pointers, self.under
            for node, parent in pointers.items():
                depth = depths[node]
                if depth > reach:
                    table[node] = table[parent] if parent in pointers \
                        else under.anchor(parent, reach)
                elif depth == reach:
                    table[node] = node
            self._anchors[reach] = table
        return table

    def head(self, node: str, count: int) -> list[str]:
        """The first ``count`` nodes of the chain from ``node`` (a loop rather than
        :meth:`chain`'s generator: messages and the JSON document ask for millions)."""
        found: list[str] = []
        tree = self
        while tree is not None:
            pointers = tree.pointers
            while count and node in pointers:
                found.append(node)
                count -= 1
                node = pointers[node]
                if node is None:
                    return found
            if not count:
                return found
            tree = tree.under
        raise KeyError(node)

    def tail(self, node: str, count: int) -> list[str]:
        """The last ``count`` nodes of the chain from ``node`` (all of it if shorter),
        read from ``node``'s anchor at :data:`SHORT_REACH` or :data:`LONG_REACH`,
        whichever holds them (walking no more than that reach), or from the whole chain
        past them."""
        reach = SHORT_REACH if count <= SHORT_REACH + 1 else LONG_REACH
        if count > reach + 1:
            return list(self.chain(node))[-count:]
        anchor = self.anchor(node, reach)
        return self.head(anchor if anchor is not None else node, reach + 1)[-count:]


@dataclass(frozen=True, slots=True)
class Chain:
    """A part of a witness read from a tree: the chain from ``node`` to its source,
    root first when ``reverse``, without its first ``skip`` nodes (a forward part)."""

    tree: PointerTree
    node: str
    reverse: bool = False
    skip: int = 0

    def __len__(self) -> int:
        return self.tree.depth(self.node) + 1 - self.skip

    def __iter__(self) -> Iterator[str]:
        if self.reverse:
            nodes = list(self.tree.chain(self.node))
            nodes.reverse()
            return iter(nodes[self.skip:])
        return islice(self.tree.chain(self.node), self.skip, None)

    def head(self, count: int) -> list[str]:
        if self.reverse:
            nodes = self.tree.tail(self.node, count + self.skip)
            nodes.reverse()
            return nodes[self.skip:]
        return self.tree.head(self.node, count + self.skip)[self.skip:]

    def tail(self, count: int) -> list[str]:
        count = min(count, len(self))
        if self.reverse:
            nodes = self.tree.head(self.node, count)
            nodes.reverse()
            return nodes
        return self.tree.tail(self.node, count)


class Witness(Sequence):
    """The path (or steps) that proves a finding, read lazily from shared trees.

    A witness is a sequence of parts: tuples of steps written out, and :class:`Chain`
    parts that name a node of a :class:`PointerTree`. It behaves as a sequence of step
    ids (length, iteration, indexing, equality with a tuple or list), and gives its
    :meth:`head` and :meth:`tail` in time proportional to what is asked, not to its
    length: a rule makes thousands of witnesses of tens of thousands of steps each
    without copying any of them.
    """

    __slots__ = ("parts", "_length")

    def __init__(self, *parts: tuple[str, ...] | Chain):
        self.parts = tuple(part if isinstance(part, Chain) else tuple(part)
                           for part in parts if isinstance(part, Chain) or len(part))
        self._length: int | None = None

    @classmethod
    def of(cls, steps: Witness | Iterable[str]) -> Witness:
        """A witness from a witness (itself) or from steps written out."""
        return steps if isinstance(steps, Witness) else cls(tuple(steps))

    @classmethod
    def down(cls, tree: PointerTree, node: str, skip: int = 0) -> Witness:
        """The chain from ``node`` to its source (a backward search: towards an end)."""
        return cls._of_chain(Chain(tree, node, False, skip))

    @classmethod
    def up(cls, tree: PointerTree, node: str) -> Witness:
        """The chain from its source to ``node`` (a forward search: from a start)."""
        return cls._of_chain(Chain(tree, node, True))

    @classmethod
    def _of_chain(cls, chain: Chain) -> Witness:
        """A witness of one chain, made without :meth:`__init__`'s sorting of parts
        (rules make one for each of tens of thousands of findings)."""
        witness = cls.__new__(cls)
        witness.parts, witness._length = (chain,), None
        return witness

    def __add__(self, other: Witness) -> Witness:
        return Witness(*self.parts, *Witness.of(other).parts)

    def __getstate__(self):
        return self.parts

    def __setstate__(self, parts) -> None:
        self.parts = parts
        self._length = None

    def __len__(self) -> int:
        if self._length is None:
            self._length = sum(len(part) for part in self.parts)
        return self._length

    def __iter__(self) -> Iterator[str]:
        for part in self.parts:
            yield from part

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self)[index]
        if 0 <= index < 64 or -SHORT_REACH - 1 <= index < 0:  # the ends, read without a length
            found = self.head(index + 1) if index >= 0 else self.tail(-index)
            if len(found) <= index or len(found) < -index:
                raise IndexError(index)
            return found[index] if index >= 0 else found[0]
        length = len(self)
        if index < 0:
            index += length
        if not 0 <= index < length:
            raise IndexError(index)
        if index < 64:
            return self.head(index + 1)[index]
        if length - index <= LONG_REACH + 1:
            return self.tail(length - index)[0]
        return tuple(self)[index]

    def head(self, count: int) -> list[str]:
        """The first ``count`` steps (all of them if fewer)."""
        found: list[str] = []
        for part in self.parts:
            if len(found) >= count:
                break
            found += part[:count - len(found)] if isinstance(part, tuple) \
                else part.head(count - len(found))
        return found

    def tail(self, count: int) -> list[str]:
        """The last ``count`` steps (all of them if fewer)."""
        found: list[str] = []
        for part in reversed(self.parts):
            if len(found) >= count:
                break
            wanted = count - len(found)
            found = (list(part[-wanted:]) if isinstance(part, tuple)
                     else part.tail(wanted)) + found
        return found

    def __eq__(self, other) -> bool:
        if isinstance(other, (Witness, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((len(self), *self.head(4)))

    def __repr__(self) -> str:
        if len(self) <= 12:
            return f"Witness({tuple(self)!r})"
        return f"Witness({tuple(self.head(6))!r} … {tuple(self.tail(3))!r}, {len(self)} steps)"


def covered(witnesses: Iterable[Witness]) -> tuple[set[str], set[tuple[str, str]]]:
    """Every step and every consecutive pair of steps of the given witnesses: what a
    diagram highlights. Linear in the trees, not in the sum of the paths: the walk up a
    tree stops at a node it has already walked from, since the rest of that chain is
    the same for everyone."""
    nodes: set[str] = set()
    edges: set[tuple[str, str]] = set()
    walked: set[tuple[int, str]] = set()
    for witness in witnesses:
        last = None
        for part in witness.parts:
            if isinstance(part, tuple):
                first, end = part[0], part[-1]
                nodes.update(part)
                edges.update(pairwise(part))
            else:
                first, end = _cover_chain(part, nodes, edges, walked)
            if last is not None and last != first:
                edges.add((last, first))
            last = end
    return nodes, edges


def _cover_chain(part: Chain, nodes: set, edges: set, walked: set) -> tuple[str, str]:
    """Add a chain's steps and edges (the nodes it skips too: they end the part before
    it); its first and last steps in path order."""
    tree = part.tree
    for node in tree.chain(part.node):
        key = (id(tree), node)
        if key in walked:
            break
        walked.add(key)
        nodes.add(node)
        parent = tree.parent(node)
        if parent is not None:
            edges.add((parent, node) if part.reverse else (node, parent))
    source = tree.tail(part.node, 1)[0]
    if part.reverse:
        return source, part.node
    return tree.head(part.node, part.skip + 1)[-1], source
