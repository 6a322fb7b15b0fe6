"""A mapping that cannot change once built, and that pickles.

The model and the policies are immutable so that derived structure can be cached
safely; ``types.MappingProxyType`` would do, but it cannot be pickled, and a batch
sends flowcharts, findings and configuration between processes (``--jobs``).
"""
from __future__ import annotations


class FrozenDict(dict):
    """A read-only dict: every mutating method raises TypeError."""

    __slots__ = ()

    def _read_only(self, *_args, **_kwargs):
        raise TypeError(f"{type(self).__name__} is read-only")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __reduce__(self):
        return (type(self), (dict(self),))

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"
