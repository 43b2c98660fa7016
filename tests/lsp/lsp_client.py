"""A scripted Language Server client for tests and the bench: starts
`quest lsp`, frames JSON-RPC messages, and waits for answers and
notifications with a deadline (never forever)."""
import json, pathlib, select, subprocess, time


def uri(path):
    return pathlib.Path(path).resolve().as_uri()


class LspClient:
    def __init__(self, quest, cwd=None):
        self.proc = subprocess.Popen([quest, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd)
        self.next_id = 1
        self.buffer = b""
        self.pending = []   # messages read but not yet asked for

    # ---------------------------------------------------------- sending
    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout=20):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)

    # ---------------------------------------------------------- reading
    def _read_one(self, deadline):
        while True:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if sep:
                length = None
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                assert length is not None, "server sent a frame without Content-Length: %r" % head
                if len(rest) >= length:
                    self.buffer = rest[length:]
                    return json.loads(rest[:length])
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no message from the server in time")
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = self.proc.stdout.read1(1 << 16)
                if not chunk:
                    raise EOFError("the server closed its output")
                self.buffer += chunk

    def wait(self, match, timeout=20):
        for i, m in enumerate(self.pending):
            if match(m):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_one(deadline)
            if match(m):
                return m
            self.pending.append(m)

    def diagnostics(self, path, timeout=20):
        """The next publishDiagnostics for `path`."""
        target = uri(path)
        m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == target,
                      timeout)
        return m["params"]["diagnostics"]

    def drop_notifications(self):
        self.pending = [m for m in self.pending if "method" not in m]

    # ---------------------------------------------------------- lifecycle
    def initialize(self, root):
        answer = self.request("initialize", {"processId": None, "rootUri": uri(root), "capabilities": {}})
        self.notify("initialized", {})
        return answer

    def finish(self, timeout=20):
        """shutdown, exit; the exit code."""
        assert self.request("shutdown", None)["result"] is None
        self.notify("exit", None)
        return self.proc.wait(timeout)
