#!/usr/bin/env python3
"""Writes a large, well-typed package: the biggest setups operators report
(500 missions, 100 levels, 400 store items, 300 rules, 200 segments, 50 flows),
times SCALE. Usage: gen_package.py OUT_DIR [SCALE]"""
import pathlib, sys

out = pathlib.Path(sys.argv[1])
scale = int(sys.argv[2]) if len(sys.argv) > 2 else 1
out.mkdir(parents=True, exist_ok=True)
games = ["slots", "live_casino", "table", "crash"]

def write(name, lines):
    (out / name).write_text("\n".join(lines) + "\n")

write("schema.quest", [
    "currency gems",
    'settings { timezone "Europe/Malta"  week_starts mon  seed "bench" }',
    "policy rg {",
    "  block rewards when profile.self_excluded",
    "  block messages when not profile.marketing_opt_in",
    "  cap messages 3 per day",
    "}",
])
segs, mets = [], []
for i in range(200 * scale):
    mets.append(f"metric dep_{i} = sum(deposit.amount where deposit.amount > {i % 50}) over last {1 + i % 30}d")
    segs.append(f"segment seg_{i} = dep_{i} >= {100 + i} and profile.country != \"GB\"")
write("segments.quest", mets + segs)
rules = []
for i in range(300 * scale):
    g = games[i % 4]
    rules += [f"rule r_{i} on bet where bet.game_type == \"{g}\" and bet.amount >= {i % 7}.5 {{",
              f"  award points floor(bet.amount / {1 + i % 9})",
              f"  cap {1000 + i} points per day", "}"]
write("rules.quest", rules)
levels = [f"level l_{i} {{ at {i * 1000}  on reach {{ award gems {1 + i % 5} }} }}" for i in range(100 * scale)]
write("levels.quest", levels)
missions = []
for i in range(500 * scale):
    g = games[i % 4]
    missions += [f"mission m_{i} {{",
                 f"  title \"Mission {i}\"",
                 f"  audience seg_{i % (200 * scale)}",
                 "  recurring weekly" if i % 2 else "  opt_in",
                 f"  task spins {{ count(bet where bet.game_type == \"{g}\") >= {10 + i % 40}  award points 10 }}",
                 f"  task wager {{ sum(bet.amount) >= {100 + i} }}",
                 f"  reward {{ award gems {1 + i % 3}  grant bonus \"fs_{i}\" }}", "}"]
write("missions.quest", missions)
items = [f"item i_{i} {{ title \"Item {i}\"  price {10 + i} gems  limit 1 per week  stock {100 + i}  on purchase {{ grant bonus \"item_{i}\" }} }}"
         for i in range(400 * scale)]
write("store.quest", items)
flows = []
for i in range(50 * scale):
    flows += [f"flow f_{i} {{", f"  on enter seg_{i}", "  audience profile.marketing_opt_in",
              "  send inbox \"hello\"", f"  wait for deposit within {1 + i % 5}d {{ award points 100 }} timeout {{ send push \"nudge\" }}", "}"]
write("flows.quest", flows)
