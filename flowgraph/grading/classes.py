"""The classes of power a city's report counts its power items by.

A city reports "3,656 power items in 6 categories". Charts carry the category the
unit wrote (行政许可, 行政处罚, 内部管理, 政府采购 …); the report counts them in the
classes of its power list. The default classes are the six of the power lists of the
time (行政许可, 行政处罚, 行政强制, 行政征收, 行政给付, 其他行政权力), with everything
else — inspections, confirmations, awards, rulings and the internal powers over people,
money and affairs — counted as 其他行政权力. A unit whose list has other classes sets
``power_classes`` (docs/configuration.md).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..frozen import FrozenDict

#: Each class with the words of a category that put a chart in it, tried in order.
DEFAULT_CLASSES: Mapping[str, tuple[str, ...]] = FrozenDict({
    "行政许可": ("行政许可", "许可", "资质", "核准"),
    "行政处罚": ("行政处罚", "处罚"),
    "行政强制": ("行政强制", "强制"),
    "行政征收": ("行政征收", "征收", "收费"),
    "行政给付": ("行政给付", "给付", "救助", "补助", "低保"),
})
OTHER_CLASS = "其他行政权力"


@dataclass(frozen=True)
class PowerClasses:
    """The classes a chart's category is counted in; what matches none is ``other``."""

    classes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: DEFAULT_CLASSES)
    other: str = OTHER_CLASS

    def of(self, category: str | None) -> str:
        """The class of a chart's category: the class of that name, else the first
        whose words the category holds, else :attr:`other`."""
        text = category or ""
        if text in self.classes or text == self.other:
            return text
        return next((name for name, words in self.classes.items()
                     if any(word in text for word in words)), self.other)

    @property
    def names(self) -> tuple[str, ...]:
        """Every class, in order, ``other`` last."""
        return (*self.classes, self.other)
