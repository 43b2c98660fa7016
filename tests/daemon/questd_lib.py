"""Starting and talking to a real build/questd for the daemon's tests.

Each test starts its own questd on loopback ports the system picks (the
config asks for port 0 and questd prints the ports it bound), talks to it
over real sockets and stops it with a signal.
"""
import http.client
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

FAILURES = []


def check(condition, what, detail=""):
    if not condition:
        FAILURES.append(what)
        print("FAIL: %s%s" % (what, ("\n  " + str(detail)[:2000]) if detail != "" else ""))
    return condition


def finish(name):
    if FAILURES:
        print("%s: %d check(s) failed" % (name, len(FAILURES)))
        sys.exit(1)
    print("%s: all checks passed" % name)


def launch(questd, config_path, stderr_path, env=None, expect_ports=("http",), wrapper=()):
    """Starts questd with `config_path`, its stderr to `stderr_path`, and waits
    until it says it listens on `expect_ports`: (process, {kind: port}).
    `wrapper`: a command that execs questd (e.g. nsenter into a mount namespace)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    # stderr to a file: a pipe nobody reads could fill and stall the daemon.
    with open(stderr_path, "wb") as err:
        proc = subprocess.Popen(list(wrapper) + [questd, "--config", config_path], stdout=subprocess.PIPE, stderr=err,
                                env=full_env)
    ports = {}
    deadline = time.time() + 120   # a first JIT compile of the package may take a while
    out = b""
    fd = proc.stdout.fileno()   # raw reads: a buffered readline could hide a line from select
    while len(ports) < len(expect_ports) and time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        out += chunk
        for line in out.decode().splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[1] == "listening":
                ports[parts[2]] = int(parts[3].rsplit(":", 1)[1])
    if len(ports) < len(expect_ports):
        proc.kill()
        with open(stderr_path, "rb") as f:
            raise RuntimeError("questd did not start: %s %s" % (out, f.read().decode(errors="replace")))
    return proc, ports


class Questd:
    """A questd process with `config` (YAML text; {dir} is a fresh folder)."""

    def __init__(self, questd, config, env=None, expect_ports=("http",)):
        self.dir = tempfile.mkdtemp(prefix="questd_test_")
        self.config_path = os.path.join(self.dir, "questd.yaml")
        with open(self.config_path, "w") as f:
            f.write(config.replace("{dir}", self.dir))
        self.stderr_path = os.path.join(self.dir, "stderr.txt")
        self.proc, self.ports = launch(questd, self.config_path, self.stderr_path, env, expect_ports)
        self.port = self.ports.get("http")

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Sends `sig`; the exit code and stderr."""
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None, self.stderr()
        return self.proc.returncode, self.stderr()

    def stderr(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode(errors="replace")


def serve_on_loopback(handler):
    """A ThreadingHTTPServer of `handler` on a loopback port the system
    picks, serving on a daemon thread: (server, port)."""
    import http.server
    import threading
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def request(port, method, path, body=None, headers=None, token=None):
    """One HTTP request on a new connection: (status, headers, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    if isinstance(body, str):
        body = body.encode()
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, dict(r.getheaders()), data


def json_request(port, method, path, body=None, token=None):
    status, _, data = request(port, method, path, body, token=token)
    try:
        return status, json.loads(data)
    except ValueError:
        return status, data


def raw_exchange(port, data, timeout=10):
    """Sends raw bytes, reads until the server closes or `timeout`; the bytes read."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        pass
    s.close()
    return out


def read_responses(sock, count, timeout=20):
    """`count` HTTP responses from a socket, in order: [(status, body)]."""
    sock.settimeout(timeout)
    buf = b""
    responses = []
    while len(responses) < count:
        head_end = buf.find(b"\r\n\r\n")
        if head_end >= 0:
            head = buf[:head_end].decode()
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if len(buf) >= head_end + 4 + length:
                status = int(head.split(" ")[1])
                responses.append((status, buf[head_end + 4:head_end + 4 + length]))
                buf = buf[head_end + 4 + length:]
                continue
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
    return responses


class Casino:
    """examples/casino's events cut into batches of `batch`, and `quest run`
    of all of them (interp) as the reference: `ref_dir` holds actions.ndjson
    and state.json."""

    def __init__(self, quest, source_dir, batch, prefix):
        self.dir = os.path.join(source_dir, "examples/casino")
        self.events_path = os.path.join(self.dir, "events.ndjson")
        self.lines = open(self.events_path).read().splitlines()
        self.batches = [self.lines[i:i + batch] for i in range(0, len(self.lines), batch)]
        self.ref_dir = tempfile.mkdtemp(prefix=prefix)
        subprocess.run([quest, "run", self.dir, "--events", self.events_path, "--engine", "interp",
                        "--actions", self.ref_dir + "/actions.ndjson", "--state", self.ref_dir + "/state.json"],
                       check=True, stderr=subprocess.DEVNULL)


def config(source_dir, extra="", engine="interp", listen='{ http: "127.0.0.1:0" }'):
    return ("rules: %s/examples/casino\n"
            "data_dir: {dir}/data\n"
            "listen: %s\n"
            "engine: %s\n"
            "sinks:\n  - { type: file, path: {dir}/data/actions.ndjson }\n" % (source_dir, listen, engine)) + extra


def promtool_problems(text):
    """What `promtool check metrics` (Debian's prometheus package, installed by
    scripts/setup.sh) reports on `text`, read from stdin: its lint (counters
    end in _total, HELP on every family, histogram suffixes, units…) and its
    parser's errors. A missing promtool is a problem too, so the check fails
    with a clear message instead of passing unchecked."""
    import shutil
    promtool = shutil.which("promtool")
    if not promtool:
        return ["promtool not found on PATH: install Debian's prometheus package (bash scripts/setup.sh does)"]
    r = subprocess.run([promtool, "check", "metrics"], input=text.encode(), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=60)
    out = r.stdout.decode(errors="replace").strip()
    if r.returncode != 0 or out:
        return ["promtool check metrics exited %d: %s" % (r.returncode, out or "(no output)")]
    return []


def prometheus_problems(text):
    """What is wrong with `text` as Prometheus text format 0.0.4, beyond what
    promtool checks: every sample's family has a TYPE, declared once and
    before its samples; names and labels are well formed; values are numbers;
    a histogram's buckets are cumulative and its +Inf bucket equals _count."""
    import re
    problems = []
    types = {}
    sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"'
                        r'(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*)?\})? (\S+)$')
    buckets = {}
    counts = {}
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            if name in types:
                problems.append("%d: TYPE of %s twice" % (n, name))
            types[name] = kind
            continue
        if line.startswith("# HELP ") or not line:
            continue
        m = sample.match(line)
        if not m:
            problems.append("%d: not a sample: %s" % (n, line))
            continue
        name, labels, value = m.group(1), m.group(3) or "", m.group(5)
        try:
            float(value)
        except ValueError:
            problems.append("%d: value %s" % (n, value))
        family = re.sub(r"_(bucket|sum|count)$", "", name) if re.sub(r"_(bucket|sum|count)$", "", name) in types \
            else name
        if family not in types:
            problems.append("%d: %s has no TYPE" % (n, name))
        if name.endswith("_bucket"):
            key = (family, re.sub(r',?le="[^"]*"', "", labels))
            buckets.setdefault(key, []).append(float(value))
        if name.endswith("_count") and types.get(family) == "histogram":
            counts[(family, labels)] = float(value)
    for key, values in buckets.items():
        if values != sorted(values):
            problems.append("%s: buckets not cumulative" % (key,))
        if counts.get(key) != values[-1]:
            problems.append("%s: +Inf bucket %s != count %s" % (key, values[-1], counts.get(key)))
    return problems
