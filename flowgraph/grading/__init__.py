"""How a grade is made (design.md §7): everything about risk grades in one place.

- :mod:`.scoring`: the suggested grade of every risk point (一级/二级/三级), with its
  score and reasons, from the scoring policy;
- :mod:`.posts`: posts (岗位) across a unit's flowcharts, their grades and the key
  posts (牛科长);
- :mod:`.responsibility`: the leader who answers for a risk point at its grade;
- :mod:`.risks`: the risk library, how abuse of power shows itself at a step
  (风险点表现形式) and the measures that prevent it (read by :mod:`.risk_file`).

Grading runs after the graph rules (their findings are risk factors) and before the
grading rules FG5xx, which compare the declared grades with the suggested ones.
"""
