#!/usr/bin/env python3
"""Writes a realistic, reproducible event stream for the casino example:
50 players over three weeks of December 2026 (registrations, logins, deposits,
bets and wins on slots and live tables, store purchases, mission opt-ins, one
self-exclusion). Usage: gen_sample_events.py OUT [USERS] [DAYS] [SEED]"""
import json, random, sys
from datetime import datetime, timedelta, timezone

out = sys.argv[1]
users = int(sys.argv[2]) if len(sys.argv) > 2 else 50
days = int(sys.argv[3]) if len(sys.argv) > 3 else 21
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
start = datetime(2026, 12, 1, tzinfo=timezone.utc)
games = [("book_of_dead", "playngo", "slots"), ("starburst", "netent", "slots"),
         ("lightning_roulette", "evolution", "live_casino"), ("blackjack", "evolution", "table"),
         ("aviator", "spribe", "crash")]
events, seq = [], 0

def add(t, kind, user, **fields):
    global seq
    seq += 1
    events.append((t, seq, dict(id=f"e-{seq:06d}", type=kind, user=user,
                                ts=t.strftime("%Y-%m-%dT%H:%M:%SZ"), **fields)))

for u in range(users):
    user = f"u{u:03d}"
    t = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 3))
    add(t, "registration", user, country=rng.choice(["MT", "DE", "GB", "FI", "SE"]), language="en",
        brand="questcasino", affiliate=rng.choice(["", "aff_1", "aff_2"]), device=rng.choice(["mobile", "desktop"]))
    add(t + timedelta(minutes=1), "profile_update", user, marketing_opt_in=rng.random() < 0.7,
        vip=rng.random() < 0.1, kyc_verified=rng.random() < 0.8)
    activity = rng.random()
    day = t
    while day < start + timedelta(days=days):
        if rng.random() < 0.3 + 0.6 * activity:
            session = day.replace(hour=rng.randrange(8, 23), minute=rng.randrange(60))
            add(session, "login", user, device="mobile", ip_country="MT")
            if rng.random() < 0.5:
                add(session + timedelta(minutes=2), "deposit", user, amount=rng.choice([10, 20, 25, 50, 100, 250, 500]),
                    currency="EUR", method=rng.choice(["card", "card", "BTC", "skrill"]), first=False)
            for b in range(rng.randrange(1, 12)):
                game, provider, kind = rng.choice(games)
                bt = session + timedelta(minutes=3 + b)
                amount = round(rng.choice([0.2, 0.5, 1, 2, 5, 10, 25]), 2)
                add(bt, "bet", user, game=game, provider=provider, game_type=kind, amount=amount, currency="EUR",
                    device="mobile", lobby="main", jackpot=False)
                if rng.random() < 0.3:
                    add(bt + timedelta(seconds=5), "win", user, game=game, provider=provider, game_type=kind,
                        amount=round(amount * rng.choice([1.5, 2, 5, 20]), 2), currency="EUR",
                        multiplier=rng.choice([1.5, 2, 5, 20, 150]))
            if rng.random() < 0.1:
                add(session + timedelta(minutes=30), "mission_opt_in", user, mission="casino_challenge")
        day += timedelta(days=1)
# One player self-excludes in the second week: their later rewards must be blocked.
add(start + timedelta(days=8), "profile_update", "u001", self_excluded=True)
events.sort(key=lambda e: (e[0], e[1]))
with open(out, "w") as f:
    for _, _, e in events:
        f.write(json.dumps(e, separators=(",", ":")) + "\n")
print(f"{len(events)} events for {users} users over {days} days -> {out}", file=sys.stderr)
