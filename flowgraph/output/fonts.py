"""The fonts Graphviz draws with, found without a warning on every diagram.

The pygraphviz wheel bundles its own Fontconfig (2.13.1), older than the system's.
When it starts it reads the system's configuration (``/etc/fonts``), which it
understands, and then parses every file of the template folder
``/usr/share/fontconfig/conf.avail`` for their descriptions, whether they are in use
or not. Debian's newer Fontconfig ships a template there with an element the old one
does not know (``<reset-dirs/>`` in ``05-reset-dirs-sample.conf``), so every process
that drew a diagram printed::

    Fontconfig warning: "/usr/share/fontconfig/conf.avail/05-reset-dirs-sample.conf",
    line 6: unknown element "reset-dirs"

No ``FONTCONFIG_FILE`` avoids it: the templates are parsed whatever the configuration.
The one setting the old library offers is ``FONTCONFIG_SYSROOT``, a folder its paths
are read under. :func:`quiet_fontconfig` points it at a private folder that mirrors
the whole file system by symbolic links except ``/usr/share/fontconfig``: the same
configuration, fonts and caches (the same bytes are drawn), no templates to parse.
Nothing written to standard error is filtered, so a real Fontconfig or Graphviz error
is still shown; and a setting the user made (``FONTCONFIG_FILE``, ``FONTCONFIG_PATH``
or ``FONTCONFIG_SYSROOT``) is left alone, as is a pygraphviz built on the system's own
Fontconfig.
"""
from __future__ import annotations

import os

#: The folder whose templates the bundled Fontconfig parses, hidden from it.
TEMPLATES = ("usr", "share", "fontconfig")
SETTINGS = ("FONTCONFIG_SYSROOT", "FONTCONFIG_FILE", "FONTCONFIG_PATH")


def bundles_fontconfig() -> bool:
    """Whether the installed pygraphviz carries its own Fontconfig (a wheel does,
    in ``pygraphviz.libs`` beside the package)."""
    from importlib.util import find_spec
    spec = find_spec("pygraphviz")
    if spec is None or not spec.origin:
        return False
    libs = os.path.join(os.path.dirname(os.path.dirname(spec.origin)), "pygraphviz.libs")
    return os.path.isdir(libs) and any(name.startswith("libfontconfig")
                                       for name in os.listdir(libs))


def quiet_fontconfig() -> None:
    """Set ``FONTCONFIG_SYSROOT`` to a mirror of the file system without the template
    folder, before Fontconfig first starts in this process (it reads the variable
    once); worker processes inherit it. Does nothing when the user set Fontconfig's
    variables, when pygraphviz uses the system's Fontconfig, or when there are no
    templates to hide."""
    if any(os.environ.get(name) for name in SETTINGS) or not bundles_fontconfig() \
            or not os.path.isdir(os.path.join(os.sep, *TEMPLATES)):
        return
    os.environ["FONTCONFIG_SYSROOT"] = _mirror()


def _mirror() -> str:
    """A new private folder of symbolic links to every entry of ``/``, descending
    along :data:`TEMPLATES` and leaving its last part out; removed when the process
    exits."""
    import atexit
    import shutil
    import tempfile
    root = tempfile.mkdtemp(prefix="flowgraph-fonts-")
    atexit.register(shutil.rmtree, root, True)
    source, target = os.sep, root
    for depth, part in enumerate(TEMPLATES):
        for name in sorted(os.listdir(source)):
            if name != part:
                os.symlink(os.path.join(source, name), os.path.join(target, name))
        source, target = os.path.join(source, part), os.path.join(target, part)
        if depth < len(TEMPLATES) - 1:
            os.mkdir(target)
    return root
