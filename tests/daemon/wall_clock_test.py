"""questd's clocks (issue 16 §4): with `clock: wall` a ticker moves the
engine's clock to the wall clock with no event; with `clock: event` only
events move it; limits.max_future bounds how far ahead of the wall clock an
event may be.
Usage: wall_clock_test.py QUESTD SOURCE_DIR"""
import re
import sys
import time

from questd_lib import Questd, check, config, finish, json_request, request


def engine_clock(port):
    text = request(port, "GET", "/metrics")[2].decode()
    m = re.search(r"^questd_engine_clock_seconds (\d+)$", text, re.M)
    return int(m.group(1)) if m else None


questd, src = sys.argv[1:3]
wall = Questd(questd, config(src, "clock: wall\n"))
event = Questd(questd, config(src, "clock: event\n"))
time.sleep(1.5)   # at least one tick after the start
clock = engine_clock(wall.port)
check(clock is not None and abs(clock - time.time()) < 5, "clock: wall follows the wall clock", (clock, time.time()))
check(engine_clock(event.port) == 0, "clock: event does not move without events", engine_clock(event.port))
request(event.port, "POST", "/v1/events", '{"id":"w1","type":"login","user":"w","ts":"2026-12-24T18:00:00Z"}')
check(engine_clock(event.port) == 1798135200, "an event moves the event clock to its time", engine_clock(event.port))
check(wall.stop()[0] == 0 and event.stop()[0] == 0, "both exit 0 on SIGTERM")

# limits.max_future: an event too far ahead of the wall clock is rejected, by line.
d = Questd(questd, config(src, "limits: { max_future: 1h }\n"))
now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
soon = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 1800))
status, answer = json_request(d.port, "POST", "/v1/events", "\n".join([
    '{"id":"f1","type":"login","user":"f","ts":"%s"}' % now,
    '{"id":"f2","type":"login","user":"f","ts":"2099-01-01T00:00:00Z"}',
    '{"id":"f3","type":"login","user":"f","ts":"%s"}' % soon]))
check(status == 200 and answer.get("accepted") == 2 and [r["line"] for r in answer.get("rejected", [])] == [2]
      and "max_future" in answer["rejected"][0]["reason"], "an event beyond max_future is rejected", answer)
check(d.stop()[0] == 0, "exits 0 on SIGTERM")
finish("daemon/wall_clock")
