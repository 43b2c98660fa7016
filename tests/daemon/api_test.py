"""questd's HTTP API against `quest run` (issue 16 §2, §4, §6): the same
events through the daemon end in the same state and the same action bytes;
the answers count accepted, duplicate and rejected events right. With
API_PARTITIONS=N questd splits its players over N partitions on threads
(docs/engine.md, "Partitions"): the same answers are expected.
Usage: api_test.py QUESTD QUEST SOURCE_DIR"""
import json
import os
import subprocess
import sys
import tempfile

from questd_lib import Questd, check, config, finish, json_request, prometheus_problems, promtool_problems, request

questd, quest, src = sys.argv[1:4]
events_path = os.path.join(src, "examples/casino/events.ndjson")
lines = open(events_path).read().splitlines()

# The reference: quest run of the same events, same engine.
ref_dir = tempfile.mkdtemp(prefix="questd_ref_")
subprocess.run([quest, "run", os.path.join(src, "examples/casino"), "--events", events_path, "--engine", "jit",
                "--actions", ref_dir + "/actions.ndjson", "--state", ref_dir + "/state.json"],
               check=True, stderr=subprocess.DEVNULL)
ref_state = {u["user"]: u for u in json.load(open(ref_dir + "/state.json"))["users"]}
ref_actions = open(ref_dir + "/actions.ndjson", "rb").read()

partitions = int(os.environ.get("API_PARTITIONS", "1"))
d = Questd(questd, config(src, engine="jit", extra="partitions: %d\n" % partitions))
port = d.port

# /metrics before any event: families with no samples yet (issue 16 §7).
status, _, text = request(port, "GET", "/metrics")
check(status == 200 and not promtool_problems(text.decode()), "promtool accepts /metrics at start",
      promtool_problems(text.decode()))

# First 1000 lines as NDJSON.
status, answer = json_request(port, "POST", "/v1/events", "\n".join(lines[:1000]) + "\n")
check(status == 200 and answer == {"accepted": 1000, "duplicates": 0, "rejected": []},
      "the first 1000 events are accepted", (status, answer))

# Bad lines amid good ones: a line of the batch each, reported by number; the
# duplicates of events just sent are skipped. Nothing here changes state.
bad = "\n".join([lines[0], '{"id":"x-1","type":"no_such_event","user":"u1","ts":"2026-12-01T00:00:00Z"}',
                 "{not json", "", lines[1], lines[999]])
status, answer = json_request(port, "POST", "/v1/events", bad)
check(status == 200 and answer.get("accepted") == 0 and answer.get("duplicates") == 3,
      "duplicates are counted, not accepted", answer)
rejected = answer.get("rejected", []) if isinstance(answer, dict) else []
check([r.get("line") for r in rejected] == [2, 3], "the bad lines are rejected by number", rejected)
check(len(rejected) == 2 and "no_such_event" in rejected[0]["reason"], "an unknown type's reason names it", rejected)

# The rest: as a JSON array, then NDJSON with CRLF line ends.
array = "[" + ",".join(lines[1000:3000]) + "]"
status, answer = json_request(port, "POST", "/v1/events", array)
check(status == 200 and answer == {"accepted": 2000, "duplicates": 0, "rejected": []}, "a JSON array batch", answer)
status, answer = json_request(port, "POST", "/v1/events", "\r\n".join(lines[3000:]) + "\r\n")
check(status == 200 and answer == {"accepted": len(lines) - 3000, "duplicates": 0, "rejected": []},
      "the last events, CRLF", answer)
status, answer = json_request(port, "POST", "/v1/events", "[1, 2")
check(status == 400, "an unclosed JSON array is 400", (status, answer))

# Every player's state equals quest run's.
differ = []
for user, expected in ref_state.items():
    status, got = json_request(port, "GET", "/v1/users/" + user)
    if status != 200 or got != expected:
        differ.append(user)
check(not differ, "every player's state equals quest run's", differ[:5])
status, _ = json_request(port, "GET", "/v1/users/nobody")
check(status == 404, "an unknown player is 404", status)

# Leaderboard: quest run's ranks of the current window.
ranked = sorted((u["competitions"]["weekly_points"]["rank"], name, u["competitions"]["weekly_points"]["score"])
                for name, u in ref_state.items()
                if u["competitions"].get("weekly_points", {}).get("rank") is not None)
status, board = json_request(port, "GET", "/v1/leaderboards/weekly_points?top=5")
check(status == 200 and [(e["rank"], e["user"], e["score"]) for e in board.get("entries", [])] == ranked[:5],
      "the leaderboard's top 5 is quest run's", (board, ranked[:5]))
