"""The kill -9 harness of issue 17 §6 (docs/durability.md, "The kill -9
harness"): questd is killed with SIGKILL at random instants, again and
again, while a producer feeds it, and after every restart nothing
acknowledged may be lost and nothing may be applied or written twice.

A round is one data_dir fed from start to end:

- A producer sends the casino's events (examples/casino/events.ndjson, or
  `--copies N` of it, each copy a later three weeks with its own ids) in
  batches of random size, most over HTTP (`POST /v1/events`), about one in
  four over the TCP NDJSON port. It sends one step at a time and moves on
  only once the step is acknowledged (HTTP 2xx with every line accepted or a
  duplicate; on TCP, answer lines covering every line), so after a crash it
  resends exactly the steps from the first one not acknowledged on.
  Resending a batch that questd had journaled but not answered is safe: the
  engine remembers each event id for `dedup_window` (7 days) of event time
  and skips a repeat (docs/engine.md, "Duplicates"), the remembered ids are
  part of every snapshot (docs/engine.md, "Snapshots"), and the feed is in
  `ts` order, so a resent batch is always within the window. The harness
  checks it: an HTTP batch sent again is either wholly new or wholly
  duplicate (a batch is one journal record, all or nothing).
- questd runs with a file sink, a webhook sink to a receiver in this
  process (loopback port picked here; it applies each action `key` once and
  counts repeats), and `snapshot_every_events` tiny, so that snapshots are
  written after nearly every batch.
- Each kill is aimed at one moment, chosen at random (seeded): a random
  instant while an HTTP or a TCP batch is in flight (ingest); right after the
  journal grows (its fdatasync); while `snapshot-*.tmp` exists (a snapshot
  being written and synced); right after a new `snapshot-*.bin` appears (the
  rename, the journal's rotation, the old files' removal); right after the
  action file grows (the file sink's write and fdatasync); while the
  receiver holds a webhook POST unanswered, or just after it answered 2xx
  (before questd writes its ack file); between two steps; during a restart's
  recovery; and, in reload rounds, during `POST /v1/reload` (compile, store,
  journal, swap). A moment that does not come within a few seconds is
  replaced by a kill at that point ("fallback", counted apart).
- At the end of a round (after one more kill and restart with nothing in
  flight) every player's state (`GET /v1/users/{id}`) equals the reference,
  the action file equals the reference's actions byte for byte (so each key
  once), and the receiver got every action key, the repeats bounded by one
  webhook batch (`batch_max`) per kill.

Normal rounds compare with `quest run` of all events. Reload rounds edit
the rules at three fixed points (the casino plus one rule, then back, then
plus it again, as tests/daemon/reload_test.py) and POST /v1/reload; since
`quest run` cannot reload, they compare with a questd that ran the same
steps and was never killed.

CI mode (the default): at least 50 kills (`--kills`, env DURABILITY_KILLS).
Long mode: `--kills 10000` (or DURABILITY_KILLS=10000), optionally
`--max-minutes M` to stop after the round in progress once M minutes have
passed (the kills done are reported, each round fully checked).
The seed is printed; `--seed` or DURABILITY_SEED sets it. Kill instants
depend on timing as well, so a seed replays the plan (batch cuts, kinds of
kill, delays), not the exact instants.
Usage: kill9_test.py QUESTD QUEST SOURCE_DIR [--kills N] [--seed S] [--copies C] [--max-minutes M]"""
import argparse
import datetime
import glob
import http.client
import http.server
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "daemon"))
import questd_lib   # noqa: E402  (the path above first)
from questd_lib import check, finish, launch, serve_on_loopback   # noqa: E402

ADDED_RULE = ("// Added by a reload: a currency every deposit earns from then on.\n"
              "currency reload_tokens\n\n"
              "rule reload_token_on_deposit on deposit {\n  award reload_tokens 1\n}\n")
SNAPSHOT_EVERY = 40      # events: a snapshot after nearly every batch
WEBHOOK_BATCH = 50       # actions per webhook POST: the bound on repeats per kill
TRIGGER_PATIENCE = 4.0   # seconds a kill waits for its moment before falling back


