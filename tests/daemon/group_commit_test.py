"""Group commit across concurrent requests (issue 17 §1, docs/durability.md):
many HTTP clients post at once, their batches share fdatasyncs, and still
every acknowledged event is durable. Also the daemon's counters across
restarts (issue 17, docs/durability.md "Counters across restarts").

16 clients, each on a kept-alive connection, post batches of events of
players of their own (a registration and a deposit each; every fifth batch
also carries a line that does not parse) with `fsync: group` and a snapshot
every 300 events, so snapshots are written in the background meanwhile.
questd is killed with SIGKILL while they post. After the restart:
- every event of every acknowledged batch is in the recovered engine: each
  acknowledged player exists, and every acknowledged event posted again is
  a duplicate (its id is in the recovered dedupe window);
- the action file holds each action key once;
- the /metrics counters read before the kill have not gone down.
Then a clean restart (SIGTERM) keeps every counter and the mission stats
exactly. No timing is asserted (figures are bench/'s).
Usage: group_commit_test.py QUESTD SOURCE_DIR"""
import http.client
import json
import random
import re
import signal
import sys
import threading
import time

from questd_lib import Questd, check, config, finish, json_request, launch, request

questd, src = sys.argv[1:3]
CLIENTS, PER_BATCH = 16, 4   # players per batch: 2 events each

q = Questd(questd, config(src, "durability: { fsync: group, snapshot_every_events: 300 }\n"))
acked = []          # (lines, users) of each batch answered 200
acked_lock = threading.Lock()
stop = threading.Event()
bad_answers = []


def batch_lines(client, n):
    lines, users = [], []
    for p in range(PER_BATCH):
        user = "gc-%d-%d-%d" % (client, n, p)
        minute = (client * 7 + n + p) % 60
        ts = "2026-12-01T10:%02d:00Z" % minute
        lines.append(json.dumps({"id": user + "-r", "type": "registration", "user": user, "ts": ts, "country": "SE",
                                 "language": "en", "brand": "questcasino", "affiliate": "aff_1", "device": "mobile"}))
        lines.append(json.dumps({"id": user + "-d", "type": "deposit", "user": user, "ts": ts, "amount": 250,
                                 "currency": "EUR", "method": "BTC", "first": True}))
        users.append(user)
    return lines, users


def client(index):
    conn = http.client.HTTPConnection("127.0.0.1", q.port, timeout=30)
    n = 0
    while not stop.is_set():
        lines, users = batch_lines(index, n)
        body = lines + (['{"id": "broken'] if n % 5 == 0 else [])
        n += 1
        try:
            conn.request("POST", "/v1/events", body="\n".join(body) + "\n")
            r = conn.getresponse()
            answer = json.loads(r.read())
        except Exception:   # the kill: this batch's answer was not read
            return
        if r.status == 200 and answer.get("accepted") == len(lines) and len(answer["rejected"]) == len(body) - len(lines):
            with acked_lock:
                acked.append((lines, users))
        else:
            bad_answers.append((r.status, answer))
            return


def metrics(port):
    status, _, text = request(port, "GET", "/metrics")
    values = {}
    for line in text.decode().splitlines():
        m = re.match(r"^(questd_(?:events_\w+|imports|actions)_total(?:\{[^}]*\})?) (\d+)$", line)
        if m:
            values[m.group(1)] = int(m.group(2))
    return values


threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
for t in threads:
    t.start()
time.sleep(2.0)
before = metrics(q.port)   # counted after their records were durable
time.sleep(0.5)
q.proc.send_signal(signal.SIGKILL)
q.proc.wait()
stop.set()
for t in threads:
    t.join()
check(not bad_answers, "every answer before the kill is a 200 with the batch's counts", bad_answers[:3])
check(len(acked) > CLIENTS, "the clients had batches acknowledged (%d)" % len(acked))
print("acknowledged before the kill: %d batches of %d events" % (len(acked), 2 * PER_BATCH))

proc, ports = launch(questd, q.config_path, q.stderr_path + ".2")
port = ports["http"]
after = metrics(port)
for name, value in before.items():
    check(after.get(name, 0) >= value, "counter %s does not go down across kill -9" % name,
          "%d before, %s after" % (value, after.get(name)))
sample = random.Random(17).sample(acked, min(60, len(acked)))
missing = [u for _, users in sample for u in users if request(port, "GET", "/v1/users/" + u)[0] != 200]
check(not missing, "every player of the acknowledged batches is in the recovered state", missing[:5])
everything = [line for lines, _ in acked for line in lines]
duplicates = 0
for i in range(0, len(everything), 5000):
    status, answer = json_request(port, "POST", "/v1/events", "\n".join(everything[i:i + 5000]) + "\n")
    check(status == 200, "acknowledged events posted again: 200", answer)
    duplicates += answer.get("duplicates", 0) if isinstance(answer, dict) else 0
check(duplicates == len(everything), "every acknowledged event is a duplicate after recovery (recovered)",
      "%d of %d" % (duplicates, len(everything)))
keys = [json.loads(line)["key"] for line in open(q.dir + "/data/actions.ndjson")]
check(len(keys) == len(set(keys)), "the action file holds each action key once")

# A clean restart keeps the counters and the mission stats exactly.
counted = metrics(port)
_, missions = json_request(port, "GET", "/v1/missions/welcome_journey/stats")
check(isinstance(missions, dict) and missions.get("started", 0) > 0, "mission stats counted", missions)
proc.send_signal(signal.SIGTERM)
check(proc.wait(30) == 0, "SIGTERM: exit 0")
proc, ports = launch(questd, q.config_path, q.stderr_path + ".3")
port = ports["http"]
recounted = metrics(port)
check(recounted == counted, "a restart keeps every counter", {k: (v, recounted.get(k)) for k, v in counted.items()
                                                             if recounted.get(k) != v})
check(counted.get("questd_events_rejected_total", 0) > 0, "rejected lines were counted")
check(json_request(port, "GET", "/v1/missions/welcome_journey/stats")[1] == missions,
      "a restart keeps the mission stats")
proc.send_signal(signal.SIGTERM)
check(proc.wait(30) == 0, "SIGTERM after the restart: exit 0")
finish("group_commit_test")
