#!/usr/bin/env python3
"""Per-user totals from `quest run`'s actions: the points of every `award`
action in points, and the `completed` mission actions.
Usage: quest_totals.py ACTIONS.ndjson OUT.txt  (lines "user points completions", sorted)"""
import json, sys

points, completions = {}, {}
with open(sys.argv[1]) as f:
    for line in f:
        a = json.loads(line)
        kind = a["action"]
        if kind == "award" and a.get("currency") == "points":
            points[a["user"]] = points.get(a["user"], 0) + a["amount"]
        elif kind == "mission" and a.get("state") == "completed":
            completions[a["user"]] = completions.get(a["user"], 0) + 1
        elif kind in ("blocked", "rejected", "deduct"):
            sys.exit(f"unexpected action in the peer workload: {line.strip()}")
with open(sys.argv[2], "w") as out:
    for user in sorted(set(points) | set(completions)):
        out.write(f"{user} {points.get(user, 0)} {completions.get(user, 0)}\n")