# --- The feed ---------------------------------------------------------------------------------------------------------

def casino_feed(src, copies):
    """The casino's events, `copies` times: copy k is shifted k×21 days (the
    feed spans 20) with ids prefixed `cK-`, so the feed stays in ts order and
    every id is unique."""
    lines = open(os.path.join(src, "examples/casino/events.ndjson")).read().splitlines()
    out = list(lines)
    for k in range(1, copies):
        for line in lines:
            event = json.loads(line)
            ts = datetime.datetime.strptime(event["ts"], "%Y-%m-%dT%H:%M:%SZ") + datetime.timedelta(days=21 * k)
            event["ts"] = ts.strftime("%Y-%m-%dT%H:%M:%SZ")
            event["id"] = "c%d-%s" % (k, event["id"])
            out.append(json.dumps(event, separators=(",", ":")))
    return out


def plan_steps(lines, rng, reloads):
    """The producer's steps: ("events", lines, "http"|"tcp") batches of 15–120
    events, and with `reloads` three ("reload", with_added_rule) steps at a
    quarter, a half and three quarters of the feed."""
    steps = []
    i = 0
    while i < len(lines):
        n = rng.randint(15, 120)
        steps.append(("events", lines[i:i + n], "tcp" if rng.random() < 0.25 else "http"))
        i += n
    if reloads:
        for fraction, added in ((0.75, True), (0.5, False), (0.25, True)):
            steps.insert(int(len(steps) * fraction), ("reload", added))
        # The second reload must come after the first: insert back to front
        # so the positions hold; the flags then read True, False, True in order.
        flags = [s[1] for s in steps if s[0] == "reload"]
        check(flags == [True, False, True], "the reload plan alternates", flags)
    return steps


# --- The webhook receiver -----------------------------------------------------------------------------------------------

class DedupReceiver:
    """A webhook receiver on a loopback port: applies each action `key` once
    (as docs/daemon.md asks of receivers) and counts the repeats. `arm(mode,
    kill)` makes the next request kill questd: "held" while the receiver
    holds it unanswered, "answered" just after its 2xx went out."""

    def __init__(self):
        self.lock = threading.Lock()
        self.deliveries = {}   # key -> times received
        self.requests = 0
        self.armed = None
        self.kill = None
        self.fired = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"   # keep-alive, as questd's client expects

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                if len(body) < length:
                    return   # questd died while sending: nothing was delivered
                keys = [json.loads(line)["key"] for line in body.decode().splitlines() if line]
                with receiver.lock:
                    receiver.requests += 1
                    for key in keys:
                        receiver.deliveries[key] = receiver.deliveries.get(key, 0) + 1
                    mode = receiver.armed
                    if mode:
                        receiver.armed = None
                if mode == "held":
                    receiver.kill()
                    receiver.fired.set()
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "3")
                    self.end_headers()
                    self.wfile.write(b"ok\n")
                    self.wfile.flush()
                except OSError:
                    pass   # questd was killed
                if mode == "answered":
                    # questd reads the 2xx, then writes its ack file: the kill
                    # lands somewhere in between, or just after.
                    time.sleep(random.uniform(0, 0.002))
                    receiver.kill()
                    receiver.fired.set()

            def handle(self):
                try:
                    super().handle()
                except OSError:
                    pass   # questd killed mid-request: the connection is reset

            def log_message(self, *args):
                pass

        self.server, self.port = serve_on_loopback(Handler)

    def arm(self, mode, kill):
        with self.lock:
            self.fired.clear()
            self.kill = kill
            self.armed = mode

    def disarm(self):
        with self.lock:
            self.armed = None

    def keys(self):
        with self.lock:
            return set(self.deliveries)

    def repeats(self):
        with self.lock:
            return sum(n - 1 for n in self.deliveries.values())

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# --- One questd, restarted on the same data_dir -------------------------------------------------------------------------

