#!/usr/bin/env python3
"""Latency of `quest lsp` diagnostics after an edit on the generated package
(bench/gen_package.py: 500 missions, 300 rules, 400 items… at scale 1): the
time from sending didChange to reading its publishDiagnostics, for an edit
that keeps the package clean and one that introduces an error.
Usage: bench/lsp_bench.py [QUEST] [SCALE] [EDITS]"""
import pathlib, shutil, statistics, subprocess, sys, tempfile, time

here = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(here.parent / "tests" / "lsp"))
from lsp_client import LspClient, uri  # noqa: E402

quest = sys.argv[1] if len(sys.argv) > 1 else "build/quest"
scale = sys.argv[2] if len(sys.argv) > 2 else "1"
edits = int(sys.argv[3]) if len(sys.argv) > 3 else 20

tmp = pathlib.Path(tempfile.mkdtemp())
try:
    subprocess.run([sys.executable, str(here / "gen_package.py"), str(tmp), scale], check=True)
    target = tmp / "missions.quest"
    text = target.read_text()
    lines = sum(len(f.read_text().splitlines()) for f in tmp.glob("*.quest"))
    client = LspClient(quest)
    client.initialize(tmp)
    start = time.monotonic()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri(target), "languageId": "quest",
                                                            "version": 0, "text": text}})
    first = client.diagnostics(target, timeout=120)
    open_ms = (time.monotonic() - start) * 1000
    assert first == [], first[:3]

    def timed(new_text, version):
        t0 = time.monotonic()
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri(target), "version": version},
                                                 "contentChanges": [{"text": new_text}]})
        diags = client.diagnostics(target, timeout=60)
        client.drop_notifications()
        return (time.monotonic() - t0) * 1000, diags

    clean, broken = [], []
    for i in range(edits):
        ms, diags = timed(text.replace(">= 30", ">= %d" % (31 + i), 1), 2 * i + 1)
        assert diags == [], diags[:3]
        clean.append(ms)
        ms, diags = timed(text + "\nsegment oops = no_such_metric > 1\n", 2 * i + 2)
        assert diags, "the introduced error was not reported"
        broken.append(ms)
    client.finish()

    def row(name, xs):
        print("%-28s %8.1f %8.1f %8.1f" % (name, min(xs), statistics.median(xs), max(xs)))
    print("package: scale %s, %d files, %d lines; %d edits of each kind" %
          (scale, len(list(tmp.glob("*.quest"))), lines, edits))
    print("didOpen (cold: read, parse, check all): %.1f ms" % open_ms)
    print("%-28s %8s %8s %8s" % ("edit -> diagnostics (ms)", "min", "median", "max"))
    row("clean edit (type-checks)", clean)
    row("edit with an error", broken)
finally:
    shutil.rmtree(tmp)
