#!/usr/bin/env python3
"""quest lsp against examples/casino (a copy): diagnostics appear for an
introduced error and clear after the fix; hover, definition, references,
completion in three contexts, rename; malformed frames and JSON are answered
with errors and the server lives on; shutdown/exit give exit code 0, exit
without shutdown 1. Usage: lsp_test.py QUEST REPO_ROOT"""
import pathlib, re, shutil, sys, tempfile

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from lsp_client import LspClient, uri  # noqa: E402

quest, root = sys.argv[1], pathlib.Path(sys.argv[2])
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def position_of(path, word, nth=0):
    """0-based (line, character) of the nth whole-word `word` outside comments."""
    seen = 0
    for ln, line in enumerate(path.read_text().splitlines()):
        code = line.split("//")[0]
        for m in re.finditer(r"\b%s\b" % re.escape(word), code):
            if seen == nth:
                return ln, m.start()
            seen += 1
    raise AssertionError("%s not in %s" % (word, path))


def uses(folder, word):
    return sum(len(re.findall(r"\b%s\b" % re.escape(word), line.split("//")[0]))
               for f in sorted(folder.glob("*.quest")) for line in f.read_text().splitlines())


def at(path, line, character):
    return {"textDocument": {"uri": uri(path)}, "position": {"line": line, "character": character}}