class Node:
    """A questd on its own copy of the casino's rules and its own data_dir,
    with a file sink and (given a receiver port) a webhook sink."""

    def __init__(self, questd, src, name, webhook_port=None):
        self.questd = questd
        self.dir = tempfile.mkdtemp(prefix="kill9_%s_" % name)
        self.rules = os.path.join(self.dir, "rules")
        shutil.copytree(os.path.join(src, "examples/casino"), self.rules,
                        ignore=shutil.ignore_patterns("*.ndjson", "*.yaml"))
        self.data = os.path.join(self.dir, "data")
        self.actions_path = os.path.join(self.data, "actions.ndjson")
        self.config = os.path.join(self.dir, "questd.yaml")
        webhook = ""
        if webhook_port:
            # A generous timeout: within one process a POST is never retried,
            # so every repeat the receiver sees comes from a kill.
            webhook = ("  - { type: webhook, name: hook, url: \"http://127.0.0.1:%d/actions\", batch_max: %d,\n"
                       "      timeout: 30s, backoff_initial: 10ms, backoff_max: 100ms, max_attempts: 100000 }\n"
                       % (webhook_port, WEBHOOK_BATCH))
        with open(self.config, "w") as f:
            f.write("rules: %s\ndata_dir: %s\nlisten: { http: \"127.0.0.1:0\", tcp: \"127.0.0.1:0\" }\n"
                    "engine: interp\nlog_level: info\n"
                    "durability: { fsync: group, snapshot_every_events: %d }\n"
                    "sinks:\n  - { type: file, path: %s }\n%s"
                    % (self.rules, self.data, SNAPSHOT_EVERY, self.actions_path, webhook))
        self.lock = threading.Lock()
        self.proc = None
        self.starts = 0
        self.start_seconds = 0.2   # measured below; bounds the instants of kills during recovery

    def stderr_path(self):
        return os.path.join(self.dir, "stderr-%d.txt" % self.starts)

    def start(self):
        self.starts += 1
        began = time.time()
        proc, ports = launch(self.questd, self.config, self.stderr_path(), expect_ports=("http", "tcp"))
        self.start_seconds = 0.8 * self.start_seconds + 0.2 * (time.time() - began)
        with self.lock:
            self.proc = proc
        self.http, self.tcp = ports["http"], ports["tcp"]

    def crash_during_start(self, delay):
        """Starts questd and kills it `delay` seconds later, during its
        recovery (restore, replay, the reload of edited rules) or just as it
        starts listening. True if it was alive when killed."""
        self.starts += 1
        with open(self.stderr_path(), "wb") as err:
            proc = subprocess.Popen([self.questd, "--config", self.config], stdout=subprocess.DEVNULL, stderr=err)
        time.sleep(delay)
        alive = proc.poll() is None
        proc.kill()
        proc.wait()
        check(alive, "questd is alive %.3f s into its start" % delay, self.stderr_text(self.starts)[-1500:])
        return alive

    def kill(self):
        """SIGKILL, once; safe from any thread."""
        with self.lock:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.send_signal(signal.SIGKILL)
                self.proc.wait()
                return True
            return False

    def alive(self):
        with self.lock:
            return self.proc is not None and self.proc.poll() is None

    def stop(self):
        with self.lock:
            self.proc.send_signal(signal.SIGTERM)
            return self.proc.wait(60)

    def close_pipes(self):
        if self.proc is not None and self.proc.stdout:
            self.proc.stdout.close()

    def stderr_text(self, start=None):
        paths = [os.path.join(self.dir, "stderr-%d.txt" % start)] if start else \
            sorted(glob.glob(os.path.join(self.dir, "stderr-*.txt")))
        return "".join(open(p, errors="replace").read() for p in paths if os.path.exists(p))

    def get(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.http, timeout=60)
        conn.request("GET", path)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, data

    def states(self, users):
        out = {}
        for user in users:
            status, data = self.get("/v1/users/" + user)
            out[user] = json.loads(data) if status == 200 else None
        return out


# --- The producer -----------------------------------------------------------------------------------------------------

