"""questd's security (issue 16 §3): the bearer token from the variable the
config names, on every endpoint but /healthz; loopback unless configured;
no listening beyond this machine without a token.
Usage: auth_test.py QUESTD SOURCE_DIR"""
import subprocess
import sys
import tempfile

from questd_lib import Questd, check, config, finish, request

questd, src = sys.argv[1:3]
d = Questd(questd, config(src, "auth: { token_env: QUESTD_TEST_TOKEN }\n"), env={"QUESTD_TEST_TOKEN": "s3cret-token"})
port = d.port
endpoints = [("GET", "/v1/users/u1"), ("GET", "/v1/leaderboards/weekly_points"),
             ("GET", "/v1/missions/casino_challenge/stats"), ("POST", "/v1/events"), ("GET", "/metrics"),
             ("POST", "/v1/segments/promo_list/import"), ("POST", "/v1/balances/import"), ("POST", "/v1/reload")]
for method, path in endpoints:
    status, headers, _ = request(port, method, path, "")
    check(status == 401 and headers.get("WWW-Authenticate") == "Bearer", "%s %s needs the token" % (method, path),
          status)
    status, _, _ = request(port, method, path, "", token="s3cret-tokeX")
    check(status == 401, "%s %s refuses a wrong token" % (method, path), status)
    status, _, _ = request(port, method, path, "", token="s3cret-token-longer")
    check(status == 401, "%s %s refuses a longer token" % (method, path), status)
status, _, _ = request(port, "GET", "/metrics", token="s3cret-token")
check(status == 200, "the right token opens /metrics", status)
status, _, _ = request(port, "GET", "/v1/leaderboards/weekly_points", headers={"Authorization": "bearer s3cret-token"})
check(status == 200, "the scheme is case-insensitive", status)
check(request(port, "GET", "/healthz")[0] == 200, "/healthz needs no token")
code, err = d.stop()
check(code == 0, "questd exits 0 on SIGTERM", err)


def refused(config_text, env, what, needle):
    path = tempfile.mkdtemp() + "/questd.yaml"
    open(path, "w").write(config_text.replace("{dir}", path.rsplit("/", 1)[0]))
    p = subprocess.run([questd, "--config", path], capture_output=True, text=True, timeout=60, env=env)
    check(p.returncode == 2 and needle in p.stderr, what, (p.returncode, p.stderr))


# Non-loopback without a token: refused (exit 2) before it listens.
refused(config(src, listen='{ http: "0.0.0.0:0" }'), {}, "a non-loopback address needs a token",
        "listen")
refused(config(src, "auth: { token_env: QUESTD_UNSET_VAR }\n"), {}, "an unset token variable is refused",
        "QUESTD_UNSET_VAR")
finish("daemon/auth")