check(json_request(port, "GET", "/v1/leaderboards/nope")[0] == 404, "an unknown leaderboard is 404")
check(json_request(port, "GET", "/v1/leaderboards/weekly_points?top=x")[0] == 400, "a bad top is 400")

# Mission stats: the mission actions quest run wrote, counted.
actions = [json.loads(l) for l in ref_actions.decode().splitlines()]
def count(state):
    return sum(1 for a in actions if a["action"] == "mission" and a.get("mission") == "casino_challenge"
               and a.get("state") == state)
status, stats = json_request(port, "GET", "/v1/missions/casino_challenge/stats")
check(status == 200 and all(stats.get(s) == count(s) for s in ("available", "started", "completed", "expired")),
      "mission stats count the mission actions", (stats, [count(s) for s in ("started", "completed", "expired")]))
check([t["task"] for t in stats.get("funnel", [])] == ["spins", "wager"], "the funnel lists every task", stats)
check(json_request(port, "GET", "/v1/missions/nope/stats")[0] == 404, "an unknown mission is 404")

# Metrics: the counts above, in the Prometheus text format.
status, headers, text = request(port, "GET", "/metrics")
text = text.decode()
check(status == 200 and headers.get("Content-Type", "").startswith("text/plain"), "/metrics is text", headers)
check(not prometheus_problems(text), "/metrics is valid Prometheus text", prometheus_problems(text))
check(not promtool_problems(text), "promtool check metrics accepts /metrics", promtool_problems(text))
check("questd_events_accepted_total %d\n" % len(lines) in text, "metrics: events accepted", text[:500])
check("questd_events_duplicate_total 3\n" in text, "metrics: duplicates")
check("questd_events_rejected_total 2\n" in text, "metrics: rejected lines (a malformed array is no line)")
check('questd_actions_total{kind="award"}' in text, "metrics: actions by kind")
fires = [l for l in text.splitlines() if l.startswith('questd_rule_fires_total{rule="')]
check(fires and all(int(l.rsplit(" ", 1)[1]) >= 0 for l in fires) and any(int(l.rsplit(" ", 1)[1]) > 0 for l in fires),
      "metrics: fires per rule", fires)
check('questd_request_duration_seconds_bucket{endpoint="events",le="+Inf"} 5' in text,
      "metrics: the latency histogram counts every events request", text)

# Imports: applied in order; bad rows refuse the whole file, by line.
before = json_request(port, "GET", "/v1/users/u043")[1]["balances"]["gems"]
status, answer = json_request(port, "POST", "/v1/balances/import", "user,currency,operation,amount\nu043,gems,add,5\n")
check(status == 200 and answer == {"applied": 1}, "a balance import", answer)
check(json_request(port, "GET", "/v1/users/u043")[1]["balances"]["gems"] == before + 5, "the import added 5 gems")
status, answer = json_request(port, "POST", "/v1/balances/import",
                              "user,currency,operation,amount\nu043,gems,add,5\nu043,rubies,add,1\nu043,gems,grow,1\n")
check(status == 422 and [r["line"] for r in answer.get("rejected", [])] == [3, 4], "bad balance rows by line", answer)
check(json_request(port, "GET", "/v1/users/u043")[1]["balances"]["gems"] == before + 5, "a refused import changes nothing")
status, answer = json_request(port, "POST", "/v1/segments/promo_list/import", "user\nu043\nu010\n")
check(status == 200 and answer == {"applied": 2}, "a segment import", answer)
check(json_request(port, "POST", "/v1/segments/depositor/import", "user\nu1\n")[0] == 409,
      "importing a computed segment is refused")
check(json_request(port, "POST", "/v1/segments/nope/import", "user\nu1\n")[0] == 404, "an unknown segment is 404")

# The rules on disk are those running: a reload changes nothing (reload_test.py does the rest).
status, answer = json_request(port, "POST", "/v1/reload", "")
check(status == 200 and answer.get("unchanged") is True and answer.get("package") == answer.get("previous"),
      "a reload of the same rules is a no-op", answer)
check(json_request(port, "GET", "/v1/events")[0] == 405, "a wrong method is 405")
check(json_request(port, "GET", "/nope")[0] == 404, "an unknown path is 404")
status, _, text = request(port, "GET", "/metrics")   # now with imports and 4xx/5xx answers counted
check(status == 200 and not promtool_problems(text.decode()), "promtool accepts /metrics at the end",
      promtool_problems(text.decode()))

code, err = d.stop()
check(code == 0, "questd exits 0 on SIGTERM", err)
got_actions = open(os.path.join(d.dir, "data/actions.ndjson"), "rb").read()
check(got_actions == ref_actions, "the action file is quest run's, byte for byte",
      (len(got_actions), len(ref_actions)))
finish("daemon/api")