class Progress:
    """How far a round's feed is acknowledged, across restarts."""

    def __init__(self, steps):
        self.steps = steps
        self.next = 0              # the first step not acknowledged
        self.attempted = set()     # steps sent at least once: sending one again is a resend
        self.resent_known = 0      # HTTP batches resent that questd had journaled (all duplicates)
        self.resent_new = 0        # HTTP batches resent that it had not
        self.packages = []         # the package each reload step answered


class Producer(threading.Thread):
    """Sends the steps from `progress.next` on, one at a time, until the feed
    is done or questd dies. `started` counts steps begun in this epoch; `kind`
    is the kind of the step in flight."""

    def __init__(self, node, progress, expected_packages=None):
        super().__init__(daemon=True)
        self.node = node
        self.progress = progress
        self.expected_packages = expected_packages
        self.started = 0
        self.done = 0
        self.in_flight = None      # (index, "http"|"tcp"|"reload", time it began), while one is sent
        self.stop_after = None     # stop once this many steps are done (a kill between steps)
        self.failure = None

    def run(self):
        p = self.progress
        while p.next < len(p.steps):
            if self.stop_after is not None and self.done >= self.stop_after:
                return
            step = p.steps[p.next]
            resend = p.next in p.attempted
            p.attempted.add(p.next)
            self.in_flight = (p.next, step[2] if step[0] == "events" else "reload", time.time())
            self.started += 1
            try:
                ok = self.send(p.next, step, resend)
            except (OSError, http.client.HTTPException, ValueError) as e:
                ok = False
                if self.node.alive():
                    time.sleep(0.2)   # a kill may be under way; if not, questd failed us
                    if self.node.alive():
                        self.failure = "step %d: %r while questd was alive" % (p.next, e)
            self.in_flight = None
            if not ok:
                return
            p.next += 1
            self.done += 1

    def send(self, index, step, resend=False):
        if step[0] == "reload":
            return self.reload(index, step[1])
        _, lines, transport = step
        return self.post_http(index, lines, resend) if transport == "http" else self.post_tcp(lines)

    def post_http(self, index, lines, resend):
        conn = http.client.HTTPConnection("127.0.0.1", self.node.http, timeout=60)
        conn.request("POST", "/v1/events", body=("\n".join(lines) + "\n").encode())
        r = conn.getresponse()
        answer = json.loads(r.read())
        conn.close()
        if r.status != 200 or answer.get("rejected") or answer["accepted"] + answer["duplicates"] != len(lines):
            self.failure = "batch %d answered %d %s" % (index, r.status, answer)
            return False
        if not resend and answer["duplicates"]:
            self.failure = "batch %d, sent for the first time, has duplicates: %s" % (index, answer)
            return False
        if resend:
            # Sent before a kill: journaled whole or not at all.
            if answer["duplicates"] == len(lines):
                self.progress.resent_known += 1
            elif answer["duplicates"] == 0:
                self.progress.resent_new += 1
            else:
                self.failure = "batch %d was half journaled: %s" % (index, answer)
                return False
        return True

    def post_tcp(self, lines):
        """One connection per batch: its answer lines (one per read questd
        made) must cover every line. A kill after some of them leaves part of
        the batch journaled; the resend finds those lines duplicates."""
        s = socket.create_connection(("127.0.0.1", self.node.tcp), timeout=60)
        try:
            s.sendall(("\n".join(lines) + "\n").encode())
            buf = b""
            covered = 0
            taken = 0
            while covered < len(lines):
                chunk = s.recv(65536)
                if not chunk:
                    return False
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    answer = json.loads(line)
                    if answer.get("error") or answer.get("rejected"):
                        self.failure = "a TCP batch answered %s" % answer
                        return False
                    taken += answer["accepted"] + answer["duplicates"]
                    covered = answer["last_line"]
            if taken != len(lines):
                self.failure = "a TCP batch of %d lines: %d taken" % (len(lines), taken)
                return False
            return True
        finally:
            s.close()

    def reload(self, index, added):
        """Puts the rules in the state this step wants, then POST /v1/reload:
        acknowledged by 200 reloaded or unchanged (a kill after the edit may
        have made the restart reload already)."""
        path = os.path.join(self.node.rules, "zz_added.quest")
        if added:
            with open(path, "w") as f:
                f.write(ADDED_RULE)
        elif os.path.exists(path):
            os.unlink(path)
        conn = http.client.HTTPConnection("127.0.0.1", self.node.http, timeout=120)
        conn.request("POST", "/v1/reload", body=b"")
        r = conn.getresponse()
        answer = json.loads(r.read())
        conn.close()
        if r.status != 200 or not (answer.get("reloaded") or answer.get("unchanged")):
            self.failure = "reload step %d answered %d %s" % (index, r.status, answer)
            return False
        number = sum(1 for s in self.progress.steps[:index] if s[0] == "reload")
        if self.expected_packages and answer.get("package") != self.expected_packages[number]:
            self.failure = "reload step %d runs package %s, the reference %s" % (
                index, answer.get("package"), self.expected_packages[number])
            return False
        self.progress.packages.append(answer.get("package"))
        return True


