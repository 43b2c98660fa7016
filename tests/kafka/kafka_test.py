"""Scale-out on Kafka (issue 20 §5, docs/scale-out.md): three questd
instances share the casino's players through a consumer group on
librdkafka's mock cluster (three brokers, kafka_mock), one instance killed
with kill -9 mid-stream and restarted, one broker taken down while events
flow. At the end:

- the committed actions of each partition, in order, are byte for byte the
  actions of an offline `quest run --owned-elsewhere` of that partition's
  log in offset order (its events, and the competition results and stock
  answers the owners wrote into it), and no action key appears twice;
- the competition results (docs/scale-out.md, "Global mechanics"): every
  window closed is ranked once over all partitions, each player's rank and
  score as one engine of all the events ranks them (`quest run`);
- stock (an item of 5, `kafka_hat`, added to the casino, bought by 16
  players at once across the partitions) and seats (a tournament of 4
  players, `kafka_cup`, 16 registering): sold and taken by their owner
  exactly as many times as one engine does, never more;
- a raffle (`kafka_draw`, tickets for every registration) drawn once by its
  owner among every partition's entrants, after a clock tick to every
  partition: the same wins as one engine's draw;
- the Redis leaderboards (a redis-server of the test's own on a loopback
  port) hold, for each competition's current window, exactly the scores of
  an offline `quest run` of all the events;
- the HTTP API of a Kafka-fed questd answers as documented.

The mock of librdkafka 2.0.2 accepts transactions but neither hides aborted
records nor keeps offsets sent in a transaction (tests/kafka/README.md).
So "committed" is read the way questd writes it: an action counts iff the
progress record of its transaction (header questline-txn) is in the
changelog. On a real cluster read_committed gives the same set; here the
filter is what makes the check meaningful, and the test counts what it
filtered out.

usage: kafka_test.py QUESTD QUEST KAFKA_TOOLS_DIR SOURCE_DIR
"""
import calendar
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "daemon"))
import questd_lib as q  # noqa: E402
from questd_lib import check  # noqa: E402

PARTITIONS = 4
REPARTITIONS = 2
TOPICS = {"events": PARTITIONS, "actions": PARTITIONS, "questline-changelog": PARTITIONS,
          "questline-repartition": REPARTITIONS}
