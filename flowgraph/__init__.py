"""flowgraph: graph analysis of power-operation flowcharts (权力运行流程图).

The library API::

    import flowgraph
    chart = flowgraph.load("flowcharts/land-transfer.yaml")   # a Flowchart
    chart.graph                                               # its networkx MultiDiGraph
    for finding in flowgraph.audit(chart):                    # Finding objects
        print(finding.rule, finding.steps, finding.message("zh"), finding.witness)

Names are imported on first use, so that ``import flowgraph`` (and the command line's
start-up) stays cheap.
"""
from importlib import import_module

from .version import __version__

_EXPORTS = {
    "load": "flowgraph.io", "load_all": "flowgraph.io",
    "loads": "flowgraph.io.yaml_format",
    "audit": "flowgraph.analysis",
    "audit_paths": "flowgraph.batch",
    "Config": "flowgraph.config", "load_config": "flowgraph.config",
    "Policy": "flowgraph.policy",
    "Flowchart": "flowgraph.model", "Step": "flowgraph.model", "Actor": "flowgraph.model",
    "Edge": "flowgraph.model", "Finding": "flowgraph.model",
    "FlowgraphError": "flowgraph.errors", "LoadError": "flowgraph.errors",
    "RULES": "flowgraph.rules",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'flowgraph' has no attribute {name!r}")
