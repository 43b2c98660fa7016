"""questd's hot reload (issue 16 §5, issue 17 §1; docs/daemon.md, Reload):
POST /v1/reload and SIGHUP compile the configured rules in the background
and swap them in between two inputs; a package with errors is refused (422
with the diagnostics) and the old one keeps running; a second reload while
one compiles is 409. The reload is journaled, so a restart (SIGTERM or kill
-9) after it ends in the state of a questd that was never restarted, and a
restart with edited rules is a reload at that point.

The second package is the casino plus a currency and a rule that awards it
on every deposit.
Usage: reload_test.py QUESTD QUEST SOURCE_DIR"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from questd_lib import check, finish, json_request, launch, promtool_problems, request

questd, quest, src = sys.argv[1:4]
casino = os.path.join(src, "examples/casino")
events_path = os.path.join(casino, "events.ndjson")
lines = open(events_path).read().splitlines()
parts = [lines[:2000], lines[2000:4000], lines[4000:]]
TOKEN = "reload-token"
ADDED = ("// Added by a reload: a currency every deposit earns from then on.\n"
         "currency reload_tokens\n\n"
         "rule reload_token_on_deposit on deposit {\n  award reload_tokens 1\n}\n")
BROKEN = "rule broken on deposit {\n  award no_such_currency 1\n}\n"

ref_dir = tempfile.mkdtemp(prefix="reload_ref_")
subprocess.run([quest, "run", casino, "--events", events_path, "--engine", "interp",
                "--state", ref_dir + "/state.json"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ref_state = {u["user"]: u for u in json.load(open(ref_dir + "/state.json"))["users"]}
users = sorted(ref_state)


class Daemon:
    """A questd on its own copy of the casino's rules and its own data_dir;
    restarts keep both."""

    def __init__(self, name, token=None):
        self.dir = tempfile.mkdtemp(prefix="reload_%s_" % name)
        self.rules = os.path.join(self.dir, "rules")
        shutil.copytree(casino, self.rules, ignore=shutil.ignore_patterns("*.ndjson", "*.yaml"))
        self.data = os.path.join(self.dir, "data")
        self.config = os.path.join(self.dir, "questd.yaml")
        self.token = token
        with open(self.config, "w") as f:
            f.write("rules: %s\ndata_dir: %s\nlisten: { http: \"127.0.0.1:0\" }\nengine: interp\n"
                    "durability: { fsync: group, snapshot_every_events: 1500 }\n"
                    "sinks:\n  - { type: file, path: %s/actions.ndjson }\n" % (self.rules, self.data, self.data)
                    + ("auth: { token_env: RELOAD_TEST_TOKEN }\n" if token else ""))
        self.starts = 0
        self.start()

    def start(self):
        self.starts += 1
        self.stderr_path = os.path.join(self.dir, "stderr-%d.txt" % self.starts)
        self.proc, ports = launch(questd, self.config, self.stderr_path, env={"RELOAD_TEST_TOKEN": TOKEN})
        self.port = ports["http"]

    def stderr(self):
        return open(self.stderr_path, errors="replace").read()

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        self.proc.wait(60)
        return self.proc.returncode

    def call(self, method, path, body=None):
        return json_request(self.port, method, path, body, token=self.token)

    def post(self, batch):
        status, answer = self.call("POST", "/v1/events", "\n".join(batch) + "\n")
        check(status == 200 and answer.get("accepted", 0) + answer.get("duplicates", 0) == len(batch),
              "a batch is accepted", (status, answer))

    def write_rule(self, name, text):
        with open(os.path.join(self.rules, name), "w") as f:
            f.write(text)

    def remove_rule(self, name):
        os.unlink(os.path.join(self.rules, name))

    def states(self):
        out = {}
        for user in users:
            status, state = self.call("GET", "/v1/users/" + user)
            out[user] = state if status == 200 else None
        return out

    def metrics(self):
        return request(self.port, "GET", "/metrics", token=self.token)[2].decode()


def swapped(answer, what):
    """True when the reload answered 200 reloaded with a new package."""
    return check(answer.get("reloaded") is True and answer.get("package") != answer.get("previous"), what, answer)


def without_tokens(state):
    state = json.loads(json.dumps(state))
    state.get("balances", {}).pop("reload_tokens", None)
    return state


# --- Refusals, 409, auth, a good reload, SIGHUP: one daemon ---------------------------------------------------------
a = Daemon("api", token=TOKEN)
status, _, _ = request(a.port, "POST", "/v1/reload", "")
check(status == 401, "POST /v1/reload needs the bearer token", status)
a.post(parts[0])

status, answer = a.call("POST", "/v1/reload", "")
check(status == 200 and answer.get("unchanged") is True and answer.get("package") == answer.get("previous"),
      "reloading the same package is a no-op", (status, answer))
first_hash = answer.get("package")
check(os.path.exists(os.path.join(a.data, "packages", "%s.qlb" % first_hash)),
      "the package running at start is in data_dir/packages/", os.listdir(a.data))

a.write_rule("zz_broken.quest", BROKEN)
status, answer = a.call("POST", "/v1/reload", "")
diagnostics = answer.get("diagnostics", []) if isinstance(answer, dict) else []
check(status == 422 and answer.get("error") and diagnostics, "a package with errors is refused with 422", (status, answer))
check(all(all(k in d for k in ("file", "line", "column", "code", "message")) for d in diagnostics),
      "each diagnostic has file, line, column, code and message", diagnostics)
check(any(d.get("file", "").endswith("zz_broken.quest") and d.get("line") == 2 and "no_such_currency" in d["message"]
          for d in diagnostics), "the diagnostic names the broken file and line", diagnostics)
a.remove_rule("zz_broken.quest")
check('questd_reloads_total{result="refused"} 1' in a.metrics(), "metrics count the refused reload")

# Two reloads at once: the second one, while the first compiles, is 409.
a.write_rule("zz_added.quest", ADDED)
answers = []
def reload_in_thread():
    answers.append(a.call("POST", "/v1/reload", ""))
threads = [threading.Thread(target=reload_in_thread) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
conflicts = [x for x in answers if x[0] == 409]
others = [x for x in answers if x[0] != 409]
check(conflicts and len(others) >= 1, "a reload while another compiles is 409", answers)
check(all("error" in x[1] for x in conflicts), "a 409 says why", conflicts)
good = [x for x in others if x[0] == 200 and x[1].get("reloaded")] or others
status, answer = good[0]
second_hash = answer.get("package") if isinstance(answer, dict) else None
check(second_hash and second_hash != first_hash and os.path.exists(os.path.join(a.data, "packages", "%s.qlb" % second_hash)),
      "the new package is stored in data_dir/packages/ before it runs", (answer, os.listdir(os.path.join(a.data, "packages"))))
reloaded = swapped(answer, "a package that adds a rule is reloaded (200)")

# Players keep what they had; the events after the swap run the added rule.
before = {u: s for u, s in a.states().items() if s}
a.post(parts[1])
a.post(parts[2])
after = a.states()
if reloaded:
    check(all(after[u] and without_tokens(after[u]) == ref_state[u] for u in users),
          "apart from the added currency, every player's state is quest run's of the old package",
          [u for u in users if not after[u] or without_tokens(after[u]) != ref_state[u]][:5])
    deposits = {}
    for line in parts[1] + parts[2]:
        e = json.loads(line)
        if e["type"] == "deposit":
            deposits[e["user"]] = deposits.get(e["user"], 0) + 1
    tokens = {u: (after[u] or {}).get("balances", {}).get("reload_tokens") for u in users}
    check(all(tokens[u] is not None and 0 <= tokens[u] <= deposits.get(u, 0) for u in users),
          "the added currency counts at most the deposits after the swap", tokens)
    check(sum(1 for u in deposits if tokens[u] == deposits[u]) * 2 >= len(deposits) and sum(tokens.values()) > 0,
          "the added rule pays deposits after the swap", (tokens, deposits))
    check(all(before[u].get("balances", {}).get("reload_tokens") == 0 for u in before),
          "a player known before the swap starts the added currency at 0", list(before.values())[:1])
else:
    check(all(after[u] == ref_state[u] for u in users), "when the engine refuses, the old package keeps running",
          [u for u in users if after[u] != ref_state[u]][:5])

text = a.metrics()
check(not promtool_problems(text), "promtool accepts /metrics with the reload metrics", promtool_problems(text))
check('questd_reloads_total{result="ok"}' in text and 'questd_reloads_total{result="failed"}' in text,
      "metrics count reloads by result", text[:300])
running = first_hash if not reloaded else second_hash
check('questd_package_info{package="%s"} 1' % running in text, "metrics name the package running", running)

# SIGHUP: the same reload, its outcome in the log. Back to the first package.
a.remove_rule("zz_added.quest")
a.proc.send_signal(signal.SIGHUP)
deadline = time.time() + 60
while time.time() < deadline and "SIGHUP: re" not in a.stderr().split("SIGHUP: reloading", 1)[-1]:
    time.sleep(0.2)
log = a.stderr()
check("SIGHUP: reloading" in log, "SIGHUP starts a reload", log[-1000:])
if reloaded:
    check("SIGHUP: reloaded: package %s" % first_hash in log, "SIGHUP reloads and logs the outcome", log[-1000:])
    check('questd_package_info{package="%s"} 1' % first_hash in a.metrics(), "after SIGHUP the first package runs")
else:
    check(False, "SIGHUP swaps the package", log[-1000:])
check(a.stop() == 0, "questd exits 0 after reloads", a.stderr()[-2000:])


# --- Restarts: each ends where a questd that was never restarted ends ------------------------------------------------
def reload_to_added(d):
    d.write_rule("zz_added.quest", ADDED)
    status, answer = d.call("POST", "/v1/reload", "")
    check(status == 200 and answer.get("reloaded") is True, "the reload is answered 200", (status, answer))
    return answer


never = Daemon("never")
never.post(parts[0])
reload_to_added(never)
never.post(parts[1])
never.post(parts[2])
expected = never.states()
never.stop()

term = Daemon("sigterm")
term.post(parts[0])
reload_to_added(term)
term.post(parts[1])
check(term.stop() == 0, "questd stops on SIGTERM after a reload")
term.start()
term.post(parts[2])
got = term.states()
check(got == expected, "SIGTERM after a reload, then a restart: the state of a questd never restarted",
      [u for u in users if got[u] != expected[u]][:5])
term.stop()

killed = Daemon("kill9")
killed.post(parts[0])
answer = reload_to_added(killed)
killed.post(parts[1][:700])
killed.stop(signal.SIGKILL)
killed.start()
log = killed.stderr()
check("replayed" in log, "the restart after kill -9 replays the journal", log[-1500:])
check("replayed the reload to %s" % answer.get("package") in log or "restored" in log,
      "recovery replays the Reload record (or restores a snapshot taken after it)", log[-1500:])
killed.post(parts[1][700:])
killed.post(parts[2])
got = killed.states()
check(got == expected, "kill -9 after a reload, then a restart: the state of a questd never restarted",
      [u for u in users if got[u] != expected[u]][:5])
check(len(glob.glob(os.path.join(killed.data, "packages", "*.qlb"))) == 2, "both packages are in data_dir/packages/",
      os.listdir(os.path.join(killed.data, "packages")))
killed.stop()

edited = Daemon("edited")
edited.post(parts[0])
edited.stop()
edited.write_rule("zz_added.quest", ADDED)   # the rules change while questd is stopped
edited.start()
log = edited.stderr()
check("reloaded to" in log, "a restart with edited rules is a reload", log[-1500:])
edited.post(parts[1])
edited.post(parts[2])
got = edited.states()
check(got == expected, "a restart with edited rules: the state of a questd reloaded at that point",
      [u for u in users if got[u] != expected[u]][:5])
edited.stop()

finish("daemon/reload")
