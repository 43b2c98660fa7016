#!/usr/bin/env python3
"""Prints run.sh's table from its results file ("NAME KEY VALUE" lines).
Usage: report.py RESULTS EVENTS"""
import sys

# Each engine may have run several times: the best time of each kind is kept
# (the least noisy figure on a shared machine), and the largest RSS.
values = {}
for line in open(sys.argv[1]):
    name, key, value = line.split()
    v, x = values.setdefault(name, {}), float(value)
    v[key] = x if key not in v else max(v[key], x) if key in ("rss_kib", "actions") else min(v[key], x)
n = int(sys.argv[2])

rows = []   # (engine, events/s parse included, events/s parse excluded, RSS MiB)
for backend in ("jit", "interp"):
    v = values.get(f"engine_bench_{backend}")
    if v:
        rows.append((f"Questline {backend} (engine_bench)", n / (v["parse_s"] + v["engine_s"]), n / v["engine_s"],
                     v["rss_kib"] / 1024))
for backend in ("jit", "interp"):
    v = values.get(f"quest_run_{backend}")
    if v:
        rows.append((f"Questline {backend} (quest run, end to end)", n / v["wall_s"], None, v["rss_kib"] / 1024))
for name, label in (("cpp", "hand-written C++ (g++ -O2, simdjson)"), ("luajit", "LuaJIT + lua-cjson"),
                    ("node", "json-rules-engine (Node)")):
    v = values.get(name)
    if v:
        rows.append((label, n / v["parse_included_s"], n / v["parse_excluded_s"], v["rss_kib"] / 1024))

ref_in, ref_ex = rows[0][1], rows[0][2]
print()
print(f"{n:,} events. Ratio = {rows[0][0]} events/s ÷ the engine's (> 1: Questline is faster).")
print("Parse included: reading + JSON parsing + rules, timed inside the process (quest run: the whole")
print("process, compile and writing every action included). Parse excluded: rules over events already parsed.")
print()
header = ("engine", "events/s, parse incl.", "events/s, parse excl.", "peak RSS MiB", "ratio incl.", "ratio excl.")
table = [header]
for label, rate_in, rate_ex, rss in rows:
    table.append((label, f"{rate_in:,.0f}", f"{rate_ex:,.0f}" if rate_ex else "—", f"{rss:,.0f}",
                  f"{ref_in / rate_in:.3g}x", f"{ref_ex / rate_ex:.3g}x" if rate_ex else "—"))
widths = [max(len(r[i]) for r in table) for i in range(len(header))]
for j, r in enumerate(table):
    print("| " + " | ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)) + " |")
    if j == 0:
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
