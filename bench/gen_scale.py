#!/usr/bin/env python3
"""Writes issue 15's scale workload: a generated package and an event file.

Usage: gen_scale.py PLAYERS EVENTS MISSIONS OUTDIR

OUTDIR/package/*.quest:
  three custom events  spin {amount: decimal, game: string},
                       quest_step {kind: string}, purchase {value: decimal};
  50 rules, each with `cap N points per day` (30 on spin, 10 on quest_step,
  10 on purchase);
  MISSIONS weekly recurring missions (`recurring weekly`), two tasks each over
  those events, generally available (no audience, unlock or opt_in), so every
  player has an instance of every mission every week;
  20 levels on points_ever, 30 badges (10 on points_ever, 10 on lifetime spin
  counts per game, 10 on lifetime quest_step / purchase aggregates);
  settings timezone UTC, weeks from Monday; a self-exclusion policy.
OUTDIR/events.ndjson: EVENTS events (70% spin, 20% quest_step, 10% purchase)
  spread evenly over two weeks from Monday 2026-12-07T00:00Z, each from a
  player drawn uniformly from PLAYERS (random.Random(15), deterministic).
OUTDIR/meta.json: players seen, first and last event time.
"""
import datetime as dt
import json
import pathlib
import random
import sys

if len(sys.argv) != 5:
    sys.exit(__doc__)
players, events, missions = (int(a) for a in sys.argv[1:4])
out = pathlib.Path(sys.argv[4])
pkg = out / "package"
pkg.mkdir(parents=True, exist_ok=True)
for old in pkg.glob("*.quest"):
    old.unlink()

GAMES = [f"g{i}" for i in range(8)]
KINDS = [f"k{i}" for i in range(6)]


def write(name, lines):
    (pkg / name).write_text("\n".join(lines) + "\n")


write("schema.quest", [
    "event spin { amount: decimal, game: string }",
    "event quest_step { kind: string }",
    "event purchase { value: decimal }",
    "currency gems",
    'settings { timezone "UTC"  week_starts mon  seed "scale" }',
    "policy self_exclusion {",
    "  block rewards when profile.self_excluded",
    "}",
])

rules = []
for i in range(50):
    if i < 30:
        g = GAMES[i % len(GAMES)]
        rules += [f'rule r_{i} on spin where spin.game == "{g}" and spin.amount >= {i % 5}.5 {{',
                  f"  award points floor(spin.amount / {1 + i % 4})",
                  f"  cap {200 + 10 * i} points per day", "}"]
    elif i < 40:
        k = KINDS[i % len(KINDS)]
        rules += [f'rule r_{i} on quest_step where quest_step.kind == "{k}" {{',
                  f"  award points {5 + i % 10}",
                  f"  cap {50 + i} points per day", "}"]
    else:
        rules += [f"rule r_{i} on purchase where purchase.value >= {i % 20} {{",
                  "  award points floor(purchase.value)",
                  f"  cap {500 + i} points per day", "}"]
write("rules.quest", rules)

levels = ["level l_0 { at 0 }"]
levels += [f"level l_{i} {{ at {i * i * 250}  on reach {{ award gems {1 + i % 3} }} }}"
           for i in range(1, 20)]
write("levels.quest", levels)

badges = []
for i in range(30):
    if i < 10:
        cond = f"points_ever >= {(i + 1) * 400}"
    elif i < 20:
        cond = f'count(spin where spin.game == "{GAMES[i % len(GAMES)]}") >= {2 + i % 4}'
    elif i < 25:
        cond = f'count(quest_step where quest_step.kind == "{KINDS[i % len(KINDS)]}") >= {1 + i % 3}'
    else:
        cond = f"sum(purchase.value) >= {25 * (i - 24)}"
    badges.append(f"badge b_{i} {{ when {cond}  on earn {{ award gems 1 }} }}")
write("badges.quest", badges)

ms = []
for i in range(missions):
    g = GAMES[i % len(GAMES)]
    second = [
        f'count(quest_step where quest_step.kind == "{KINDS[i % len(KINDS)]}") >= {1 + i % 3}',
        f"sum(purchase.value) >= {20 + i % 50}",
        f"sum(spin.amount) >= {30 + i % 70}",
    ][i % 3]
    ms += [f"mission m_{i} {{",
           f'  title "Weekly {i}"',
           "  recurring weekly",
           f'  task a {{ count(spin where spin.game == "{g}") >= {2 + i % 5}  award points 10 }}',
           f"  task b {{ {second} }}",
           f"  reward {{ award points {50 + i % 100} }}", "}"]
if ms:
    write("missions.quest", ms)

rng = random.Random(15)
start = dt.datetime(2026, 12, 7, tzinfo=dt.timezone.utc)
span_ms = 14 * 86400 * 1000
seen = set()
first = last = None
with open(out / "events.ndjson", "w") as f:
    buf = []
    for n in range(events):
        t = start + dt.timedelta(milliseconds=(n * span_ms) // max(events, 1))
        ts = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
        p = rng.randrange(players)
        seen.add(p)
        user = f"p{p:07d}"
        r = rng.random()
        if r < 0.7:
            body = (f'"type":"spin","amount":{rng.randrange(1, 200) / 2},'
                    f'"game":"{GAMES[rng.randrange(len(GAMES))]}"')
        elif r < 0.9:
            body = f'"type":"quest_step","kind":"{KINDS[rng.randrange(len(KINDS))]}"'
        else:
            body = f'"type":"purchase","value":{rng.randrange(5, 400) / 4}'
        buf.append(f'{{"id":"e{n}","user":"{user}","ts":"{ts}",{body}}}\n')
        if len(buf) >= 100000:
            f.writelines(buf)
            buf.clear()
        first = first or ts
        last = ts
    f.writelines(buf)
(out / "meta.json").write_text(json.dumps(
    {"players": players, "events": events, "missions": missions,
     "active_players": len(seen), "first_ts": first, "last_ts": last}) + "\n")
