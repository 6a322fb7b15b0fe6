"""A reviewed batch: every file's results together with what spans flowcharts.

The grades of steps come from each flowchart alone; the posts, their grades over a
unit and the responsible leaders need the whole batch (a unit's principal leader may be
declared in one flowchart and a post in another). :class:`Review` holds both, so that
the JSON output, the ledger and the statistics agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from .batch import ChartResult, FileResult
from .config import Config
from .posts import Post, UnitIndex, unit_key
from .responsibility import Responsible


@dataclass
class Review:
    """The results of a batch, its posts and the index that names their leaders."""

    results: list[FileResult]
    posts: list[Post]
    index: UnitIndex

    @classmethod
    def of(cls, results: Iterable[FileResult], config: Config | None = None) -> "Review":
        config = config or Config()
        results = list(results)
        index = UnitIndex(config.policy, config.key_posts)
        for result in results:
            for chart in result.charts:
                index.add(chart)
        return cls(results, index.finish(), index)

    def charts(self) -> Iterator[tuple[str, ChartResult]]:
        """Every flowchart read, with the file it came from, in batch order."""
        for result in self.results:
            for chart in result.charts:
                yield result.path, chart

    def post_of(self, chart: ChartResult, step_id: str) -> str | None:
        """The title of the post that performs a step (its actor id if undeclared)."""
        step = chart.flowchart.steps[step_id]
        if step.actor is None:
            return None
        actor = chart.flowchart.actors.get(step.actor)
        return actor.name if actor is not None else step.actor

    def responsible_for(self, chart: ChartResult, step_id: str) -> Responsible | None:
        """The leader responsible for a risk point, by its suggested grade."""
        graded = chart.grades.get(step_id)
        if graded is None or graded.grade is None:
            return None
        return self.index.responsible(unit_key(chart.flowchart), self.post_of(chart, step_id),
                                      graded.grade)