tmp = pathlib.Path(tempfile.mkdtemp())
try:
    pkg = tmp / "casino"
    shutil.copytree(root / "examples" / "casino", pkg)
    segments, metrics, missions = pkg / "segments.quest", pkg / "metrics.quest", pkg / "missions.quest"
    client = LspClient(quest)
    caps = client.initialize(pkg)["result"]["capabilities"]
    check(caps.get("hoverProvider") and caps.get("renameProvider") and caps["textDocumentSync"]["change"] == 1,
          "initialize: capabilities")

    # ---------------------------------------------------------- diagnostics
    text = segments.read_text()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri(segments), "languageId": "quest",
                                                            "version": 1, "text": text}})
    check(client.diagnostics(segments) == [], "didOpen: a clean file has no diagnostics")
    broken = text.replace("deposits_30d >= 1000", "deposits_31d >= 1000")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(segments), "version": 2},
                                             "contentChanges": [{"text": broken}]})
    diags = client.diagnostics(segments)
    line, _ = position_of(segments, "high_roller")
    check(len(diags) >= 1 and diags[0]["severity"] == 1 and diags[0]["range"]["start"]["line"] == line
          and "deposits_31d" in diags[0]["message"] and diags[0]["code"].startswith("Q"),
          "didChange: an unknown name is an error on its line (%s)" % (diags[:1],))
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(segments), "version": 3},
                                             "contentChanges": [{"text": text}]})
    check(client.diagnostics(segments) == [], "didChange: the fix clears the diagnostics")
    client.drop_notifications()

    # ---------------------------------------------------------- hover
    line, ch = position_of(missions, "welcome_journey", 1)   # `unlock after mission welcome_journey`
    hover = client.request("textDocument/hover", at(missions, line, ch + 2))["result"]
    value = hover["contents"]["value"] if hover else ""
    check('mission welcome_journey "Welcome Journey"' in value and "The welcome journey" in value,
          "hover: a mission's signature and doc comment (%r)" % value)
    line, ch = position_of(segments, "deposits_30d")
    hover = client.request("textDocument/hover", at(segments, line, ch))["result"]
    check(hover and "metric deposits_30d: decimal" in hover["contents"]["value"], "hover: a metric's type")
    line, ch = position_of(segments, "kyc_verified")
    hover = client.request("textDocument/hover", at(segments, line, ch))["result"]
    check(hover and "profile.kyc_verified: bool" in hover["contents"]["value"], "hover: a profile field's type")

    # ---------------------------------------------------------- definition, references
    line, ch = position_of(segments, "deposits_30d")
    loc = client.request("textDocument/definition", at(segments, line, ch + 3))["result"]
    dline, dch = position_of(metrics, "deposits_30d")
    check(loc and loc["uri"] == uri(metrics) and loc["range"]["start"] == {"line": dline, "character": dch},
          "definition: the metric's declaration in metrics.quest")
    params = at(segments, line, ch)
    params["context"] = {"includeDeclaration": True}
    refs = client.request("textDocument/references", params)["result"]
    check(len(refs) == uses(pkg, "deposits_30d") and len({r["uri"] for r in refs}) >= 3,
          "references: %d uses of deposits_30d (expected %d)" % (len(refs), uses(pkg, "deposits_30d")))
    line, ch = position_of(metrics, "amount")
    refs = client.request("textDocument/references", dict(at(metrics, line, ch), context={"includeDeclaration": False}))["result"]
    check(refs and all(r["range"]["end"]["character"] - r["range"]["start"]["character"] == 6 for r in refs),
          "references: an event field's uses cover the field name only (%d)" % len(refs or []))

    # ---------------------------------------------------------- completion
    def complete(new_text, path=segments):
        lines = new_text.split("\n")
        marker = [i for i, l in enumerate(lines) if "@" in l][0]
        ch = lines[marker].index("@")
        lines[marker] = lines[marker].replace("@", "")
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri(path), "version": 9},
                                                 "contentChanges": [{"text": "\n".join(lines)}]})
        client.diagnostics(path)
        result = client.request("textDocument/completion", at(path, marker, ch))["result"]
        return {i["label"] for i in result["items"]}

    labels = complete(text + "\nsegment probe = deposit.@\n")
    check({"amount", "method", "first", "ts", "user"} <= labels and "deposits_30d" not in labels,
          "completion: event fields after `deposit.`")
    labels = complete(text + "\nsegment probe = dep@\n")
    check({"deposits_30d", "depositor", "deposit"} <= labels and "mission" not in labels,
          "completion: declared names in an expression")
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri(missions), "languageId": "quest",
                                                            "version": 1, "text": missions.read_text()}})
    client.diagnostics(missions)
    labels = complete(missions.read_text() + "\nmission probe {\n  @\n}\n", missions)
    check({"recurring", "task", "reward", "audience"} <= labels and "award" not in labels,
          "completion: mission clause keywords at a line start")
    labels = complete(missions.read_text() + "\nmission probe {\n  reward {\n    aw@\n  }\n}\n", missions)
    check({"award", "give mission"} <= labels, "completion: statement keywords in a block")
    labels = complete(text + "\n@\n")
    check({"metric", "segment", "mission"} <= labels, "completion: declaration keywords at top level")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(segments), "version": 10},
                                             "contentChanges": [{"text": text}]})
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(missions), "version": 10},
                                             "contentChanges": [{"text": missions.read_text()}]})
    client.diagnostics(missions)
    client.drop_notifications()

    # ---------------------------------------------------------- rename
    line, ch = position_of(segments, "deposits_30d")
    edit = client.request("textDocument/rename", dict(at(segments, line, ch), newName="deposits_month"))["result"]
    changes = edit["changes"] if edit else {}
    edits = sum(len(v) for v in changes.values())
    check(edits == uses(pkg, "deposits_30d") and uri(metrics) in changes and uri(pkg / "flows.quest") in changes
          and all(e["newText"] == "deposits_month" for v in changes.values() for e in v),
          "rename: %d edits over %d files" % (edits, len(changes)))
    bad = client.request("textDocument/rename", dict(at(segments, line, ch), newName="mission"))
    check("error" in bad, "rename: a reserved word is refused")
    line, ch = position_of(segments, "country")
    bad = client.request("textDocument/rename", dict(at(segments, line, ch), newName="nation"))
    check("error" in bad, "rename: a prelude name is refused")

    # ---------------------------------------------------------- formatting
    fmt = client.request("textDocument/formatting", {"textDocument": {"uri": uri(segments)},
                                                    "options": {"tabSize": 2, "insertSpaces": True}})
    # The edit, if any, is `quest fmt`'s text of the file (the editor's buffer is the file here).
    import subprocess
    formatted = subprocess.run([quest, "fmt", "--check", str(segments)], capture_output=True, text=True)
    result = fmt.get("result")
    if formatted.returncode == 0:
        check(result == [], "formatting: an already formatted file gets no edits")
    else:
        scratch = pathlib.Path(str(segments) + ".fmt.quest")
        scratch.write_text(segments.read_text())
        subprocess.run([quest, "fmt", str(scratch)], capture_output=True)
        check(isinstance(result, list) and len(result) == 1 and result[0]["newText"] == scratch.read_text(),
              "formatting: one whole-document edit with quest fmt's text")
        scratch.unlink()

    # ---------------------------------------------------------- malformed input
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json")
    m = client.wait(lambda m: "error" in m and m.get("id") is None)
    check(m["error"]["code"] == -32700, "bad JSON: ParseError")
    client.send_raw(b"X-Nonsense: 1\r\n\r\n")
    m = client.wait(lambda m: "error" in m and m.get("id") is None)
    check(m["error"]["code"] == -32600, "a frame without Content-Length: InvalidRequest")
    client.send_raw(b"Content-Length: 2\r\n\r\n[]")
    m = client.wait(lambda m: "error" in m and m.get("id") is None)
    check(m["error"]["code"] == -32600, "a batch: InvalidRequest")
    m = client.request("workspace/symbolz", {})
    check(m.get("error", {}).get("code") == -32601, "unknown method: MethodNotFound")
    m = client.request("textDocument/hover", {"textDocument": {"uri": uri(segments)}})
    check(m.get("error", {}).get("code") == -32602, "hover without a position: InvalidParams")
    m = client.request("textDocument/hover", at(segments, 100000, 0))
    check(m.get("error", {}).get("code") == -32602, "hover past the end: InvalidParams")
    line, ch = position_of(segments, "deposits_30d")
    hover = client.request("textDocument/hover", at(segments, line, ch))
    check(hover.get("result") is not None, "the server still answers after malformed input")

    # ---------------------------------------------------------- shutdown, exit
    code = client.finish()
    check(code == 0, "shutdown then exit: exit code 0 (%s)" % code)
    early = LspClient(quest)
    early.initialize(pkg)
    early.notify("exit", None)
    code = early.proc.wait(20)
    check(code == 1, "exit without shutdown: exit code 1 (%s)" % code)
    early = LspClient(quest)
    early.proc.stdin.close()
    check(early.proc.wait(20) == 1, "input ends: exit code 1")
    m = LspClient(quest)
    answer = m.request("textDocument/hover", at(segments, 0, 0))
    check(answer.get("error", {}).get("code") == -32002, "a request before initialize: ServerNotInitialized")
    m.proc.kill()
    m.proc.wait()
finally:
    shutil.rmtree(tmp)

if failures:
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
print("all checks passed")
