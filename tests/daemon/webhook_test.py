"""questd's webhook sink (issue 17 §4, docs/daemon.md "Webhook sinks",
docs/durability.md): a Python receiver on a loopback port this test picks
takes the POSTs; it can answer 500 or 400 to chosen requests, or hang.

1. Retries: the first requests fail with 500; every action still arrives,
   the union of the keys received equals the file sink's and `quest run`'s
   actions, a retry repeats its request's Idempotency-Key, /metrics counts
   it (and stays valid for promtool).
2. Dead letters: a 400 sends its batch to the dead-letter file at once, two
   500s with max_attempts 2 send theirs after the second; the rest arrives.
3. kill -9 mid-stream, with a slow receiver: after the restart every action
   arrives, nothing at or below the ack file's seq is sent again, and the
   only actions seen twice are those of the one batch in flight.
4. Backpressure: the receiver hangs, queue_max is small; ingest answers 503
   "sink backlog" (nothing applied); once the receiver answers again the
   refused batches go in and everything arrives.
Usage: webhook_test.py QUESTD QUEST SOURCE_DIR"""
import http.server
import json
import os
import signal
import sys
import tempfile
import threading
import time

from questd_lib import Casino, check, finish, json_request, launch, prometheus_problems, promtool_problems, request, serve_on_loopback

questd, quest, src = sys.argv[1:4]
reference = Casino(quest, src, 500, "webhook_ref_")
casino, batches, ref_dir = reference.dir, reference.batches, reference.ref_dir
ref_actions = [json.loads(l) for l in open(ref_dir + "/actions.ndjson")]
ref_keys = {a["key"] for a in ref_actions}
check(len(ref_keys) == len(ref_actions) and len(ref_actions) > 1000, "quest run's actions have unique keys",
      len(ref_actions))


