"""Headless Chromium for the tests that open flowgraph's output in a real browser (the
report, and the BPMN it writes in bpmn-js): where it is, and how it is run."""
from __future__ import annotations

import shutil
import subprocess

#: The browser, or None when none is installed.
BROWSER = next((shutil.which(name) for name in ("chromium", "chromium-browser",
                                                 "google-chrome") if shutil.which(name)), None)


def chromium(*args, timeout=60):
    """Run headless Chromium with the network cut off; its output read as UTF-8."""
    command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
               "--disable-background-networking", "--no-first-run", *args]
    return subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace",
                          timeout=timeout)
