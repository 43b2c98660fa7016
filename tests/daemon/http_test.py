"""questd's HTTP under abuse (issue 16 §2): pipelined requests answered in
order, limits with their status (413, 431, a long line rejected alone, the
batch cap), malformed HTTP is a 400 that leaves the daemon serving, slow
clients time out, the connection cap.
Usage: http_test.py QUESTD SOURCE_DIR"""
import socket
import sys
import time

from questd_lib import Questd, check, config, finish, json_request, raw_exchange, read_responses, request

questd, src = sys.argv[1:3]
limits = ("limits: { max_event_bytes: 300, max_batch_events: 5, max_body_bytes: 4096, max_header_bytes: 1024,\n"
          "          max_connections: 4, read_timeout: 1s }\n")
d = Questd(questd, config(src, limits))
port = d.port


def event(n, user="p1", kind="login"):
    return ('{"id":"h-%d","type":"%s","user":"%s","ts":"2026-12-01T10:%02d:00Z"}' % (n, kind, user, n % 60))


def post(body):
    return ("POST /v1/events HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)).encode()


def get(path):
    return ("GET %s HTTP/1.1\r\nHost: t\r\n\r\n" % path).encode()


# Pipelining: six requests in one write, answered in order, and each sees the
# effects of those before it (p1 is unknown until its login is posted).
s = socket.create_connection(("127.0.0.1", port))
s.sendall(get("/v1/users/p1") + post(event(1)) + get("/v1/users/p1") + get("/healthz") +
          post(event(1) + "\n" + event(2, "p2")) + get("/v1/users/p2"))
responses = read_responses(s, 6)
s.close()
statuses = [r[0] for r in responses]
check(statuses == [404, 200, 200, 200, 200, 200], "pipelined answers come in order", responses)
if len(responses) == 6:
    check(b'"accepted":1' in responses[1][1], "the first batch is answered second", responses[1])
    check(b'"user":"p1"' in responses[2][1], "then p1's state", responses[2])
    check(b'"status":"ok"' in responses[3][1], "then the health check", responses[3])
    check(b'"accepted":1,"duplicates":1' in responses[4][1], "then the second batch (one duplicate)", responses[4])
    check(b'"user":"p2"' in responses[5][1], "then p2's state", responses[5])

# A line over max_event_bytes is rejected alone; the rest of its batch goes through.
long_line = '{"id":"h-9","type":"login","user":"p3","ts":"2026-12-01T10:09:00Z","pad":"%s"}' % ("x" * 400)
status, answer = json_request(port, "POST", "/v1/events", "\n".join([event(3, "p3"), long_line, event(4, "p3")]))
check(status == 200 and answer.get("accepted") == 2 and [r["line"] for r in answer.get("rejected", [])] == [2]
      and "max_event_bytes" in answer["rejected"][0]["reason"], "a long line is rejected alone", answer)
# More events than max_batch_events: 413, nothing applied.
status, answer = json_request(port, "POST", "/v1/events", "\n".join(event(10 + i, "p4") for i in range(6)))
check(status == 413 and "max_batch_events" in answer.get("error", ""), "a batch over max_batch_events is 413", answer)
check(json_request(port, "GET", "/v1/users/p4")[0] == 404, "a refused batch applies nothing")
# A body over max_body_bytes: 413.
status, _, body = request(port, "POST", "/v1/events", "x" * 5000)
check(status == 413, "a body over max_body_bytes is 413", (status, body))
# A header over max_header_bytes: 431 (Request Header Fields Too Large).
status, _, body = request(port, "GET", "/healthz", headers={"X-Big": "y" * 2000})
check(status == 431, "a header over max_header_bytes is 431", (status, body))

# Malformed HTTP: 400, the connection closes, the daemon keeps serving.
for bad in [b"GARBAGE\r\n\r\n", b"GET /healthz HTTP/9.9\r\n\r\n",
            b"POST /v1/events HTTP/1.1\r\nContent-Length: abc\r\n\r\n", b"GET /healthz HTTP/1.1\r\nNo colon\r\n\r\n",
            b"\x00\xff\xfe binary \r\n\r\n"]:
    answer = raw_exchange(port, bad)
    check(answer.startswith(b"HTTP/1.1 400"), "malformed HTTP is 400: %r" % bad[:30], answer[:200])
check(json_request(port, "GET", "/healthz")[0] == 200, "the daemon answers after malformed requests")

# A client that stops mid-request is cut off after read_timeout (1 s).
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")
s.settimeout(5)
start = time.time()
try:
    closed = s.recv(100) == b""
except (socket.timeout, ConnectionResetError):
    closed = False
check(closed and time.time() - start < 4, "a slow client is closed after read_timeout", time.time() - start)
s.close()

# The connection cap (4): a fifth connection gets 503 while four are open.
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
time.sleep(0.2)
answer = raw_exchange(port, get("/healthz"))
check(answer.startswith(b"HTTP/1.1 503"), "a connection over max_connections is 503", answer[:100])
for h in held:
    h.close()
time.sleep(0.3)
check(json_request(port, "GET", "/healthz")[0] == 200, "after they close, connections are served again")

code, err = d.stop()
check(code == 0, "questd exits 0 on SIGTERM", err)
finish("daemon/http")
