"""The collector's pause around reading and analysing a file (flowgraph/gc_paused.py)."""
import gc
import weakref

from flowgraph.gc_paused import gc_paused


class _Node:
    def __init__(self):
        self.other = None


def test_what_the_pause_made_is_not_walked_as_young_afterwards():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        kept = [[index] for index in range(1000)]
    assert gc.isenabled()
    young = {id(item) for item in gc.get_objects(generation=0)}
    assert not any(id(item) in young for item in kept)
    assert any(item is kept[0] for item in gc.get_objects(generation=2))


def test_a_cycle_left_by_the_pause_is_still_collected():
    with gc_paused():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        watched = weakref.ref(a)
        del a, b
    assert watched() is not None  # the cycle waits for a pass
    gc.collect()
    assert watched() is None


def test_a_pause_inside_a_pause_leaves_the_collector_off():
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