class Receiver:
    """An HTTP receiver on 127.0.0.1:PORT. `script`: the statuses of the next
    requests, in order (then 200); `hang`: a set Event holds every answer."""

    def __init__(self, delay=0.0):
        self.lock = threading.Lock()
        self.requests = []   # (headers, [action dicts], status answered)
        self.script = []
        self.delay = delay
        self.hang = threading.Event()
        self.on_request = None   # called with the request's index once it is recorded, before it is answered
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"   # keep-alive, as questd's client expects

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                actions = [json.loads(l) for l in body.decode().splitlines() if l]
                with receiver.lock:
                    status = receiver.script.pop(0) if receiver.script else 200
                    receiver.requests.append((dict(self.headers), actions, status))
                    index = len(receiver.requests) - 1
                if receiver.on_request:
                    receiver.on_request(index)
                if receiver.delay:
                    time.sleep(receiver.delay)
                while receiver.hang.is_set():
                    time.sleep(0.02)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "3")
                    self.end_headers()
                    self.wfile.write(b"ok\n")
                except OSError:
                    pass   # questd gave up on this request (timeout) or was killed

            def log_message(self, *args):
                pass

        self.server, self.port = serve_on_loopback(Handler)

    def acked_keys(self):
        """Keys of the actions in requests answered 2xx, and how often each came."""
        seen = {}
        with self.lock:
            for _, actions, status in self.requests:
                if 200 <= status < 300:
                    for a in actions:
                        seen[a["key"]] = seen.get(a["key"], 0) + 1
        return seen

    def wait_for(self, keys, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if keys <= set(self.acked_keys()):
                return True
            time.sleep(0.1)
        return False

    def close(self):
        self.hang.clear()
        self.server.shutdown()


def webhook_config(data, receiver_port, extra=""):
    return ("rules: %s\ndata_dir: %s\nlisten: { http: \"127.0.0.1:0\" }\nengine: interp\n"
            "sinks:\n  - { type: file, path: %s/actions.ndjson }\n"
            "  - { type: webhook, name: bonus, url: \"http://127.0.0.1:%d/bonus\", batch_max: 100, timeout: 2s,\n"
            "      backoff_initial: 10ms, backoff_max: 100ms%s }\n" % (casino, data, data, receiver_port, extra))


def post_all(port, todo, answers=None):
    for batch in todo:
        status, answer = json_request(port, "POST", "/v1/events", "\n".join(batch) + "\n")
        if answers is not None:
            answers.append(status)
        check(status == 200, "a batch is acknowledged", (status, answer))


def metric(port, name):
    _, _, text = request_metrics(port)
    for line in text.decode().splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


def settled(port, timeout=30):
    """Waits until questd has taken in the receiver's last answers (the
    receiver records a request before questd reads its answer)."""
    deadline = time.time() + timeout
    while time.time() < deadline and metric(port, "questd_webhook_queue_depth") != 0:
        time.sleep(0.05)
    return metric(port, "questd_webhook_queue_depth") == 0


def request_metrics(port):
    return request(port, "GET", "/metrics")


def start(work, config_text, n):
    path = os.path.join(work, "questd.yaml")
    with open(path, "w") as f:
        f.write(config_text)
    proc, ports = launch(questd, path, os.path.join(work, "stderr-%d.txt" % n))
    return proc, ports["http"]


# 1. Retries, and the union of what arrived equals the file sink and quest run.
receiver = Receiver()
receiver.script = [500, 500, 500]
work = tempfile.mkdtemp(prefix="webhook_1_")
data = os.path.join(work, "data")
proc, port = start(work, webhook_config(data, receiver.port), 1)
post_all(port, batches)
check(receiver.wait_for(ref_keys), "every action arrives despite three 500s",
      len(ref_keys - set(receiver.acked_keys())))
file_keys = {json.loads(l)["key"] for l in open(os.path.join(data, "actions.ndjson"))}
check(set(receiver.acked_keys()) == file_keys == ref_keys, "the keys acknowledged equal the file sink's and quest run's")
with receiver.lock:
    requests = list(receiver.requests)
check(len({r[0]["Idempotency-Key"] for r in requests[:4]}) == 1 and
      [r[2] for r in requests[:4]] == [500, 500, 500, 200], "a retry repeats its request's Idempotency-Key",
      [(r[0].get("Idempotency-Key"), r[2]) for r in requests[:4]])
check(all(r[0]["Idempotency-Key"] == r[1][0]["key"] + ".." + r[1][-1]["key"] and
          r[0]["Questline-Seq"] == "%d-%d" % (r[1][0]["seq"], r[1][-1]["seq"]) and len(r[1]) <= 100
          for r in requests), "each request's headers name its first and last action; at most batch_max actions")
seqs = [a["seq"] for r in requests if r[2] == 200 for a in r[1]]
check(seqs == sorted(seqs) and len(seqs) == len(set(seqs)), "actions go in seq order, each acknowledged once")
check(settled(port), "the queue empties")
check(metric(port, "questd_webhook_retries_total") == 3, "three retries counted",
      metric(port, "questd_webhook_retries_total"))
check(metric(port, "questd_webhook_acked_actions_total") == len(ref_keys), "acknowledged actions counted")
_, _, text = request_metrics(port)
text = text.decode()
check(not promtool_problems(text) and not prometheus_problems(text), "/metrics is valid with a webhook",
      promtool_problems(text) + prometheus_problems(text))
ack = int(open(os.path.join(data, "webhook-bonus.ack")).read())
check(ack == max(a["seq"] for a in ref_actions), "the ack file holds the last seq", ack)
proc.send_signal(signal.SIGTERM)
check(proc.wait(30) == 0, "questd stops on SIGTERM with a webhook sink")
receiver.close()

# 2. Dead letters: a 400 at once; two 500s with max_attempts 2.
receiver = Receiver()
receiver.script = [400, 500, 500]
work = tempfile.mkdtemp(prefix="webhook_2_")
data = os.path.join(work, "data")
proc, port = start(work, webhook_config(data, receiver.port, ", max_attempts: 2"), 1)
post_all(port, batches)
dead_path = os.path.join(data, "dead-letter-bonus.ndjson")


def dead_letters():
    return [json.loads(l) for l in open(dead_path)] if os.path.exists(dead_path) else []


deadline = time.time() + 120
while time.time() < deadline and set(receiver.acked_keys()) | {d["action"]["key"] for d in dead_letters()} != ref_keys:
    time.sleep(0.1)
dead = dead_letters()
with receiver.lock:
    first, second = receiver.requests[0][1], receiver.requests[1][1]
check([d["action"]["key"] for d in dead] == [a["key"] for a in first + second],
      "the 400's batch and the batch that failed max_attempts times are in the dead-letter file",
      (len(dead), len(first), len(second)))
check(dead and dead[0]["status"] == 400 and dead[-1]["status"] == 500 and dead[-1]["attempts"] == 2,
      "each dead letter says why", dead[:1] + dead[-1:])
check(set(receiver.acked_keys()) | {d["action"]["key"] for d in dead} == ref_keys,
      "what arrived and what was dead-lettered make up every action")
check(settled(port) and metric(port, "questd_webhook_dead_lettered_actions_total") == len(dead),
      "dead letters counted")
proc.send_signal(signal.SIGTERM)
proc.wait(30)
receiver.close()

# 3. kill -9 mid-stream: the receiver kills questd while it holds the 20th
# request (recorded, not yet answered), then questd is restarted and the
# batches it had not acknowledged are posted again.
receiver = Receiver(delay=0.01)
work = tempfile.mkdtemp(prefix="webhook_3_")
data = os.path.join(work, "data")
config3 = webhook_config(data, receiver.port, ", batch_max: 50") + \
    "durability: { fsync: group, snapshot_every_events: 1000 }\n"
proc, port = start(work, config3, 1)
killed = {}


def kill_in_flight(index):
    if index == 19 and not killed:
        killed["index"] = index
        proc.send_signal(signal.SIGKILL)


receiver.on_request = kill_in_flight
i = 0
while i < len(batches):
    try:
        status, _ = json_request(port, "POST", "/v1/events", "\n".join(batches[i]) + "\n")
    except OSError:
        status = 0
    if status == 200:
        i += 1
        continue
    check(killed and proc.wait(30) is not None, "only the kill stops a batch", status)
    ack_at_kill = int(open(os.path.join(data, "webhook-bonus.ack")).read())
    with receiver.lock:
        before = len(receiver.requests)
        in_flight = receiver.requests[killed["index"]][1]
    proc, port = start(work, config3, 2)
check(killed, "questd was killed with a request in flight")
check(receiver.wait_for(ref_keys), "after the restart every action arrives",
      len(ref_keys - set(receiver.acked_keys())))
with receiver.lock:
    after = [a for _, actions, _ in receiver.requests[before:] for a in actions]
check(0 < ack_at_kill < in_flight[0]["seq"] <= min(a["seq"] for a in after),
      "nothing acknowledged before the kill is sent again", (ack_at_kill, in_flight[0]["seq"]))
twice = {k for k, n in receiver.acked_keys().items() if n > 1}
check(twice and twice <= {a["key"] for a in in_flight}, "only actions of the batch in flight arrive twice",
      (len(twice), len(in_flight)))
print("webhook: killed at acknowledged seq %d, %d actions in flight; %d arrived twice" %
      (ack_at_kill, len(in_flight), len(twice)))
check(set(receiver.acked_keys()) == ref_keys, "the keys acknowledged equal quest run's")
log = open(os.path.join(work, "stderr-1.txt")).read() + open(os.path.join(work, "stderr-2.txt")).read()
check("snapshot" in log and "written" in log, "snapshots were written meanwhile", log[-1500:])
proc.send_signal(signal.SIGTERM)
proc.wait(30)
receiver.close()

# 4. Backpressure: a hanging receiver, a small queue; 503 "sink backlog";
# after the receiver recovers, everything arrives.
receiver = Receiver()
receiver.hang.set()
work = tempfile.mkdtemp(prefix="webhook_4_")
data = os.path.join(work, "data")
proc, port = start(work, webhook_config(data, receiver.port, ", queue_max: 50, backlog_wait: 300ms, timeout: 1s, "
                                                           "max_attempts: 100000"), 1)
refused = 0
released = False
for i, batch in enumerate(batches):
    while True:
        status, answer = json_request(port, "POST", "/v1/events", "\n".join(batch) + "\n")
        if status == 200:
            break
        check(status == 503 and "sink backlog" in answer.get("error", ""), "a full queue is a 503 sink backlog",
              (status, answer))
        if status != 503:
            break
        refused += 1
        if refused == 6:   # about 2 s: past the 1 s timeout, so a hung request has failed and is retried
            # Nothing of a refused batch was applied: the first event's
            # player does not exist yet unless an earlier batch made them.
            m = metric(port, "questd_webhook_queue_depth")
            check(m is not None and m >= 50, "the queue is full while the receiver hangs", m)
            receiver.hang.clear()
            released = True
check(refused >= 6 and released, "ingest was refused while the receiver hung", refused)
check(receiver.wait_for(ref_keys), "after the receiver recovers, every action arrives",
      len(ref_keys - set(receiver.acked_keys())))
check(settled(port) and metric(port, "questd_webhook_backlog_refusals_total") == refused, "refusals counted")
check(metric(port, "questd_webhook_retries_total") >= 1, "the hung request timed out and was retried",
      metric(port, "questd_webhook_retries_total"))
print("webhook: backpressure: %d refusals, %d retries" % (refused, metric(port, "questd_webhook_retries_total")))
file_actions = open(os.path.join(data, "actions.ndjson")).read()
check(file_actions == open(ref_dir + "/actions.ndjson").read(), "the file sink equals quest run despite refusals")
proc.send_signal(signal.SIGTERM)
check(proc.wait(30) == 0, "questd stops with a receiver that hung")
receiver.close()

finish("webhook")
