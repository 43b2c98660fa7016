#!/usr/bin/env bash
# Issue 14 §7: `quest check --format sarif` is valid against the official SARIF
# 2.1.0 schema (tests/third_party/sarif), says its columns count code points,
# percent-encodes artifact URIs (a space, `#`, a byte 0xFF in a path), and both
# SARIF and `--format json` are valid UTF-8 whatever the file names hold.
# Needs python3 with jsonschema (Debian python3-jsonschema; scripts/setup.sh).
# Usage: sarif_test.sh QUEST SRC_DIR
set -u
quest=$1
src=$2
source "$(dirname "$0")/lib.sh"

python=""
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import jsonschema' 2> /dev/null; then python=$candidate; break; fi
done
if [ -z "$python" ]; then
  echo "FAIL: no python3 with jsonschema (install python3-jsonschema: scripts/setup.sh)"
  exit 1
fi

# A folder whose name holds a space and `#`, with an error in a file named
# with a space, one named with the byte 0xFF, and one with a non-ASCII
# character before its error (its column counts that character once).
dir="$tmp/with space#1"
mkdir "$dir"
printf 'rule a on deposit where deposit.amout >= 20 { award points 1 }\nrule d on depositt { award points 1 }\n' \
  > "$dir/two errors.quest"
printf 'rule b on depositt { award points 1 }\n' > "$dir/bad"$'\xff'".quest"
printf 'rule c on bet where bet.game_type == "é" or bet.amout > 1 { award points 1  cap 10 points per day }\n' \
  > "$dir/wide.quest"

check() {  # check NAME PATH: SARIF and JSON of PATH into $tmp/NAME.sarif, $tmp/NAME.json
  expect 1 "sarif of $1" -- "$quest" check --format sarif "$2"
  cp "$tmp/out" "$tmp/$1.sarif"
  expect 1 "json of $1" -- "$quest" check --format json "$2"
  cp "$tmp/out" "$tmp/$1.json"
}
check absolute "$dir"
cd "$tmp"; check relative "with space#1"; cd - > /dev/null

"$python" - "$src/tests/third_party/sarif/sarif-schema-2.1.0.json" "$tmp" "$dir" <<'PY' || failures=$((failures + 1))
import json, os, re, sys, urllib.parse
import jsonschema

schema_path, tmp, folder = sys.argv[1:]
schema = json.load(open(schema_path, encoding="utf-8"))
validator_class = jsonschema.validators.validator_for(schema)   # draft-04, per its $schema
validator_class.check_schema(schema)
validator = validator_class(schema, format_checker=jsonschema.FormatChecker())
names = sorted(os.listdir(os.fsencode(folder)))
problems = []

def strict_utf8(path):
    raw = open(path, "rb").read()
    try:
        return raw.decode("utf-8")   # strict: any invalid byte raises
    except UnicodeDecodeError as e:
        problems.append(f"{path}: not valid UTF-8: {e}")
        return raw.decode("utf-8", "replace")

# RFC 3986 URI-reference characters: unreserved, reserved, and %XX.
uri_chars = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-F]{2})*$")

for run_name, base in (("absolute", os.fsencode(folder)), ("relative", b"with space#1")):
    log = json.loads(strict_utf8(os.path.join(tmp, run_name + ".sarif")))
    for error in validator.iter_errors(log):
        problems.append(f"{run_name}: schema: {error.message} at {list(error.absolute_path)}")
    run = log["runs"][0]
    if run.get("columnKind") != "unicodeCodePoints":
        problems.append(f"{run_name}: columnKind is {run.get('columnKind')!r}, not unicodeCodePoints")
    files = set()
    for result in run["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        if not uri_chars.match(uri):
            problems.append(f"{run_name}: {uri!r} is not an RFC 3986 URI reference")
        parts = urllib.parse.urlsplit(uri)
        if parts.query or parts.fragment:
            problems.append(f"{run_name}: {uri!r} has a query or fragment: a path character was not encoded")
        if run_name == "absolute" and parts.scheme != "file":
            problems.append(f"{run_name}: {uri!r}: an absolute path is a file:// URI")
        if run_name == "relative" and parts.scheme:
            problems.append(f"{run_name}: {uri!r}: a relative path stays a relative reference")
        path = urllib.parse.unquote_to_bytes(parts.path)
        if os.path.dirname(path) != base or os.path.basename(path) not in names:
            problems.append(f"{run_name}: {uri!r} decodes to {path!r}, which is none of the files")
        files.add(os.path.basename(path))
        if os.path.basename(path) == b"wide.quest" and "amout" in result["message"]["text"]:
            column = result["locations"][0]["physicalLocation"]["region"]["startColumn"]
            line = open(os.path.join(os.fsencode(folder), b"wide.quest"), encoding="utf-8").read()
            if column != line.index("bet.amout") + 1:
                problems.append(f"{run_name}: wide.quest column {column} does not count code points")
    if files != set(names):
        problems.append(f"{run_name}: results name {sorted(files)}, the folder holds {names}")
    diagnostics = json.loads(strict_utf8(os.path.join(tmp, run_name + ".json")))
    if not any("\ufffd" in d["file"] for d in diagnostics):
        problems.append(f"{run_name}: json: the 0xFF byte of a file name is not U+FFFD")

for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
PY

[ $failures = 0 ] && echo "sarif: all passed"
exit $failures