GROUP = "questline"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mock:
    """kafka_mock: three brokers and the three topics; commands on stdin."""

    def __init__(self, tools, workdir):
        self.proc = subprocess.Popen(
            [os.path.join(tools, "kafka_mock"), "--brokers", "3"] +
            sum([["--topic", "%s:%d" % (t, n)] for t, n in TOPICS.items()], []),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(os.path.join(workdir, "mock.err"), "wb"),
            text=True, bufsize=1)
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "bootstrap":
            raise RuntimeError("kafka_mock did not start: %r" % line)
        self.bootstrap = line[1]

    def command(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if answer != "ok":
            raise RuntimeError("kafka_mock %s: %s" % (text, answer))

    def stop(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            self.proc.wait(10)
        except Exception:
            self.proc.kill()


class Redis:
    def __init__(self, workdir):
        self.port = free_port()
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", workdir],
                                     stdout=open(os.path.join(workdir, "redis.out"), "wb"), stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.cli("PING") == "PONG":
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not answer PING")

    def cli(self, *args):
        out = subprocess.run(["redis-cli", "-p", str(self.port), "--raw"] + list(args), capture_output=True, text=True)
        return out.stdout.strip()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def produce(tools, mock, lines, workdir, name, partition=None):
    """Produces `lines` to the events topic, by user or all to `partition`:
    [(partition, offset, line)]."""
    path = os.path.join(workdir, name + ".ndjson")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    assign = os.path.join(workdir, name + ".assign")
    subprocess.run([os.path.join(tools, "kafka_produce"), "--brokers", mock.bootstrap, "--topic", "events",
                    "--out", assign, path] + ([] if partition is None else ["--partition", str(partition)]),
                   check=True, stderr=subprocess.DEVNULL)
    placed = [tuple(map(int, l.split())) for l in open(assign).read().splitlines()]
    return [(p, o, line) for (p, o), line in zip(placed, lines)]


def dump(tools, mock, topic):
    out = subprocess.run([os.path.join(tools, "kafka_dump"), "--brokers", mock.bootstrap, "--topic", topic,
                          "--timeout-ms", "20000"], check=True, capture_output=True).stdout
    # The changelog's checkpoint chunks are binary: only their keys matter here.
    return [json.loads(l.decode(errors="replace")) for l in out.split(b"\n") if l]


def make_package(source_dir, workdir, draw_at):
    """The casino, an item whose stock of 5 and a tournament whose 4 seats
    sixteen players contend for, and a raffle drawn at `draw_at`."""
    package = os.path.join(workdir, "casino")
    shutil.copytree(os.path.join(source_dir, "examples/casino"), package)
    with open(os.path.join(package, "kafka_stock.quest"), "w") as f:
        f.write("// Added by tests/kafka/kafka_test.py: what the partitions share.\n"
                "item kafka_hat { price 1 points  stock 5 }\n"
                "tournament kafka_cup { window 2026-12-01T00:00Z .. 2027-01-31T00:00Z  register\n"
                "  score count(bet)  max_players 4 }\n"
                "raffle kafka_draw { draw at %s  prize gold count 3 { award gems 1 }  prize tin count 5 }\n"
                "rule kafka_tickets on registration { give tickets kafka_draw 2 }\n" % draw_at)
    return package


def after(ts, seconds, fmt="%Y-%m-%dT%H:%M:%SZ"):
    """RFC 3339 `seconds` after `ts` (whole seconds, UTC)."""
    return time.strftime(fmt, time.gmtime(calendar.timegm(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")) + seconds))


def contended(lines, count):
    """`count` players of `lines` each buying a kafka_hat and registering
    for the kafka_cup after the last event."""
    users = sorted({json.loads(line)["user"] for line in lines})[::3][:count]
    last = max(json.loads(line)["ts"] for line in lines)

    def at(k):
        return after(last, 1 + k)
    return ([json.dumps({"id": "hat-%d" % k, "type": "store_purchase", "user": user, "ts": at(k), "item": "kafka_hat"})
             for k, user in enumerate(users)] +
            [json.dumps({"id": "cup-%d" % k, "type": "tournament_register", "user": user, "ts": at(count + k),
                         "tournament": "kafka_cup"}) for k, user in enumerate(users)])


def questd_config(package, mock, redis, engine):
    return ("rules: %s\n"
            "data_dir: {dir}/data\n"
            "listen: { http: \"127.0.0.1:0\" }\n"
            "engine: %s\n"
            "source: { type: kafka, brokers: \"%s\", topic: events, group: %s, actions_topic: actions,\n"
            "          changelog_topic: questline-changelog, repartition_topic: questline-repartition, max_held: 3,\n"
            "          checkpoint_every: 150, max_batch: 100,\n"
            "          session_timeout: 6s, redis: \"127.0.0.1:%d\", redis_prefix: qltest }\n"
            % (package, engine, mock.bootstrap, GROUP, redis.port))


def status(instance):
    try:
        code, body = q.json_request(instance.port, "GET", "/v1/kafka")
        return body if code == 200 else None
    except OSError:
        return None


def wait_for(live, want, what, timeout=120):
    """Until the live instances own every partition, each at its offset in
    `want` (partition -> next offset), or `timeout`."""
    deadline = time.time() + timeout
    seen = {}
    while time.time() < deadline:
        seen = {}
        for instance in live:
            body = status(instance)
            for p in (body or {}).get("partitions", []):
                seen[p["partition"]] = p["next_offset"]
        if all(seen.get(p, -1) >= want.get(p, 0) for p in range(PARTITIONS)) and len(seen) == PARTITIONS:
            return True
        time.sleep(0.3)
    check(False, "%s: every partition reaches its offset within %d s" % (what, timeout), "want %s, seen %s" % (want, seen))
    return False


def repartition_of(competition):
    """The repartition partition owning `competition` (kafka/standings.h: FNV-1a 64)."""
    h = 14695981039346656037
    for byte in competition.encode():
        h = ((h ^ byte) * 1099511628211) % 2**64
    return h % REPARTITIONS


def ends(placed):
    out = {}
    for p, o, _ in placed:
        out[p] = max(out.get(p, 0), o + 1)
    return out


def topic_ends(tools, mock):
    """The events topic's end offset per partition (the owners write results into it)."""
    return ends([(r["partition"], r["offset"], None) for r in dump(tools, mock, "events")])


def settle(tools, mock, live, what):
    """Until every partition has consumed the events topic to its end and
    the topic has stopped growing: the owners have ranked every window the
    partitions' clocks passed, and the results are applied."""
    want = topic_ends(tools, mock)
    for _ in range(10):
        if not wait_for(live, want, what):
            return
        time.sleep(2)   # a last clock record's results, if any, land meanwhile
        again = topic_ends(tools, mock)
        if again == want:
            return
        want = again
    check(False, "%s: the events topic stops growing" % what, want)


def quest_run(quest, package, lines, workdir, name, *extra):
    """`quest run` (interp) of `lines`: (action lines, state by user)."""
    events = os.path.join(workdir, name + ".ndjson")
    with open(events, "w") as f:
        f.write("\n".join(lines) + "\n")
    actions, state = os.path.join(workdir, name + ".actions"), os.path.join(workdir, name + ".state")
    subprocess.run([quest, "run", package, "--events", events, "--engine", "interp",
                    "--actions", actions, "--state", state] + list(extra), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return open(actions).read().splitlines(), {u["user"]: u for u in json.load(open(state))["users"]}


def move_off(mock, broker, survivor):
    """The mock has no failover (README e): the leaders and coordinators on
    `broker` are moved to `survivor` by hand before it goes down."""
    for topic, partitions in TOPICS.items():
        for p in range(partitions):
            mock.command("leader %s %d %d" % (topic, p, survivor))
    for p in range(PARTITIONS):
        mock.command("coordinator transaction %s-events-%d %d" % (GROUP, p, survivor))
    for r in range(REPARTITIONS):
        mock.command("coordinator transaction %s-questline-repartition-%d %d" % (GROUP, r, survivor))
    mock.command("coordinator group %s %d" % (GROUP, survivor))
    mock.command("coordinator group questd-restore-reader %d" % survivor)


def main():
    questd, quest, tools, source_dir = sys.argv[1:5]
    workdir = tempfile.mkdtemp(prefix="kafka_test_")
    # In time order: a partition's clock is the largest ts of its own events,
    # so with late events a partition and one engine of all players may put
    # a late score in different windows (docs/scale-out.md, "Time"). The
    # actions are compared per partition, late events or not.
    lines = open(os.path.join(source_dir, "examples/casino/events.ndjson")).read().splitlines()
    lines.sort(key=lambda line: json.loads(line)["ts"])
    # The raffle: drawn an hour after the last event (minutes only in the
    # language), once a clock tick has moved every partition past it.
    draw_at = after(json.loads(lines[-1])["ts"][:14] + "00:00Z", 3600, "%Y-%m-%dT%H:%MZ")
    tick = after(draw_at[:16] + ":00Z", 60)
    package = make_package(source_dir, workdir, draw_at)
    claims = contended(lines, 16)
    lines += claims   # in part 3, while a broker is down
    parts = [lines[:len(lines) * 4 // 10], lines[len(lines) * 4 // 10:len(lines) * 7 // 10], lines[len(lines) * 7 // 10:]]
    mock, redis, instances, restarted = Mock(tools, workdir), Redis(workdir), [], None
    try:
        placed = produce(tools, mock, parts[0], workdir, "part1")
        # Three members; the first runs the JIT, the others the interpreter:
        # a partition moving between them must not change a byte.
        for engine in ("jit", "interp", "interp"):
            instances.append(q.Questd(questd, questd_config(package, mock, redis, engine)))
        wait_for(instances, ends(placed), "three members, part 1")
        owned = {id(i): len((status(i) or {}).get("partitions", [])) for i in instances}
        check(sum(owned.values()) == PARTITIONS and max(owned.values()) < PARTITIONS,
              "the group spreads the partitions over the members", owned)

        # kill -9 mid-stream, while part 2 flows: the member that owns the
        # weekly leaderboard's owner (so a window is ranked by its next
        # owner, from the changelog and the repartition topic), else the one
        # with the most partitions.
        board_owner = repartition_of("weekly_points")
        holders = [i for i in instances
                   if board_owner in [o["partition"] for o in (status(i) or {}).get("owners", [])]]
        victim = holders[0] if holders else max(instances, key=lambda i: owned[id(i)])
        print("kafka: killing the member with %d partitions%s" % (
            owned[id(victim)], " and the owner of weekly_points" if holders else ""))
        placed += produce(tools, mock, parts[1][:len(parts[1]) // 2], workdir, "part2a")
        victim.proc.kill()
        victim.proc.wait()
        placed += produce(tools, mock, parts[1][len(parts[1]) // 2:], workdir, "part2b")
        live = [i for i in instances if i is not victim]
        wait_for(live, ends(placed), "after kill -9, the two others")

        # A broker down while part 3 flows, and the killed member back (its local snapshots).
        move_off(mock, 3, 1)
        mock.command("down 3")
        restarted = q.Questd(questd, questd_config(package, mock, redis, "interp").replace("{dir}", victim.dir))
        live.append(restarted)
        placed += produce(tools, mock, parts[2], workdir, "part3")
        for p in range(PARTITIONS):   # every partition past the raffle's draw
            placed += produce(tools, mock, [json.dumps({"clock_tick": tick})], workdir, "tick%d" % p, p)
        wait_for(live, ends(placed), "broker 3 down, the killed member back")
        mock.command("up 3")
        settle(tools, mock, live, "the owners' last results applied")
        check(sum(len((status(i) or {}).get("partitions", [])) for i in live) == PARTITIONS,
              "every partition owned once at the end")

        # The API of a Kafka-fed questd.
        any_live = live[0]
        code, body = q.json_request(any_live.port, "POST", "/v1/events", body="{}\n")
        check(code == 409 and "Kafka topic events" in body.get("error", ""), "POST /v1/events answers 409", body)
        code, body = q.json_request(any_live.port, "GET", "/v1/leaderboards/no_such_board")
        check(code == 404, "an unknown leaderboard is 404", body)
        code, body = q.json_request(any_live.port, "GET", "/v1/users/nobody-at-all")
        check(code == 404, "an unknown player is 404", body)
        code, _, metrics = q.request(any_live.port, "GET", "/metrics")
        metrics = metrics.decode()
        check(code == 200 and "questd_kafka_transactions_total" in metrics, "/metrics has the kafka counters")
        problems = q.promtool_problems(metrics)
        check(not problems, "promtool accepts a Kafka-fed questd's /metrics", problems)

        # Per partition: the committed actions against quest run of its log
        # (events and competition results) in offset order.
        log = dump(tools, mock, "events")
        by_partition = {p: [r["value"] for r in log if r["partition"] == p] for p in range(PARTITIONS)}
        results = [json.loads(r["value"])["competition_result"] for r in log if "competition_result" in r["value"]]
        answers = [json.loads(r["value"])["stock_answer"] for r in log if "stock_answer" in r["value"]]
        print("kafka: %d competition results and %d stock answers in the events topic" % (len(results), len(answers)))
        check({a["event"] for a in answers} == {json.loads(c)["id"] for c in claims},
              "the owners answered every hat purchase and cup registration", len(answers))
        check(len(results) > 0, "the owners wrote competition results into the events topic")
        references = {p: quest_run(quest, package, by_partition[p], workdir, "ref%d" % p, "--owned-elsewhere")
                      for p in range(PARTITIONS)}
        # A player's state from the instance owning them, against its partition's reference.
        for p in range(PARTITIONS):
            user = [json.loads(line)["user"] for line in by_partition[p] if '"type"' in line][-1]
            answers = [q.json_request(i.port, "GET", "/v1/users/" + user) for i in live]
            found = [b for c, b in answers if c == 200]
            check(len(found) == 1 and found[0] == references[p][1][user],
                  "GET /v1/users/%s (partition %d) answers on its owner only, as quest run" % (user, p),
                  [c for c, _ in answers])

        code, body = q.json_request(any_live.port, "GET", "/v1/leaderboards/weekly_points?top=3")
        top = redis.cli("ZREVRANGE", "qltest:lb:weekly_points:%s" % redis.cli("GET", "qltest:lb:weekly_points:current"),
                        "0", "2").split()
        check(code == 200 and body.get("source") == "redis" and [e["user"] for e in body["entries"]] == top,
              "GET /v1/leaderboards answers from Redis", body)
        for i in live:
            code, err = i.stop()
            check(code == 0, "a member leaves the group on SIGTERM and exits 0", err[-2000:])
        live = []

        committed = {p: set() for p in range(PARTITIONS)}
        for r in dump(tools, mock, "questline-changelog"):
            if r["key"] == "progress":
                committed[r["partition"]].add(json.loads(r["value"])["txn"])
        records = dump(tools, mock, "actions")
        kept = [r for r in records if r.get("headers", {}).get("questline-txn") in committed.get(r["partition"], ())]
        print("kafka: %d action records, %d in committed transactions, %d left by killed or aborted ones"
              % (len(records), len(kept), len(records) - len(kept)))
        keys = [r["key"] for r in kept]
        check(len(keys) == len(set(keys)), "no action key twice in the committed output",
              len(keys) - len(set(keys)))
        for p in range(PARTITIONS):
            got = [r["value"] for r in kept if r["partition"] == p]
            want = references[p][0]
            first = next((k for k in range(min(len(got), len(want))) if got[k] != want[k]), None)
            check(got == want, "partition %d: the committed actions equal quest run of its events (%d actions)"
                  % (p, len(want)), "got %d, want %d; first difference at %s: %s | %s" % (
                      len(got), len(want), first, got[first] if first is not None else "",
                      want[first] if first is not None else ""))

        # The rankings against one engine of all the events: every window
        # closed is ranked once, each player's rank and score as one engine's.
        one_engine = quest_run(quest, package, lines, workdir, "one_engine", "--until", tick)[0]
        def ranked(actions):
            out = {}
            for a in map(json.loads, actions):
                if a.get("action") in ("leaderboard", "tournament") and "rank" in a:
                    name = a.get("leaderboard") or a.get("tournament")
                    out.setdefault(name, []).append((a["user"], a["rank"], a["score"]))
            return {k: sorted(v) for k, v in out.items()}
        want_ranks = ranked(one_engine)
        got_ranks = ranked(r["value"] for r in kept)
        check(got_ranks == want_ranks and len(want_ranks) > 0,
              "the partitions' prizes are one engine's ranking of all players (%s)"
              % {k: len(v) for k, v in want_ranks.items()},
              {k: sorted(set(got_ranks.get(k, [])) ^ set(want_ranks.get(k, [])))[:8]
               for k in set(got_ranks) | set(want_ranks)})
        # Every action, not only the prizes: the partitions together act as
        # one engine of all the events would. A prize's action is named by
        # its result rather than the close's timer (event and key), and the
        # sequence numbers are each partition's own.
        # The hats and seats go to whoever's claim reached the owner first,
        # not by event time as in one engine: compared by count.
        contended_sources = ("item:kafka_hat", "tournament:kafka_cup")
        def bag(actions):
            out = {}
            for a in map(json.loads, actions):
                if a.get("source") in contended_sources:
                    continue
                for k in ("seq", "key", "event"):
                    a.pop(k, None)
                text = json.dumps(a, sort_keys=True)
                out[text] = out.get(text, 0) + 1
            return out
        got_bag, want_bag = bag(r["value"] for r in kept), bag(one_engine)
        check(got_bag == want_bag, "the partitions' actions are one engine's (%d)" % len(one_engine),
              sorted(((k, got_bag.get(k, 0), want_bag.get(k, 0)) for k in set(got_bag) | set(want_bag)
                      if got_bag.get(k, 0) != want_bag.get(k, 0)))[:6])
        def taken(actions):
            out = {"hats": 0, "seats": 0}
            for a in map(json.loads, actions):
                out["hats"] += a.get("source") == "item:kafka_hat" and a.get("action") == "purchase"
                out["seats"] += a.get("source") == "tournament:kafka_cup" and a.get("state") == "registered"
            return out
        def wins(actions):
            return sorted((a["user"], a["prize"]) for a in map(json.loads, actions)
                          if a.get("action") == "raffle" and a.get("raffle") == "kafka_draw")
        check(wins(r["value"] for r in kept) == wins(one_engine) and len(wins(one_engine)) == 8,
              "the raffle's owner draws the 8 prizes among every partition's entrants as one engine",
              (wins(r["value"] for r in kept), wins(one_engine)))
        got_taken, want_taken = taken(r["value"] for r in kept), taken(one_engine)
        check(got_taken == want_taken == {"hats": 5, "seats": 4},
              "the owners sell the 5 hats and the 4 seats once each, as one engine (16 players)",
              "partitions %s, one engine %s" % (got_taken, want_taken))
        seen = [(r["competition"], r["window_end"], r["user"]) for r in results if not r.get("done")]
        print("kafka: %d distinct results, %d written twice by an owner that died before its commit"
              % (len(set(seen)), len(seen) - len(set(seen))))

        # Redis against the partitions' quest runs: each player's score in the
        # newest window the mirror holds for them is their score in their
        # partition's current window, or its last one when they have not
        # scored since.
        competitions = {}
        for key in redis.cli("KEYS", "qltest:lb:*").split():
            _, _, competition, window = key.split(":")
            if window == "current":
                continue
            flat = redis.cli("ZRANGE", key, "0", "-1", "WITHSCORES").split()
            for k in range(0, len(flat), 2):
                newest = competitions.setdefault(competition, {}).get(flat[k])
                if newest is None or int(window) > newest[0]:
                    competitions[competition][flat[k]] = (int(window), float(flat[k + 1]))
            current = int(redis.cli("GET", "qltest:lb:%s:current" % competition) or 0)
            check(current >= int(window), "%s: current names the newest window" % competition)
        for competition, mirrored in competitions.items():
            expected = {}
            for p in range(PARTITIONS):
                for user, state in references[p][1].items():
                    c = state.get("competitions", {}).get(competition)
                    if c is None:
                        continue
                    score = c.get("score") if c.get("score") is not None else c.get("last", {}).get("score")
                    if score is not None:
                        expected[user] = float(score)
            # Players with neither score left their last in an older window.
            got = {u: score for u, (_, score) in mirrored.items() if u in expected}
            check(got == expected, "Redis leaderboard %s holds every partition's scores (%d players)"
                  % (competition, len(expected)),
                  sorted((u, got.get(u), expected.get(u)) for u in set(got) | set(expected)
                         if got.get(u) != expected.get(u))[:8])
        check(len(competitions) > 0, "the mirror holds at least one leaderboard")
    finally:
        for i in instances + ([restarted] if restarted else []):
            if i.proc.poll() is None:
                i.proc.kill()
        mock.stop()
        redis.stop()
    if q.FAILURES:
        print("kafka: logs kept in " + workdir)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    q.finish("kafka")


if __name__ == "__main__":
    main()
