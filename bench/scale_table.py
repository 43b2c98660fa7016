#!/usr/bin/env python3
"""Prints scale.sh's results.tsv as a markdown table (the last result of each
players/missions/run wins). Usage: scale_table.py RESULTS.tsv"""
import csv
import sys

rows = {}
with open(sys.argv[1]) as f:
    for r in csv.DictReader(f, delimiter="\t"):
        rows[(int(r["players"]), int(r["missions"]), r["run"])] = r


def num(x):
    return f"{x:,.0f}"


print("| players | events | missions | run | wall (s) | events/s | peak RSS (MiB) | KiB/player | timers fired | actions | quiet ÷ plain: time, RSS | load |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for (p, m, run), r in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] != "plain")):
    head = f"| {num(p)} | {num(int(r['events']))} | {m} | {'plain' if run == 'plain' else 'quiet month'} |"
    if r["status"] != "ok":
        print(f"{head} {r['status']} | | | | | | | {r['load']} |")
        continue
    wall, peak, base, active = float(r["wall_s"]), int(r["peak_kb"]), int(r["base_kb"]), int(r["active"])
    kib = (peak - base) / active
    ratio = ""
    if run == "quiet":
        pl = rows.get((p, m, "plain"))
        if pl and pl["status"] == "ok":
            ratio = f"{wall / float(pl['wall_s']):.2f}x, {peak / int(pl['peak_kb']):.2f}x"
    print(f"{head} {wall:.2f} | {num(int(r['events']) / wall)} | {num(peak / 1024)} | {kib:.2f} | "
          f"{num(int(r['timers']))} | {num(int(r['actions']))} | {ratio} | {r['load']} |")
