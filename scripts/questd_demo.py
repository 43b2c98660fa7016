"""The demo's look at questd (scripts/demo.sh): posts the casino's events over
HTTP, then shows a player, a leaderboard and /metrics from the API.
Usage: questd_demo.py PORT EVENTS.ndjson   (the token in $QUESTD_TOKEN)"""
import json
import os
import sys
import urllib.request

port, events = sys.argv[1], sys.argv[2]
auth = {"Authorization": "Bearer " + os.environ["QUESTD_TOKEN"]}


def call(method, path, body=None):
    req = urllib.request.Request("http://127.0.0.1:%s%s" % (port, path), data=body, method=method, headers=auth)
    with urllib.request.urlopen(req) as r:
        return r.read().decode()


print("POST /v1/events ->", call("POST", "/v1/events", open(events, "rb").read()).strip())
player = json.loads(call("GET", "/v1/users/u043"))
print("GET /v1/users/u043 -> points %s, level %s, badges %s, segments %s" %
      (player["points"], player["level"], player["badges"], player["segments"]))
print("GET /v1/leaderboards/weekly_points?top=3 ->", call("GET", "/v1/leaderboards/weekly_points?top=3").strip())
print("GET /metrics (events and actions):")
for line in call("GET", "/metrics").splitlines():
    if line.startswith(("questd_events_", "questd_actions_total")):
        print("  " + line)
