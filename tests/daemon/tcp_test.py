"""questd's TCP NDJSON port (issue 16 §2): the lines of POST /v1/events as a
stream, one answer line per batch, lines numbered from the connection's
first; a long line is rejected alone; the state is that of the same events
over HTTP.
Usage: tcp_test.py QUESTD SOURCE_DIR"""
import json
import os
import socket
import sys
import time

from questd_lib import Questd, check, config, finish, json_request

questd, src = sys.argv[1:3]
lines = open(os.path.join(src, "examples/casino/events.ndjson")).read().splitlines()[:600]
d = Questd(questd, config(src, "limits: { max_event_bytes: 2000, max_batch_events: 100 }\n",
                          listen='{ http: "127.0.0.1:0", tcp: "127.0.0.1:0" }'), expect_ports=("http", "tcp"))
s = socket.create_connection(("127.0.0.1", d.ports["tcp"]))
# Lines cut at arbitrary places across writes, a long line, a bad one, a duplicate.
stream = "\n".join(lines[:300]) + "\n" + '{"pad":"' + "x" * 5000 + '"}\n' + "oops\n" + lines[0] + "\n" + \
    "\n".join(lines[300:]) + "\n"
total_lines = 300 + 3 + 300
data = stream.encode()
for i in range(0, len(data), 7000):
    s.sendall(data[i:i + 7000])
    time.sleep(0.01)
answers = []
buf = b""
s.settimeout(30)
while not answers or answers[-1].get("last_line", 0) < total_lines:
    chunk = s.recv(65536)
    if not chunk:
        break
    buf += chunk
    while b"\n" in buf:
        line, buf = buf.split(b"\n", 1)
        answers.append(json.loads(line))
s.close()
check(answers and answers[-1].get("last_line") == total_lines, "every line is answered", answers[-3:])
check(sum(a["accepted"] for a in answers) == 600, "600 events accepted", [a["accepted"] for a in answers])
check(sum(a["duplicates"] for a in answers) == 1, "one duplicate")
rejected = [r for a in answers for r in a["rejected"]]
check([r["line"] for r in rejected] == [301, 302], "the long and the bad line are rejected by number", rejected)
check(rejected and "max_event_bytes" in rejected[0]["reason"], "the long line's reason", rejected)
check(all(len(a["rejected"]) + a["accepted"] + a["duplicates"] <= 100 for a in answers),
      "batches are cut at max_batch_events")
last = [a["last_line"] for a in answers]
check(last == sorted(last), "answers come in line order", last)

# The same state as over HTTP: a second daemon fed the same events by POST.
h = Questd(questd, config(src))
json_request(h.port, "POST", "/v1/events", "\n".join(lines))
for user in ("u043", "u010", "u001"):
    a, b = json_request(d.port, "GET", "/v1/users/" + user), json_request(h.port, "GET", "/v1/users/" + user)
    check(a == b, "TCP and HTTP ingest agree on " + user, (a, b))
# A line with no newline before the client closes its side still counts.
s = socket.create_connection(("127.0.0.1", d.ports["tcp"]))
s.sendall(b'{"id":"t-last","type":"login","user":"tcp_user","ts":"2026-12-20T10:00:00Z"}')
s.shutdown(socket.SHUT_WR)
s.settimeout(10)
answer = json.loads(s.recv(65536).split(b"\n")[0])
check(answer.get("accepted") == 1 and answer.get("last_line") == 1, "an unterminated last line", answer)
s.close()
check(d.stop()[0] == 0 and h.stop()[0] == 0, "both exit 0 on SIGTERM")
finish("daemon/tcp")
