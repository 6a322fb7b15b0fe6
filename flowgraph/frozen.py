"""A mapping that cannot change once built, and that pickles; immutable records that
pickle fast.

The model and the policies are immutable so that derived structure can be cached
safely; ``types.MappingProxyType`` would do, but it cannot be pickled, and a batch
sends flowcharts, findings and configuration between processes (``--jobs``).
"""
from __future__ import annotations

import dataclasses
import operator


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


def pickled_by_constructor(cls: type) -> type:
    """Pickle a frozen dataclass as a call of its constructor with its fields.

    Decorates a class made by ``@dataclass(frozen=True, slots=True)`` (put it above
    that decorator). The state functions dataclasses gives a slotted class set every
    field through ``object.__setattr__`` one at a time; results cross between
    processes and into the cache as pickles, and with them unpickling a batch's
    results took twice as long (docs/performance.md). Every field must be an
    ``__init__`` argument, two or more of them.
    """
    fields = dataclasses.fields(cls)
    if len(fields) < 2 or not all(f.init for f in fields):
        raise TypeError(f"{cls.__name__}: pickled_by_constructor needs two or more "
                        f"fields, all of them __init__ arguments")
    values = operator.attrgetter(*(f.name for f in fields))

    def __reduce__(self):
        return (cls, values(self))

    cls.__reduce__ = __reduce__
    return cls