# --- Kills aimed at moments -------------------------------------------------------------------------------------------

def newest_journal(data):
    segments = sorted(glob.glob(os.path.join(data, "journal-*.log")))
    if not segments:
        return None
    try:
        return segments[-1], os.path.getsize(segments[-1])
    except OSError:
        return segments[-1], -1


def file_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return -1


def snapshot_names(data):
    try:
        return {n for n in os.listdir(data) if n.startswith("snapshot-")}
    except OSError:
        return set()


def wait_until(condition, producer, patience=TRIGGER_PATIENCE):
    """Polls `condition` every ~0.2 ms while the producer runs; True when it
    held, False when the producer ended or patience ran out."""
    deadline = time.time() + patience
    while time.time() < deadline:
        if condition():
            return True
        if not producer.is_alive():
            return condition()
        time.sleep(0.0002)
    return False


def wait_step(producer, want, patience=TRIGGER_PATIENCE):
    """Waits until a step of kind `want` is in flight (it may have begun
    already); the time it began, or None."""
    deadline = time.time() + patience
    while time.time() < deadline and producer.is_alive():
        step = producer.in_flight
        if step and step[1] == want:
            return step[2]
        time.sleep(0.0002)
    return None


class Killer:
    """Aims one kill at a moment of `kind`; returns whether the moment came."""

    def __init__(self, node, receiver, rng, step_seconds):
        self.node = node
        self.receiver = receiver
        self.rng = rng
        self.step_seconds = step_seconds   # a typical step's duration: the span of ingest kills

    def aim(self, kind, producer):
        data = self.node.data
        if kind in ("ingest_http", "ingest_tcp", "reload"):
            want = {"ingest_http": "http", "ingest_tcp": "tcp", "reload": "reload"}[kind]
            began = wait_step(producer, want)
            if began is None:
                return False
            # A random instant of the step's usual span from its start (if
            # that instant has passed, now: the step may be done, no matter).
            time.sleep(max(0.0, began + self.rng.uniform(0, self.step_seconds[want]) - time.time()))
            return True
        if kind == "journal_append":
            before = newest_journal(data)
            return wait_until(lambda: newest_journal(data) != before, producer)
        if kind == "snapshot_tmp":
            return wait_until(lambda: any(n.endswith(".tmp") for n in snapshot_names(data)), producer)
        if kind == "snapshot_renamed":
            before = {n for n in snapshot_names(data) if n.endswith(".bin")}
            return wait_until(lambda: any(n.endswith(".bin") and n not in before for n in snapshot_names(data)),
                              producer)
        if kind == "file_sink_write":
            before = file_size(self.node.actions_path)
            return wait_until(lambda: file_size(self.node.actions_path) != before, producer)
        if kind in ("webhook_held", "webhook_answered"):
            self.receiver.arm("held" if kind == "webhook_held" else "answered", self.node.kill)
            fired = self.receiver.fired.wait(TRIGGER_PATIENCE)
            self.receiver.disarm()
            return fired
        if kind == "between_steps":
            producer.stop_after = producer.done + 1
            producer.join(TRIGGER_PATIENCE)
            return not producer.is_alive()
        raise ValueError(kind)


