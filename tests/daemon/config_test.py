"""questd's configuration errors (issue 16 §1): each names the key and its
line, and questd exits 2 without listening.
Usage: config_test.py QUESTD SOURCE_DIR"""
import subprocess
import sys
import tempfile

from questd_lib import check, finish

questd, src = sys.argv[1:3]
good = ('rules: %s/examples/casino\nlisten: { http: "127.0.0.1:0" }\n' % src)
cases = [
    ("an unknown key", good + "limts: { max_event_bytes: 10 }\n", ":3: limts: unknown key"),
    ("an unknown nested key", good + "limits: { max_events: 10 }\n", ":3: limits.max_events: unknown key"),
    ("a wrong type", good + "partitions: two\n", ":3: partitions: expects a whole number"),
    ("a number out of range", good + "limits:\n  max_batch_events: 0\n", ":4: limits.max_batch_events"),
    ("a bad duration", good + "dedup_window: 7 days\n", ":3: dedup_window: expects a duration"),
    ("a bad choice", good + "clock: sometimes\n", ":3: clock: 'sometimes' is not one of event, wall"),
    ("a bad engine", good + "engine: fast\n", ":3: engine:"),
    ("a bad address", good.replace("127.0.0.1:0", "127.0.0.1"), ":2: listen.http: expects HOST:PORT"),
    ("unreadable rules", "rules: /nonexistent/pkg\nlisten: { http: \"127.0.0.1:0\" }\n",
     ":1: rules: cannot read '/nonexistent/pkg'"),
    ("missing rules", 'listen: { http: "127.0.0.1:0" }\n', "rules: is required"),
    ("no listener", "rules: %s/examples/casino\n" % src, "listen: needs at least one of http or tcp"),
    ("a sink without a path", good + "sinks:\n  - { type: file }\n", ":4: sinks[0]: a file sink needs a path"),
    ("a webhook sink without a url", good + "sinks:\n  - { type: webhook }\n", ":4: sinks[0]: a webhook sink needs a url"),
    ("a webhook url that is not http", good + "sinks:\n  - type: webhook\n    url: ftp://h/x\n",
     ":5: sinks[0].url: expects http://HOST[:PORT][/PATH]"),
    ("an https webhook", good + "sinks:\n  - { type: webhook, url: \"https://h/x\" }\n",
     ":4: sinks[0].url: https is not supported"),
    ("a webhook port out of range", good + "sinks:\n  - { type: webhook, url: \"http://h:70000/\" }\n",
     ":4: sinks[0].url: the port must be"),
    ("a webhook batch_max of 0", good + "sinks:\n  - type: webhook\n    url: http://h/\n    batch_max: 0\n",
     ":6: sinks[0].batch_max: expects a whole number from 1"),
    ("a webhook bad timeout", good + "sinks:\n  - { type: webhook, url: \"http://h/\", timeout: soon }\n",
     ":4: sinks[0].timeout: expects a duration"),
    ("a webhook backoff_initial over backoff_max",
     good + "sinks:\n  - { type: webhook, url: \"http://h/\", backoff_initial: 1m, backoff_max: 1s }\n",
     ":4: sinks[0]: backoff_initial is longer than backoff_max"),
    ("two webhooks with one name",
     good + "sinks:\n  - { type: webhook, url: \"http://h/\", name: a }\n  - { type: webhook, url: \"http://g/\", name: a }\n",
     ":5: sinks[1].name: 'a' is the name of sinks[0] too"),
    ("a webhook name that is not a file name", good + "sinks:\n  - { type: webhook, url: \"http://h/\", name: a/b }\n",
     ":4: sinks[0].name: expects letters"),
    ("a kafka source without brokers", good + "source: { type: kafka, topic: t }\n",
     ":3: source.brokers: is required"),
    ("a kafka source writing actions to its input", good + "source: { type: kafka, brokers: b, topic: t, actions_topic: t }\n",
     ":3: source: topic, actions_topic, changelog_topic and repartition_topic must be four different topics"),
    ("a kafka source whose fetches may wait a minute", good + "source: { type: kafka, brokers: b, fetch_wait: 1m }\n",
     ":3: source.fetch_wait: must be between 1ms and 10s"),
    ("a kafka source beside the TCP port", 'rules: %s/examples/casino\nlisten: { http: "127.0.0.1:0", tcp: "127.0.0.1:0" }\n'
     "source: { type: kafka, brokers: b }\n" % src, ":2: listen.tcp: events come from the Kafka topic"),
    ("a kafka source with a file sink", good + "sinks:\n  - { type: file, path: /tmp/x }\nsource: { type: kafka, brokers: b }\n",
     ":3: sinks: with source: kafka, actions go to source.actions_topic"),
    ("a kafka source whose brokers cannot be reached", good + "source: { type: kafka, brokers: \"127.0.0.1:1\" }\n",
     ":3: source: metadata of topic events"),
    ("a sinks that is not a list", good + "sinks: { type: file }\n", ":3: sinks: expects a list"),
    ("broken YAML", good + "limits: { max_event_bytes: [\n", "yaml:"),
    ("a top level that is not a mapping", "- a\n- b\n", "expects a mapping"),
]
for what, text, needle in cases:
    path = tempfile.mkdtemp() + "/questd.yaml"
    open(path, "w").write(text)
    p = subprocess.run([questd, "--config", path], capture_output=True, text=True, timeout=60)
    check(p.returncode == 2 and needle in p.stderr and p.stdout == "", what, (p.returncode, p.stderr))
p = subprocess.run([questd, "--config", "/nonexistent.yaml"], capture_output=True, text=True)
check(p.returncode == 2 and "cannot read" in p.stderr, "an unreadable config file", p.stderr)
p = subprocess.run([questd], capture_output=True, text=True)
check(p.returncode == 2 and "usage" in p.stderr, "no --config", p.stderr)
finish("daemon/config")
