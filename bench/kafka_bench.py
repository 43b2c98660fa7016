#!/usr/bin/env python3
"""Scale-out on Kafka, measured on librdkafka's mock cluster (issue 20's goals).

usage: kafka_bench.py BUILD_DIR SOURCE_DIR [throughput|competitions|stock|restore|all] [--players N] [--events N]
                     [--partitions 1,2,4] [--fetch-wait 50ms]

throughput: issue 15's scale workload (bench/gen_scale.py: 20,000 players,
  200,000 events, 10 weekly missions) produced to an events topic of 1, 2 and
  4 partitions; as many questd instances (JIT) as partitions join one group;
  once the group has settled (every partition owned), the clock runs from
  the first event produced until every partition's committed offset is at
  its end (GET /v1/kafka). events/s = events / that.
competitions: the same with a daily leaderboard on spins paying prizes
  (docs/scale-out.md, "Global mechanics"): at each of the 13 day ends every
  partition waits until its owner has ranked the day over all partitions;
  the cost of that wait, against throughput's figures.
stock: the same with one event in 100 followed by a purchase of an item
  with a stock (docs/scale-out.md, "stock and seats kept by an owner"): each
  purchase holds its partition while the claim goes to the item's owner and
  the answer comes back through the events topic.
restore: one partition holding 1,000,000 players (one spin each); questd
  takes it and stops (its local snapshot), and a second questd takes the
  partition from that snapshot. Then the same from the changelog alone, at
  10,000 players: librdkafka 2.0.2's mock keeps at most 5 MB or 100,000
  messages a partition (rdkafka_mock.c), far less than a 1M-player
  checkpoint. Prints the restores as questd logs them.

The mock cluster is in-process memory behind real sockets, on the same two
cores as questd: figures are an upper bound on the broker's cost, not on a
real cluster's (docs/scale-out.md).
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "daemon"))
import questd_lib as q  # noqa: E402


class Mock:
    def __init__(self, tools, partitions, workdir):
        topics = sum([["--topic", "%s:%d" % (t, partitions)] for t in ("events", "actions", "changelog")], [])
        topics += ["--topic", "repartition:1"]   # the competitions' owners (docs/scale-out.md)
        self.proc = subprocess.Popen([os.path.join(tools, "kafka_mock"), "--brokers", "3"] + topics,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     stderr=open(os.path.join(workdir, "mock.err"), "wb"))
        self.bootstrap = self.proc.stdout.readline().split()[1]

    def stop(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.wait(30)


def produce(tools, mock, events, workdir):
    """Appends `events` to the topic: ({partition: end offset}, seconds)."""
    assign = os.path.join(workdir, "assign.txt")
    start = time.time()
    subprocess.run([os.path.join(tools, "kafka_produce"), "--brokers", mock.bootstrap, "--topic", "events",
                    "--out", assign, events], check=True, stderr=subprocess.DEVNULL)
    took = time.time() - start
    ends = {}
    for line in open(assign):
        p, o = map(int, line.split())
        ends[p] = max(ends.get(p, 0), o + 1)
    return ends, took


def config(package, mock, extra=""):
    return ("rules: %s\ndata_dir: {dir}/data\nlisten: { http: \"127.0.0.1:0\" }\nengine: jit\nlog_level: info\n"
            "source: { type: kafka, brokers: \"%s\", topic: events, group: bench, actions_topic: actions,\n"
            "          changelog_topic: changelog, repartition_topic: repartition, session_timeout: 6s%s }\n" % (package, mock.bootstrap, extra))


def wait_done(instances, ends, timeout=1800):
    deadline = time.time() + timeout
    while time.time() < deadline:
        seen = {}
        for i in instances:
            try:
                code, body = q.json_request(i.port, "GET", "/v1/kafka")
            except OSError:
                continue
            for p in body.get("partitions", []) if code == 200 else []:
                seen[p["partition"]] = p["next_offset"]
        if all(seen.get(p, -1) >= end for p, end in ends.items()):
            return time.time()
        time.sleep(0.05)
    raise RuntimeError("not done within %d s" % timeout)


BOARD = """leaderboard daily_spins {
  score sum(spin.amount)
  period daily
  prizes { 1: award points 100  2..10: award points 10 }
}
"""


FETCH_WAIT = ""   # questd's default, unless --fetch-wait
PARTITIONS = (1, 2, 4)
SHOP = "item bench_hat { price 1 points  stock 1000000 }\n"
PURCHASE_EVERY = 100


def add_purchases(path):
    """After every PURCHASE_EVERY-th event, its player buys a bench_hat at
    the same instant: the number of purchases added."""
    lines = open(path).read().splitlines()
    out, added = [], 0
    for n, line in enumerate(lines):
        out.append(line)
        if n % PURCHASE_EVERY == PURCHASE_EVERY - 1:
            e = json.loads(line)
            out.append(json.dumps({"id": "buy-%d" % n, "type": "store_purchase", "user": e["user"], "ts": e["ts"],
                                   "item": "bench_hat"}))
            added += 1
    open(path, "w").write("\n".join(out) + "\n")
    return added


def throughput(build, src, workdir, players, events, competitions=False, stock=False):
    pkg = os.path.join(workdir, "scale")
    subprocess.run([sys.executable, os.path.join(src, "bench", "gen_scale.py"), str(players), str(events), "10", pkg],
                   check=True)
    if competitions:
        open(os.path.join(pkg, "package", "zz_board.quest"), "w").write(BOARD)
    if stock:
        open(os.path.join(pkg, "package", "zz_shop.quest"), "w").write(SHOP)
        events += add_purchases(os.path.join(pkg, "events.ndjson"))
    # Warm the JIT cache so no run pays the compile.
    subprocess.run([os.path.join(build, "quest"), "build", os.path.join(pkg, "package"), "-o",
                    os.path.join(workdir, "warm.qlb")], check=False, capture_output=True)
    rows = []
    for partitions in PARTITIONS:
        run_dir = tempfile.mkdtemp(dir=workdir)
        mock = Mock(os.path.join(build, "tests", "kafka"), partitions, run_dir)
        instances = [q.Questd(os.path.join(build, "questd"),
                              config(os.path.join(pkg, "package"), mock,
                                     ", max_batch: 5000, checkpoint_every: 100000" + FETCH_WAIT))
                     for _ in range(partitions)]
        wait_done(instances, {p: 0 for p in range(partitions)})   # the group has settled: every partition owned
        time.sleep(1)
        # In chunks the group keeps up with: the mock keeps at most 5 MB or
        # 100,000 messages a partition, and an offset lost is a stop.
        lines = open(os.path.join(pkg, "events.ndjson")).read().splitlines(keepends=True)
        # Two chunks in flight at most: the next is produced while the
        # group works on the one before.
        chunk, produce_s, previous = 15000 * partitions, 0.0, {}
        start = time.time()
        for base in range(0, len(lines), chunk):
            part = os.path.join(run_dir, "chunk.ndjson")
            open(part, "w").writelines(lines[base:base + chunk])
            t = time.time()
            ends, _ = produce(os.path.join(build, "tests", "kafka"), mock, part, run_dir)
            produce_s += time.time() - t
            wait_done(instances, previous)
            previous = ends
        done = wait_done(instances, previous)
        status = [q.json_request(i.port, "GET", "/v1/kafka")[1] for i in instances]
        transactions = sum(p["transactions"] for b in status for p in b["partitions"])
        results = sum(p.get("results", 0) for b in status for p in b["partitions"])
        claims = sum(p.get("claims", 0) for b in status for p in b["partitions"])
        for i in instances:
            i.stop()
        mock.stop()
        rows.append((partitions, events, done - start, events / (done - start), events / produce_s, transactions))
        print("partitions %d: %d events in %.1f s from the first produced to the last committed: %.0f events/s"
              " (producing alone: %.0f/s; %d transactions)"
              % rows[-1] + (" %d competition results applied" % results if competitions else "") +
              (" %d stock claims answered" % claims if stock else ""), flush=True)
    return rows


TAKEN = re.compile(r"taken in ([0-9.]+) s: state at offset (\d+) \(changelog and snapshot ([0-9.]+) s\), "
                   r"(\d+) events replayed to (\d+) \(([0-9.]+) s\)")


def one_partition(build, src, workdir, players, extra):
    """A partition of `players` players (one spin each), produced in chunks
    the consumer keeps up with (the mock keeps 100,000 messages a
    partition, 5 MB): (mock, package, the first questd, seconds, events/s)."""
    pkg = os.path.join(workdir, "pkg%d" % players)
    subprocess.run([sys.executable, os.path.join(src, "bench", "gen_scale.py"), str(players), "1", "10", pkg],
                   check=True, stdout=subprocess.DEVNULL)
    tools = os.path.join(build, "tests", "kafka")
    mock = Mock(tools, 1, workdir)
    first = q.Questd(os.path.join(build, "questd"), config(os.path.join(pkg, "package"), mock, extra))
    wait_done([first], {0: 0})
    start, chunk = time.time(), 20000
    for base in range(0, players, chunk):
        events = os.path.join(workdir, "chunk.ndjson")
        with open(events, "w") as f:
            for n in range(base, min(base + chunk, players)):
                f.write('{"id":"r%d","user":"p%07d","ts":"2026-12-07T%02d:%02d:%02d.000Z","type":"spin","amount":5,'
                        '"game":"slots"}\n' % (n, n, (n // 3600) % 24, (n // 60) % 60, n % 60))
        produce(tools, mock, events, workdir)
        wait_done([first], {0: min(base + chunk, players)})
    took = time.time() - start
    return mock, pkg, first, took


def taken(instance):
    log = instance.stderr()
    match = TAKEN.search(log)
    if not match:
        raise RuntimeError("no restore line in the log:\n" + log[-3000:])
    return match


def restore(build, src, workdir, players):
    # From the local snapshot (data_dir/kafka): questd stopped, started again on its data_dir.
    extra = ", max_batch: 20000, checkpoint_every: 100000000"
    mock, pkg, first, took = one_partition(build, src, workdir, players, extra)
    first.stop()
    folder = os.path.join(first.dir, "data", "kafka")
    size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    print("restore: %d players taken live in %.1f s (%.0f events/s, chunks of 20,000 produced and waited for); "
          "local snapshot %.1f MiB" % (players, took, players / took, size / 2**20), flush=True)
    second = q.Questd(os.path.join(build, "questd"),
                      config(os.path.join(pkg, "package"), mock, extra).replace("{dir}", first.dir))
    wait_done([second], {0: players})
    second.stop()
    m = taken(second)
    print("restore: %d players from the local snapshot in %s s (snapshot read and restored %s s, %s events replayed)"
          % (players, m.group(1), m.group(3), m.group(4)), flush=True)
    mock.stop()

    # From the changelog alone, at the size the mock holds (5 MB a partition).
    small = 4000
    extra = ", max_batch: 20000, checkpoint_every: %d" % small
    mock, pkg, first, _ = one_partition(build, src, workdir, small, extra)
    first.stop()
    second = q.Questd(os.path.join(build, "questd"), config(os.path.join(pkg, "package"), mock, extra))
    wait_done([second], {0: small})
    second.stop()
    m = taken(second)
    print("restore: %d players from the changelog alone in %s s (changelog read and snapshot restored %s s; "
          "checkpoint at offset %s, %s events replayed)" % (small, m.group(1), m.group(3), m.group(2), m.group(4)),
          flush=True)
    mock.stop()


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    build, src = sys.argv[1:3]
    mode = sys.argv[3] if len(sys.argv) > 3 and not sys.argv[3].startswith("--") else "all"
    args = sys.argv[3:]
    players = int(args[args.index("--players") + 1]) if "--players" in args else None
    events = int(args[args.index("--events") + 1]) if "--events" in args else 200000
    global FETCH_WAIT, PARTITIONS
    if "--fetch-wait" in args:
        FETCH_WAIT = ", fetch_wait: " + args[args.index("--fetch-wait") + 1]
    if "--partitions" in args:
        PARTITIONS = tuple(int(p) for p in args[args.index("--partitions") + 1].split(","))
    workdir = tempfile.mkdtemp(prefix="kafka_bench_")
    os.environ.setdefault("QUESTLINE_CACHE_DIR", os.path.join(build, "jit-cache"))
    print("kafka_bench: %s, %d cores, %s" % (time.strftime("%Y-%m-%d"), os.cpu_count(), os.uname().release))
    try:
        if mode in ("throughput", "all"):
            throughput(build, src, workdir, players or 20000, events)
        if mode in ("competitions", "all"):
            throughput(build, src, workdir, players or 20000, events, competitions=True)
        if mode in ("stock", "all"):
            throughput(build, src, workdir, players or 20000, events, stock=True)
        if mode in ("restore", "all"):
            restore(build, src, workdir, players or 1000000)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
