'use strict';
// The peer workload (bench/peers/gen.py) with json-rules-engine: each rule is
// a JSON rule the engine evaluates on every event; what json-rules-engine has
// no notion of (a per-player daily cap, a weekly mission's progress) is kept in
// JavaScript around it, and the mission's completion test is itself a rule over
// facts holding that progress (updated before the rules run, as Questline
// updates metrics before its rules see an event).
// Usage: node rules.js EVENTS.ndjson OUT.txt
// Writes one line per player, sorted by id: "user points mission_completions".
// Prints "parse_included_s S" (read + JSON.parse + rules, streaming) and
// "parse_excluded_s S" (rules alone over events parsed into memory first).
const fs = require('fs');
const readline = require('readline');
const { Engine } = require('json-rules-engine');

const DAY = 86400000;
// [game_type, minimum amount, divisor], as gen.py's BET_RULES
const BET_RULES = [
  ['slots', 1, 5], ['slots', 10, 4], ['slots', 25, 2],
  ['live_casino', 1, 10], ['live_casino', 20, 5],
  ['crash', 1, 8], ['crash', 30, 3], ['crash', 45, 1],
];
const CAP = 60, MISSION_SLOTS = 2, MISSION_DEPOSITS = 50, MISSION_REWARD = 500;

function makeEngine() {
  const engine = new Engine([], { allowUndefinedFacts: true });
  BET_RULES.forEach(([game, least, div], i) => engine.addRule({
    name: `bet_${i}`,
    conditions: { all: [
      { fact: 'type', operator: 'equal', value: 'bet' },
      { fact: 'game_type', operator: 'equal', value: game },
      { fact: 'amount', operator: 'greaterThanInclusive', value: least },
    ] },
    event: { type: 'award', params: { divisor: div } },
  }));
  engine.addRule({
    name: 'deposit_points',
    conditions: { all: [
      { fact: 'type', operator: 'equal', value: 'deposit' },
      { fact: 'amount', operator: 'greaterThanInclusive', value: 50 },
    ] },
    event: { type: 'award', params: { divisor: 10 } },
  });
  engine.addRule({
    name: 'login_point',
    conditions: { all: [{ fact: 'type', operator: 'equal', value: 'login' }] },
    event: { type: 'award_fixed', params: { points: 1 } },
  });
  engine.addRule({
    name: 'slot_capped',
    conditions: { all: [
      { fact: 'type', operator: 'equal', value: 'bet' },
      { fact: 'game_type', operator: 'equal', value: 'slots' },
    ] },
    event: { type: 'award_capped', params: { cap: CAP } },
  });
  engine.addRule({
    name: 'weekly_two',
    conditions: { all: [
      { fact: 'mission_done', operator: 'equal', value: false },
      { fact: 'mission_slot_bets', operator: 'greaterThanInclusive', value: MISSION_SLOTS },
      { fact: 'mission_deposits', operator: 'greaterThanInclusive', value: MISSION_DEPOSITS },
    ] },
    event: { type: 'mission_complete', params: { points: MISSION_REWARD } },
  });
  return engine;
}

// Monday-based week number in UTC: 1970-01-01 was a Thursday.
const weekOf = (ts) => Math.floor((Math.floor(ts / DAY) + 3) / 7);

async function apply(engine, players, e) {
  let p = players.get(e.user);
  if (p === undefined) {
    p = { points: 0, completions: 0, capDay: -1, capUsed: 0, week: -1, slots: 0, deposits: 0, done: false };
    players.set(e.user, p);
  }
  // weekly_two: a fresh instance each Monday 00:00 UTC; its progress is
  // updated from the event before the rules run
  const week = weekOf(e.ts);
  if (week !== p.week) { p.week = week; p.slots = 0; p.deposits = 0; p.done = false; }
  if (!p.done) {
    if (e.type === 'bet' && e.game_type === 'slots') p.slots += 1;
    else if (e.type === 'deposit') p.deposits += e.amount;
  }
  const facts = {
    type: e.type, game_type: e.game_type, amount: e.amount,
    mission_done: p.done, mission_slot_bets: p.slots, mission_deposits: p.deposits,
  };
  const { events } = await engine.run(facts);
  for (const ev of events) {
    switch (ev.type) {
      case 'award': {
        const a = Math.floor(e.amount / ev.params.divisor);
        if (a > 0) p.points += a;
        break;
      }
      case 'award_fixed': p.points += ev.params.points; break;
      case 'award_capped': {
        const day = Math.floor(e.ts / DAY);
        if (day !== p.capDay) { p.capDay = day; p.capUsed = 0; }
        const a = Math.min(Math.floor(e.amount), ev.params.cap - p.capUsed);
        if (a > 0) { p.points += a; p.capUsed += a; }
        break;
      }
      case 'mission_complete':
        p.done = true;
        p.completions += 1;
        p.points += ev.params.points;
        break;
    }
  }
}

async function main() {
  const [path, outPath] = process.argv.slice(2);
  if (!path || !outPath) {
    process.stderr.write('usage: node rules.js EVENTS.ndjson OUT.txt\n');
    process.exit(2);
  }
  const seconds = (t) => Number(process.hrtime.bigint() - t) / 1e9;

  // 1. parse included: read, parse and apply each line in turn
  const streamed = new Map();
  let engine = makeEngine();
  let count = 0;
  let t = process.hrtime.bigint();
  const lines = readline.createInterface({ input: fs.createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length === 0) continue;
    await apply(engine, streamed, JSON.parse(line));
    count += 1;
  }
  console.log(`parse_included_s ${seconds(t).toFixed(6)}`);

  // 2. parse excluded: every line parsed into memory first, then the rules timed alone
  const events = fs.readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
  const players = new Map();
  engine = makeEngine();
  t = process.hrtime.bigint();
  for (const e of events) await apply(engine, players, e);
  console.log(`parse_excluded_s ${seconds(t).toFixed(6)}`);
  console.log(`events ${count}`);

  const users = [...players.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out = [];
  for (const u of users) {
    const p = players.get(u), s = streamed.get(u);
    if (p.points !== s.points || p.completions !== s.completions) {
      process.stderr.write(`streamed and pre-parsed runs differ for ${u}\n`);
      process.exit(1);
    }
    out.push(`${u} ${p.points} ${p.completions}\n`);
  }
  fs.writeFileSync(outPath, out.join(''));
}

main().catch((err) => { console.error(err); process.exit(1); });
