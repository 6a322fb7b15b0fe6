"""``python -m flowgraph``: the command line, as the ``flowgraph`` script runs it."""
from .cli import main

main()
