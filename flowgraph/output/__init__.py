"""Everything flowgraph shows a user, made from results (:mod:`flowgraph.results`).

- :mod:`.text`: the terminal report of ``audit`` and ``check``;
- :mod:`.json_output`: the JSON interface (design.md §8);
- :mod:`.stats`: the batch's figures, in the shape of a city's report;
- :mod:`.ledger` and :mod:`.ledger_files`: the risk ledger (台账) as rows, then as a
  workbook or CSV;
- :mod:`.render`: annotated diagrams (Graphviz);
- :mod:`.report`: the committee report, an offline HTML folder.

Outputs read results; they never run an audit (no module here imports the batch
executor), and they write files only through :mod:`flowgraph.files`.
"""
