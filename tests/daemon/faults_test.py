"""questd under file I/O faults (issue 17 §5, docs/durability.md "Faults"): an
fsync error or a full disk stops acknowledgements (a 503 naming the reason),
nothing undurable is acknowledged, and questd takes inputs again as soon as
the disk does, without a restart.

Injected faults (QUESTD_FAULTS, runtime/daemon/io_faults.h), always run: for
each site (journal write and fdatasync, the journal's cut failing too, file
sink write and fdatasync, snapshot write/fsync/rename, the package store at
start) the answer's code and reason, resumption without a restart, and after
kill -9 and a restart every player's state equals `quest run` of exactly the
acknowledged events, as does the action file byte for byte (so no action line
is there twice).

A full disk for real: data_dir on a tmpfs of a few MiB mounted in a private
mount namespace (unshare: as root, else in a user namespace), filled up, then
freed; the same checks. Where no such mount can be made this part prints why
and is skipped (the injected ENOSPC above still runs).
Usage: faults_test.py QUESTD QUEST SOURCE_DIR"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

from questd_lib import Casino, check, finish, json_request, launch

questd, quest, src = [os.path.abspath(a) for a in sys.argv[1:4]]
casino = Casino(quest, src, 250, "faults_ref_")
all_users = sorted(u["user"] for u in json.load(open(casino.ref_dir + "/state.json"))["users"])


def reference(lines):
    """`quest run` of `lines`, in order: (state by user, action bytes)."""
    out = casino.ref_dir
    if lines != casino.lines:
        out = tempfile.mkdtemp(prefix="faults_run_")
        with open(out + "/events.ndjson", "w") as f:
            f.write("".join(l + "\n" for l in lines))
        subprocess.run([quest, "run", casino.dir, "--events", out + "/events.ndjson", "--engine", "interp",
                        "--actions", out + "/actions.ndjson", "--state", out + "/state.json"],
                       check=True, stderr=subprocess.DEVNULL)
    state = {u["user"]: u for u in json.load(open(out + "/state.json"))["users"]}
    return state, open(out + "/actions.ndjson", "rb").read()


class Daemon:
    """A questd on the casino with `fsync: group`. `data_dir` is the path
    questd uses, `view` the same folder as this test sees it (they differ when
    questd runs in another mount namespace, `wrapper`)."""

    def __init__(self, name, snapshot_every=1000000, data_dir=None, view=None, wrapper=(), actions=None,
                 actions_view=None):
        self.name = name
        self.work = tempfile.mkdtemp(prefix="faults_%s_" % name)
        self.data_dir = data_dir or os.path.join(self.work, "data")
        self.view = view or self.data_dir
        self.actions_path = actions or self.data_dir + "/actions.ndjson"
        self.actions_view = actions_view or self.view + "/actions.ndjson"
        self.wrapper = wrapper
        self.config_path = os.path.join(self.work, "questd.yaml")
        with open(self.config_path, "w") as f:
            f.write("rules: %s\ndata_dir: %s\nlisten: { http: \"127.0.0.1:0\" }\nengine: interp\n"
                    "durability: { fsync: group, snapshot_every_events: %d }\n"
                    "sinks:\n  - { type: file, path: %s }\n"
                    % (casino.dir, self.data_dir, snapshot_every, self.actions_path))
        self.starts = 0
        self.proc = None

    def start(self, faults=""):
        self.starts += 1
        env = {"QUESTD_FAULTS": faults}
        self.proc, ports = launch(questd, self.config_path, os.path.join(self.work, "stderr-%d.txt" % self.starts),
                                  env, wrapper=self.wrapper)
        self.port = ports["http"]

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def log(self):
        return "".join(open(p, errors="replace").read() for p in sorted(glob.glob(self.work + "/stderr-*.txt")))

    def actions(self):
        return open(self.actions_view, "rb").read()


def drive(d, on_refused=None, before=None, drop_refused=True, max_tries=6):
    """Posts the casino's batches in order. With `drop_refused` a batch
    refused as not applied ("nothing applied") is dropped for good, which
    proves it was not applied; otherwise it is sent again. One answered 503
    after it was journaled and applied is sent again until a 200, which must
    count all its events as duplicates. `before(index)` runs before each
    batch, `on_refused(d, index, error)` after each 503. The acknowledged
    lines, in order, and the 503 reasons."""
    acked, errors = [], []
    for i, batch in enumerate(batches):
        if before:
            before(i)
        applied = False
        for _ in range(max_tries):
            status, answer = json_request(d.port, "POST", "/v1/events", "\n".join(batch) + "\n")
            error = answer.get("error", "") if isinstance(answer, dict) else str(answer)
            if status == 200:
                check(not error and not answer.get("rejected"), "%s: batch %d: a clean 200" % (d.name, i), answer)
                if applied:
                    check(answer.get("duplicates") == len(batch),
                          "%s: batch %d, applied before its 503, comes back as duplicates" % (d.name, i), answer)
                acked += batch
                break
            check(status == 503 and error, "%s: batch %d: a 503 with the reason" % (d.name, i), (status, answer))
            errors.append(error)
            if on_refused:
                on_refused(d, i, error)
            if "journaled and applied" in error:
                applied = True
            elif not applied and "nothing applied" in error and drop_refused:
                break
        else:
            check(False, "%s: batch %d is acknowledged within %d tries" % (d.name, i, max_tries), errors[-3:])
    print("faults: %s: %d of %d lines acknowledged; 503s: %s" % (d.name, len(acked), len(casino.lines), errors))
    return acked, errors


batches = casino.batches


def verify(d, acked, what):
    """The live action file, then after kill -9 and a restart (no faults) the
    state and the action file, against `quest run` of `acked`."""
    ref_state, ref_actions = reference(acked)
    got = d.actions()
    lines = got.decode(errors="replace").splitlines()
    keys = [l.split('"key":"', 1)[-1][:32] for l in lines]
    check(len(keys) == len(set(keys)), "%s: no action line twice" % what, len(keys) - len(set(keys)))
    torn = [l for l in lines if not l.startswith('{"seq":') or not l.endswith("}")]
    check(not torn, "%s: no torn action line" % what, torn[:2])
    check(got == ref_actions, "%s: the action file equals quest run of the acknowledged events" % what,
          (len(got), len(ref_actions)))
    d.kill()
    d.start()
    differ = []
    for user in all_users:
        status, state = json_request(d.port, "GET", "/v1/users/" + user)
        if (user in ref_state) != (status == 200) or (status == 200 and state != ref_state[user]):
            differ.append(user)
    check(not differ, "%s: after kill -9 every player's state equals quest run of the acknowledged events" % what,
          differ[:5])
    check(d.actions() == ref_actions, "%s: the restart wrote no action again and lost none" % what)
    d.kill()


def journal_scenario(name, faults, reason, kill_after_first=False):
    """A journal fault: 503 with `reason`, the batch not applied (dropped),
    the next batch taken."""
    d = Daemon(name)
    d.start(faults)

    def refused(d, i, error):
        if kill_after_first and d.starts == 1:
            d.kill()   # before anyone could cut the tail: recovery must
            d.start()

    acked, errors = drive(d, refused)
    check(errors and reason in errors[0], "%s: the 503 says '%s'" % (name, reason), errors)
    check(errors and "not journaled, nothing applied" in errors[0], "%s: the 503 says nothing was applied" % name,
          errors)
    check(len(acked) < len(casino.lines), "%s: the refused batch was not acknowledged" % name)
    verify(d, acked, name)
    if not kill_after_first:
        check("torn or damaged record" not in d.log(), "%s: the journal had no torn tail at restart" % name,
              d.log()[-1500:])
    return d


def sink_scenario(name, faults, reasons):
    """A file sink fault: 503 with each of `reasons` in turn, then the same
    batch again is a 200 with every event a duplicate."""
    d = Daemon(name)
    d.start(faults)
    acked, errors = drive(d)
    check(len(errors) == len(reasons) and all(r in e for r, e in zip(reasons, errors)),
          "%s: the 503s say %s" % (name, reasons), errors)
    check(acked == casino.lines, "%s: every batch acknowledged in the end" % name)
    check("the file sink writes again" in d.log(), "%s: the sink resumed" % name, d.log()[-1500:])
    verify(d, acked, name)


# The journal: a failed write (half a record left behind), a failed fdatasync,
# a failed fdatasync whose cut fails too (the next input cuts first), a torn
# record not cut when questd is killed (recovery cuts it).
journal_scenario("journal-write", "journal.write:5:ENOSPC", "journal: write: No space left on device")
journal_scenario("journal-fsync", "journal.fsync:5:EIO", "journal: fdatasync: Input/output error")
d = journal_scenario("journal-cut", "journal.fsync:6-7:EIO", "cannot cut the undurable tail")
check("the tail after 'journal: fdatasync: Input/output error' is cut" in d.log(),
      "journal-cut: the next input cut the tail first", d.log()[-1500:])
d = journal_scenario("journal-torn", "journal.write:4:ENOSPC,journal.truncate:1:EIO", "journal: write: No space",
                     kill_after_first=True)
check("torn or damaged record" in d.log(), "journal-torn: recovery cut the torn record", d.log()[-1500:])

# The file sink: the input is journaled and applied, its actions held and
# written before the next input; a sink that still fails refuses inputs.
sink_scenario("sink-write", "sink.write:6:ENOSPC", ["sink: write: No space left on device; journaled and applied"])
sink_scenario("sink-fsync", "sink.fsync:4:EIO", ["sink: fdatasync: Input/output error; journaled and applied"])
sink_scenario("sink-stuck", "sink.write:6-8:ENOSPC,sink.truncate:2:EIO",
              ["sink: write: No space left on device; journaled and applied",
               "sink: write: No space left on device; the actions of an earlier input are not yet in the action file",
               "sink: write: No space left on device; the actions of an earlier input are not yet in the action file"])

# Snapshots: a failed one is discarded (no file, no temporary left), inputs go
# on, the journal is kept; the fourth attempt succeeds.
d = Daemon("snapshot", snapshot_every=1000)
d.start("snapshot.write:1:ENOSPC,snapshot.fsync:1:EIO,snapshot.rename:1:EIO")
acked, errors = drive(d)
check(not errors and acked == casino.lines, "snapshot: every batch acknowledged at once", errors)
log = d.log()
check(log.count("snapshot: cannot write") == 2 and log.count("snapshot: cannot rename") == 1,
      "snapshot: the three failed snapshots are logged", log[-2000:])
check(not glob.glob(d.view + "/*.tmp"), "snapshot: no temporary file left", os.listdir(d.view))
check(glob.glob(d.view + "/snapshot-*.bin"), "snapshot: a later snapshot was written", os.listdir(d.view))
verify(d, acked, "snapshot")

# The package store at start: questd refuses to start (exit 1, the reason),
# and starts once the disk does.
for faults, reason in [("package.write:1:ENOSPC", "No space left on device"), ("package.fsync:1:EIO", "Input/output")]:
    d = Daemon("package")
    try:
        d.start(faults)
        check(False, "package: questd does not start with %s" % faults)
        d.kill()
    except RuntimeError as e:
        check(d.proc is None and reason in str(e) and "packages" in str(e),
              "package: %s: the start fails naming the reason" % faults, str(e)[-600:])
    d.start()
    check(json_request(d.port, "POST", "/v1/events", "\n".join(batches[0]) + "\n")[0] == 200,
          "package: questd starts once the package can be stored")
    check(not glob.glob(d.view + "/packages/*.tmp"), "package: no temporary file left")
    d.kill()

check(subprocess.run([questd, "--config", d.config_path], env=dict(os.environ, QUESTD_FAULTS="journal.fsync:x:EIO"),
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 2,
      "a malformed QUESTD_FAULTS is exit 2")



def group_scenario(name, faults, reason, applied, count_groups=True):
    """Group commit under a fault: 16 clients post at once, in rounds, batches
    of players of their own (order-independent), with `faults` failing a
    group's journal fdatasync or its file sink flush. Every 503 names
    `reason`; its batch's players are then in the state (`applied`: the
    sink's "journaled and applied") or absent (the journal's "nothing
    applied", for every batch of the group), and every acknowledged batch's
    players are there, also after kill -9 and a restart."""
    import threading
    d = Daemon(name)
    d.start(faults)
    clients, rounds = 16, 6
    answers = []   # (status, error, users)
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(c):
        for n in range(rounds):
            lines, users = [], []
            for p in range(3):
                user = "grp-%d-%d-%d" % (c, n, p)
                ts = "2026-12-01T10:%02d:00Z" % ((c + n + p) % 60)
                lines.append(json.dumps({"id": user + "-r", "type": "registration", "user": user, "ts": ts,
                                         "country": "SE", "language": "en", "brand": "questcasino",
                                         "affiliate": "aff_1", "device": "mobile"}))
                lines.append(json.dumps({"id": user + "-d", "type": "deposit", "user": user, "ts": ts,
                                         "amount": 250, "currency": "EUR", "method": "BTC", "first": True}))
                users.append(user)
            barrier.wait()
            status, answer = json_request(d.port, "POST", "/v1/events", "\n".join(lines) + "\n")
            error = answer.get("error", "") if isinstance(answer, dict) else str(answer)
            with lock:
                answers.append((status, error, users))

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    refused = [a for a in answers if a[0] != 200]
    print("faults: %s: %d of %d batches refused" % (name, len(refused), len(answers)))
    check(refused and all(a[0] == 503 and reason in a[1] for a in refused),
          "%s: every refusal is a 503 naming '%s'" % (name, reason), refused[:3])
    log = d.log()
    if count_groups:
        counts = [int(m) for m in re.findall(r"; (\d+) inputs refused", log)]
        check(sum(counts) == len(refused), "%s: the log's refused groups account for every 503" % name,
              (counts, len(refused)))
        print("faults: %s: groups refused: %s batches" % (name, counts))

    def present():
        return {u: json_request(d.port, "GET", "/v1/users/" + u)[0] == 200 for _, _, users in answers for u in users}

    for when in ("live", "after kill -9"):
        there = present()
        wrong = [u for status, _, users in answers for u in users
                 if there[u] != (status == 200 or applied)]
        check(not wrong, "%s: %s: acknowledged batches applied, refused ones %s" %
              (name, when, "applied too" if applied else "not applied"), wrong[:5])
        if when == "live":
            d.kill()
            d.start()
    keys = [l.split('"key":"', 1)[-1][:32] for l in d.actions().decode(errors="replace").splitlines()]
    check(len(keys) == len(set(keys)), "%s: no action line twice" % name)
    d.kill()


# Group commit: a failed group fdatasync refuses the whole group (each of its
# batches a 503, none applied); a failed group sink flush answers each batch
# of the group 503 "journaled and applied".
group_scenario("group-journal", "journal.fsync:3-4:EIO", "not journaled, nothing applied: journal: fdatasync", False)
# A record's write fails and so does its cut: that batch is refused, and the
# batches staged before it in the group, unsynced, are given up with it.
group_scenario("group-write-cut", "journal.write:20:ENOSPC,journal.truncate:1:EIO",
               "not journaled, nothing applied: journal: ", False, count_groups=False)
group_scenario("group-sink", "sink.fsync:3:EIO", "sink: fdatasync: Input/output error; journaled and applied", True,
               count_groups=False)

def private_tmpfs(mounts):
    """A process holding a private mount namespace with a tmpfs on each
    (folder, size) of `mounts`, and the command that runs a program in it;
    or None and why."""
    tries = []
    if os.geteuid() == 0:
        tries.append((["unshare", "-m"], ["nsenter", "-m", "-t"]))
    tries.append((["unshare", "-r", "-m"], ["nsenter", "-U", "-m", "--preserve-credentials", "-t"]))
    script = " && ".join('mount -t tmpfs -o size=%s tmpfs "%s"' % (size, folder) for folder, size in mounts)
    why = []
    for unshare, nsenter in tries:
        if not shutil.which(unshare[0]) or not shutil.which(nsenter[0]):
            why.append("no unshare/nsenter")
            continue
        holder = subprocess.Popen(unshare + ["sh", "-c", script + " && echo mounted && exec sleep 900"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if holder.stdout.readline().strip() == b"mounted":
            return holder, nsenter + [str(holder.pid), "--"], ""
        holder.wait()
        why.append("%s: %s" % (" ".join(unshare), holder.stderr.read().decode(errors="replace").strip()))
    return None, None, "; ".join(why)


def fill_and_free(d, full_view):
    """Posts the casino; before batch 10 fills the filesystem of `full_view`
    with a file, and removes it after the third 503."""
    filler = full_view + "/filler"
    refusals = []

    def fill(i):
        if i != 10:
            return
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            while True:
                os.write(fd, b"\0" * 65536)
        except OSError:
            pass
        os.close(fd)

    def refused(d, i, error):
        refusals.append(i)
        if len(refusals) == 3:
            os.unlink(filler)

    acked, errors = drive(d, refused, before=fill, drop_refused=False)
    check(len(errors) == 3 and all("No space left on device" in e for e in errors),
          "%s: the full disk answered three 503s naming ENOSPC" % d.name, errors)
    check(acked == casino.lines, "%s: every batch acknowledged once the disk had room, without a restart" % d.name)
    verify(d, acked, d.name)
    return errors


def small_filesystem():
    """data_dir on one small tmpfs (the journal fills it), then the action
    file alone on another (the file sink fills it)."""
    root = tempfile.mkdtemp(prefix="faults_tmpfs_")
    os.makedirs(root + "/data")
    os.makedirs(root + "/sink")
    holder, wrapper, why = private_tmpfs([(root + "/data", "8m"), (root + "/sink", "2m")])
    if not holder:
        print("faults: SKIP the small filesystem: no tmpfs can be mounted here (%s); ENOSPC is covered by the "
              "injected faults" % why)
        return
    view = "/proc/%d/root%s" % (holder.pid, root)
    try:
        d = Daemon("tmpfs-journal", snapshot_every=2000, data_dir=root + "/data/1", view=view + "/data/1",
                   wrapper=wrapper)
        d.start()
        errors = fill_and_free(d, view + "/data")
        check(errors and all(e.startswith("not journaled, nothing applied: journal: write") for e in errors),
              "tmpfs-journal: the journal refused the batches", errors)
        d = Daemon("tmpfs-sink", snapshot_every=2000, data_dir=root + "/data/2", view=view + "/data/2",
                   wrapper=wrapper, actions=root + "/sink/actions.ndjson", actions_view=view + "/sink/actions.ndjson")
        d.start()
        errors = fill_and_free(d, view + "/sink")
        check(errors and errors[0].startswith("sink: write: No space left on device; journaled and applied"),
              "tmpfs-sink: the sink's 503 says the batch is applied", errors)
    finally:
        holder.kill()
        holder.wait()


small_filesystem()
finish("faults")
