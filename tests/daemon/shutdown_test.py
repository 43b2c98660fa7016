"""questd's shutdown (issue 16 §8): on SIGTERM or SIGINT a request in hand is
still answered (and its actions written), idle connections close, and
questd exits 0. SIGHUP does not stop it.
Usage: shutdown_test.py QUESTD SOURCE_DIR"""
import os
import signal
import socket
import sys
import time

from questd_lib import Questd, check, config, finish, read_responses, request

questd, src = sys.argv[1:3]
lines = open(os.path.join(src, "examples/casino/events.ndjson")).read().splitlines()[:2000]
body = ("\n".join(lines) + "\n").encode()

for sig in (signal.SIGTERM, signal.SIGINT):
    d = Questd(questd, config(src, "limits: { max_batch_events: 100000 }\n"))
    # SIGHUP (a reload, here of the same rules) must not end the daemon.
    d.proc.send_signal(signal.SIGHUP)
    time.sleep(0.3)
    check(d.proc.poll() is None and request(d.port, "GET", "/healthz")[0] == 200, "questd survives SIGHUP")
    idle = socket.create_connection(("127.0.0.1", d.port))
    busy = socket.create_connection(("127.0.0.1", d.port))
    # Half a request is in hand when the signal comes: the daemon waits for the rest.
    busy.sendall(b"POST /v1/events HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:1000])
    time.sleep(0.3)
    d.proc.send_signal(sig)
    time.sleep(0.3)
    busy.sendall(body[1000:])
    responses = read_responses(busy, 1)
    check(responses and responses[0][0] == 200 and b'"accepted":2000' in responses[0][1],
          "the request in hand is answered after %s" % sig.name, responses)
    idle.settimeout(5)
    check(idle.recv(10) == b"", "an idle connection is closed after %s" % sig.name)
    code, err = d.stop(sig)
    check(code == 0, "questd exits 0 on %s" % sig.name, err)
    actions = open(os.path.join(d.dir, "data/actions.ndjson")).read().splitlines()
    check(len(actions) > 100 and actions[-1].endswith("}"), "the actions of the last batch are written", len(actions))
finish("daemon/shutdown")
