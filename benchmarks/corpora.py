"""How much of the public BPMN and draw.io corpora loads, run on demand (never in the
tests; docs/formats.md, "Public corpora", has the figures).

    .venv/bin/python benchmarks/corpora.py [--miwg PATH] [--bpmnlint PATH]
                                           [--jgraph PATH] [--workdir DIR] [--show N]

Each PATH is a bare git mirror of the corpus (its files are taken from ``HEAD``) or a
folder of files already extracted:

``--miwg``      the BPMN MIWG test suite (github.com/bpmn-miwg/bpmn-miwg-test-suite):
                every ``.bpmn`` file, the tools' exports;
``--bpmnlint``  bpmnlint's test fixtures (github.com/bpmn-io/bpmnlint): every ``.bpmn``;
``--jgraph``    draw.io's diagrams (github.com/jgraph/drawio-diagrams): every
                ``.drawio`` and ``.xml`` file.

A mirror's files are written under ``--workdir`` (default a temporary folder, removed
at the end), then each file is read in process as ``flowgraph check`` reads it
(``flowgraph.io.load_all`` with the default settings: a ``.xml`` file is recognised by
its content). For each corpus the report gives the files, those loaded, the
flowcharts and warnings they gave (and how many loaded as no flowchart, every
page or process without a step), the time, and the files refused grouped by the
reason (the error message with its quoted names and numbers taken out), with
``--show`` examples of each.
"""
from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's flowgraph is measured

from flowgraph.errors import FlowgraphError  # noqa: E402
from flowgraph.io import load_all  # noqa: E402

#: The corpora: option, name, the suffixes read.
CORPORA = (("miwg", "BPMN MIWG test suite", (".bpmn",)),
           ("bpmnlint", "bpmnlint test fixtures", (".bpmn",)),
           ("jgraph", "jgraph/drawio-diagrams", (".drawio", ".xml")))
#: The mirrors fetched for the issue, where the options are not given.
MIRRORS = {"miwg": "/work/.mirror/bpmn-miwg+bpmn-miwg-test-suite/repo",
           "bpmnlint": "/work/.mirror/bpmn-io+bpmnlint/repo",
           "jgraph": "/work/.mirror/jgraph+drawio-diagrams/repo"}


def is_mirror(path: Path) -> bool:
    """A bare git repository (``HEAD`` and ``objects`` at its top)."""
    return (path / "HEAD").is_file() and (path / "objects").is_dir()


def extract(mirror: Path, suffixes: tuple[str, ...], into: Path) -> list[Path]:
    """The files of ``HEAD`` ending in ``suffixes`` (in any case), written under
    ``into`` with their paths; in the repository's order."""
    listing = subprocess.run(["git", "-C", str(mirror), "ls-tree", "-r", "-z", "HEAD"],
                             capture_output=True, check=True).stdout
    wanted = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        info, _, name = entry.partition(b"\t")
        _, kind, blob = info.split()
        path = name.decode("utf-8", "surrogateescape")
        if kind == b"blob" and path.lower().endswith(suffixes):
            wanted.append((blob.decode(), path))
    blobs = subprocess.run(["git", "-C", str(mirror), "cat-file", "--batch"],
                           input=b"".join(f"{blob}\n".encode() for blob, _ in wanted),
                           capture_output=True, check=True).stdout
    files, at = [], 0
    for _, path in wanted:
        header_end = blobs.index(b"\n", at)
        size = int(blobs[at:header_end].split()[2])
        content = blobs[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        files.append(target)
    return files


def reason(error: FlowgraphError) -> str:
    """An error's message as a group: quoted names, element ids and numbers taken out."""
    text = error.message.en
    text = re.sub(r"<(\w+) id=[^>]*>", r"<\1 …>", text)
    text = re.sub(r"(?<![\w'])'[^']*'(?!\w)|\"[^\"]*\"|“[^”]*”", "'…'", text)
    text = re.sub(r"\S+ → \S+", "… → …", text)
    return re.sub(r"\d[\d,.]*", "N", text)


def measure(files: list[Path], base: Path) -> dict:
    """Each file read as ``flowgraph check`` reads it: loaded or refused (why)."""
    loaded = charts = warnings = empty = 0
    refused: dict[str, list[str]] = collections.defaultdict(list)
    warned: collections.Counter = collections.Counter()
    began = time.perf_counter()
    for path in files:
        try:
            read = load_all(path)
        except FlowgraphError as error:
            refused[reason(error)].append(str(path.relative_to(base)))
            continue
        except Exception as exc:  # noqa: BLE001 - a crash is a finding of the benchmark
            refused[f"internal error: {type(exc).__name__}: {exc}"].append(
                str(path.relative_to(base)))
            continue
        loaded += 1
        charts += len(read)
        empty += not read
        for told in (read.warnings, *(chart.warnings for chart in read)):
            warnings += len(told)
            warned.update(reason(w) for w in told)
    return {"files": len(files), "loaded": loaded, "charts": charts, "empty": empty,
            "warnings": warnings, "warned": warned, "refused": refused,
            "seconds": time.perf_counter() - began}


def report(name: str, figures: dict, show: int) -> None:
    files, loaded = figures["files"], figures["loaded"]
    share = 100 * loaded / files if files else 0
    print(f"## {name}\n")
    print(f"{files} files, {loaded} loaded ({share:.1f} %; {figures['empty']} of them with "
          f"no step: no flowchart and a warning), {figures['charts']} flowcharts, "
          f"{figures['warnings']} warnings, {figures['seconds']:.1f} s\n")
    if figures["refused"]:
        print("| refused | files | for example |\n|---|---|---|")
        for why, paths in sorted(figures["refused"].items(), key=lambda i: -len(i[1])):
            print(f"| {why} | {len(paths)} | {'; '.join(paths[:show])} |")
        print()
    if figures["warned"]:
        print("| warning | times |\n|---|---|")
        for why, count in figures["warned"].most_common(15):
            print(f"| {why} | {count} |")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for option, name, _ in CORPORA:
        parser.add_argument(f"--{option}", type=Path, default=None,
                            help=f"{name}: a bare git mirror or a folder of its files")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where mirrors' files are written (default: a temporary folder)")
    parser.add_argument("--show", type=int, default=3, help="examples of each refusal")
    args = parser.parse_args()
    given = {option for option, _, _ in CORPORA if getattr(args, option) is not None}
    with tempfile.TemporaryDirectory(prefix="flowgraph-corpora-") as temporary:
        workdir = args.workdir or Path(temporary)
        for option, name, suffixes in CORPORA:
            source = getattr(args, option) or (None if given else Path(MIRRORS[option]))
            if source is None or not source.exists():
                continue
            if is_mirror(source):
                base = workdir / option
                files = extract(source, suffixes, base)
            else:
                base = source
                files = sorted(p for p in source.rglob("*")
                               if p.is_file() and p.name.lower().endswith(suffixes))
            report(name, measure(files, base), args.show)


if __name__ == "__main__":
    main()