KINDS = ["ingest_http", "ingest_tcp", "journal_append", "snapshot_tmp", "snapshot_renamed", "file_sink_write",
         "webhook_held", "webhook_answered", "between_steps"]


# --- A round ------------------------------------------------------------------------------------------------------------

class Tally:
    def __init__(self):
        self.kills = 0
        self.by_kind = {}
        self.fallbacks = 0

    def add(self, kind, fired):
        self.kills += 1
        name = kind if fired else kind + "(fallback)"
        self.by_kind[name] = self.by_kind.get(name, 0) + 1
        if not fired:
            self.fallbacks += 1


def run_round(args, number, reload_round, rng, kills_wanted, reference, tally, step_seconds):
    """Feeds one fresh data_dir from start to end with about `kills_wanted`
    kills, then checks it against `reference` (users, states, action bytes,
    action keys, and for reload rounds the packages)."""
    steps = reference["steps"] if reload_round else plan_steps(reference["lines"], rng, False)
    receiver = DedupReceiver()
    node = Node(args.questd, args.src, "r%d" % number, receiver.port)
    progress = Progress(steps)
    killer = Killer(node, receiver, rng, step_seconds)
    kills = Tally()
    began = time.time()
    failures_before = len(questd_lib.FAILURES)
    reload_kills = {}   # reload step -> kills aimed at it
    while True:
        # A kill during recovery, now and then (always at least once a round).
        if kills.kills < kills_wanted and (rng.random() < 0.1 or kills.kills == kills_wanted // 2):
            if node.crash_during_start(rng.uniform(0, node.start_seconds * 1.2)):
                kills.add("recovery", True)
        node.start()
        producer = Producer(node, progress, reference.get("packages"))
        if kills.kills >= kills_wanted or progress.next >= len(steps):
            producer.start()
            producer.join()
            if producer.failure or progress.next < len(steps):
                check(False, "round %d: the feed goes through once the kills are done" % number, producer.failure)
                break
            break
        # Spread the kills over the feed: skip a few steps first.
        room = (len(steps) - progress.next) // max(1, kills_wanted - kills.kills)
        skip = rng.randint(0, max(0, room - 1))
        kind = rng.choice(KINDS)
        if reload_round:
            # Up to three kills at each reload point (the step is sent again
            # after each), the rest spread like any round's.
            ahead = [i for i in range(progress.next, len(steps)) if steps[i][0] == "reload"]
            if ahead and ahead[0] - progress.next <= room and reload_kills.get(ahead[0], 0) < 3:
                skip = ahead[0] - progress.next
                kind = "reload"
                reload_kills[ahead[0]] = reload_kills.get(ahead[0], 0) + 1
        producer.start()
        deadline = time.time() + 60
        while producer.is_alive() and producer.done < skip and time.time() < deadline:
            time.sleep(0.001)
        fired = killer.aim(kind, producer)
        was_alive = node.kill()
        producer.join(60)
        node.close_pipes()
        if producer.failure:
            check(False, "round %d: questd answered every step it lived through" % number, producer.failure)
            break
        if was_alive:
            kills.add(kind, fired)
        elif kind in ("webhook_held", "webhook_answered") and fired:
            kills.add(kind, True)   # the receiver's thread did the killing
        if time.time() - began > 600:
            check(False, "round %d finishes within 10 minutes" % number, progress.next)
            break

    # Everything is acknowledged: one more kill and restart with nothing in
    # flight (the webhook may still be sending), then the checks.
    node.kill()
    kills.add("after_the_feed", True)
    node.close_pipes()
    node.start()
    ok = check_round(number, node, receiver, progress, reference, kills, reload_round)
    log = node.stderr_text()
    errors = [l for l in log.splitlines() if ": error: " in l]
    check(not errors, "round %d: questd logged no error" % number, errors[:5])
    check(node.stop() == 0, "round %d: questd stops on SIGTERM" % number, node.stderr_text(node.starts)[-1500:])
    node.close_pipes()
    receiver.close()
    for kind, n in kills.by_kind.items():
        tally.by_kind[kind] = tally.by_kind.get(kind, 0) + n
    tally.kills += kills.kills
    tally.fallbacks += kills.fallbacks
    round_ok = ok and len(questd_lib.FAILURES) == failures_before
    print("round %d (%s): %d kills, %d steps, %d restarts, %d resent batches known / %d new, %d webhook repeats, "
          "%.1f s%s" % (number, "reload" if reload_round else "quest run", kills.kills, len(steps), node.starts,
                        progress.resent_known, progress.resent_new, receiver.repeats(), time.time() - began,
                        "" if round_ok else " FAILED: kept " + node.dir), flush=True)
    if round_ok:
        shutil.rmtree(node.dir, ignore_errors=True)
    return round_ok


def check_round(number, node, receiver, progress, reference, kills, reload_round):
    ok = True
    users = reference["users"]
    got = node.states(users)
    differ = [u for u in users if got[u] != reference["states"][u]]
    ok &= check(not differ, "round %d: every player's state equals the %s's" %
                (number, "never-killed questd" if reload_round else "quest run"),
                [(u, got[u], reference["states"][u]) for u in differ[:1]] + differ[:10])
    actions = open(node.actions_path, "rb").read()
    keys = [json.loads(l)["key"] for l in actions.decode().splitlines()]
    ok &= check(len(keys) == len(set(keys)), "round %d: each action key is in the action file once" % number,
                len(keys) - len(set(keys)))
    ok &= check(actions == reference["actions"], "round %d: the action file equals the reference byte for byte" % number,
                (len(actions), len(reference["actions"])))
    # The webhook: every key, eventually (questd is running again).
    want = reference["keys"]
    deadline = time.time() + 120
    while time.time() < deadline and not want <= receiver.keys():
        time.sleep(0.05)
    got_keys = receiver.keys()
    ok &= check(got_keys == want, "round %d: the receiver got every action key, and no other" % number,
                (len(want - got_keys), len(got_keys - want)))
    repeats = receiver.repeats()
    ok &= check(repeats <= WEBHOOK_BATCH * kills.kills,
                "round %d: webhook repeats (%d) within one batch (%d) per kill (%d)" %
                (number, repeats, WEBHOOK_BATCH, kills.kills))
    dead = [p for p in glob.glob(os.path.join(node.data, "dead-letter-*")) if os.path.getsize(p)]
    ok &= check(not dead, "round %d: nothing dead-lettered" % number, dead)
    if reload_round:
        ok &= check(progress.packages == reference["packages"], "round %d: each reload ran the reference's package"
                    % number, (progress.packages, reference["packages"]))
    return ok


# --- References ---------------------------------------------------------------------------------------------------------

def quest_run_reference(args, lines):
    """`quest run` of the whole feed (interp): states by user, action bytes, keys."""
    ref = tempfile.mkdtemp(prefix="kill9_ref_")
    events = os.path.join(ref, "events.ndjson")
    with open(events, "w") as f:
        f.write("\n".join(lines) + "\n")
    subprocess.run([args.quest, "run", os.path.join(args.src, "examples/casino"), "--events", events,
                    "--engine", "interp", "--actions", ref + "/actions.ndjson", "--state", ref + "/state.json"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    states = {u["user"]: u for u in json.load(open(ref + "/state.json"))["users"]}
    actions = open(ref + "/actions.ndjson", "rb").read()
    shutil.rmtree(ref, ignore_errors=True)
    return {"lines": lines, "users": sorted(states), "states": states, "actions": actions,
            "keys": {json.loads(l)["key"] for l in actions.decode().splitlines()}}


def never_killed_reference(args, lines, users, rng, step_seconds):
    """A questd that runs the reload plan's steps without a kill: its states,
    action bytes and packages are what every reload round must end with.
    Also measures how long a step of each kind takes (the span of the random
    instants of ingest and reload kills)."""
    steps = plan_steps(lines, rng, True)
    node = Node(args.questd, args.src, "never")
    node.start()
    progress = Progress(steps)
    producer = Producer(node, progress)
    durations = {"http": [], "tcp": [], "reload": []}
    for index, step in enumerate(steps):
        began = time.time()
        ok = producer.send(index, step)
        check(ok, "the never-killed questd takes step %d" % index, producer.failure)
        progress.next += 1
        durations["reload" if step[0] == "reload" else step[2]].append(time.time() - began)
    for kind, values in durations.items():
        values.sort()
        step_seconds[kind] = values[len(values) * 3 // 4] if values else 0.05   # the 75th percentile
    states = node.states(users)
    actions = open(node.actions_path, "rb").read()
    check(node.stop() == 0, "the never-killed questd stops on SIGTERM")
    node.close_pipes()
    check(len(set(progress.packages)) == 2, "the reload plan switches between two packages", progress.packages)
    shutil.rmtree(node.dir, ignore_errors=True)
    return {"lines": lines, "steps": steps, "users": users, "states": states, "actions": actions,
            "keys": {json.loads(l)["key"] for l in actions.decode().splitlines()}, "packages": progress.packages}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questd")
    parser.add_argument("quest")
    parser.add_argument("src")
    parser.add_argument("--kills", type=int, default=int(os.environ.get("DURABILITY_KILLS", 50)))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("DURABILITY_SEED", random.randrange(1 << 30))))
    parser.add_argument("--copies", type=int, default=int(os.environ.get("DURABILITY_COPIES", 1)))
    parser.add_argument("--max-minutes", type=float, default=float(os.environ.get("DURABILITY_MAX_MINUTES", 0)))
    args = parser.parse_args()
    print("kill9: seed %d (--seed or DURABILITY_SEED replays the plan), %d kills wanted, feed of %d casino cop%s"
          % (args.seed, args.kills, args.copies, "y" if args.copies == 1 else "ies"), flush=True)
    began = time.time()
    rng = random.Random(args.seed)
    lines = casino_feed(args.src, args.copies)
    plain = quest_run_reference(args, lines)
    step_seconds = {}
    with_reloads = never_killed_reference(args, lines, plain["users"], random.Random(args.seed + 1), step_seconds)
    print("kill9: references ready in %.1f s; typical step: http %.0f ms, tcp %.0f ms, reload %.0f ms" %
          (time.time() - began, step_seconds["http"] * 1000, step_seconds["tcp"] * 1000,
           step_seconds["reload"] * 1000), flush=True)
    tally = Tally()
    number = 0
    failed_rounds = 0
    while tally.kills < args.kills:
        # Rounds alternate: quest run's, then reload's. A normal round aims
        # about one kill per two steps of the casino; a reload round fewer,
        # nine of them at its reload points.
        reload_round = number % 2 == 1
        cap = 14 * args.copies if reload_round else 38 * args.copies
        wanted = max(5, min(cap, args.kills - tally.kills))
        if not run_round(args, number, reload_round, random.Random(rng.randrange(1 << 30)), wanted,
                         with_reloads if reload_round else plain, tally, step_seconds):
            failed_rounds += 1
            if failed_rounds >= 3:
                break
        number += 1
        minutes = (time.time() - began) / 60
        print("kill9: %d kills in %d rounds, %.1f min, %.0f kills/min" % (tally.kills, number, minutes,
                                                                         tally.kills / max(minutes, 1e-9)), flush=True)
        if args.max_minutes and minutes >= args.max_minutes:
            print("kill9: stopping at --max-minutes %.0f" % args.max_minutes)
            break
    minutes = (time.time() - began) / 60
    print("kill9: seed %d: %d kills (%d fell back to a kill at another instant) in %d rounds, %.1f min; by kind: %s"
          % (args.seed, tally.kills, tally.fallbacks, number, minutes,
             ", ".join("%s %d" % kv for kv in sorted(tally.by_kind.items()))), flush=True)
    check(tally.kills >= min(args.kills, 1) or args.max_minutes, "at least %d kills" % args.kills, tally.kills)
    finish("kill9")


if __name__ == "__main__":
    main()
