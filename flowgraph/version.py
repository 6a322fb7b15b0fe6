"""The version of flowgraph: the package, the CLI's --version and the cache key."""

__version__ = "0.1.0"
