// The Redis leaderboard mirror (issue 20 §4) against a real redis-server:
// each case starts its own on a loopback port it picks, with no persistence,
// and stops it when the case ends, failed or not. What the mirror wrote is
// read back on a connection of the test's own, not through the mirror.
#include "runtime/daemon/leaderboard_mirror.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <hiredis/hiredis.h>

namespace {

using questline::daemon::LeaderboardMirror;
using questline::daemon::ScoreUpdate;
using Board = std::vector<std::pair<std::string, double>>;
using Clock = std::chrono::steady_clock;

// A loopback socket on port 0, bound and (if `listen_too`) listening: the
// kernel picks a port no one else has.
int BindLoopback(bool listen_too, int* port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      (listen_too && listen(fd, 1) != 0) || getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error("cannot bind a loopback socket");
  *port = ntohs(address.sin_port);
  return fd;
}

// A port nothing listens on (for a moment: the socket is closed again).
int FreePort() {
  int port = 0;
  close(BindLoopback(false, &port));
  return port;
}

// One command on a connection of its own; the reply flattened to words:
// an array's elements, a string, a status, an integer; nil is "(nil)".
std::vector<std::string> Query(int port, const std::vector<std::string>& args) {
  redisContext* context = redisConnectWithTimeout("127.0.0.1", port, timeval{1, 0});
  std::vector<std::string> words;
  if (!context || context->err) {
    if (context) redisFree(context);
    return {"(no connection)"};
  }
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto* reply = static_cast<redisReply*>(redisCommandArgv(context, int(argv.size()), argv.data(), lengths.data()));
  auto word = [](const redisReply* r) {
    if (r->type == REDIS_REPLY_INTEGER) return std::to_string(r->integer);
    if (r->type == REDIS_REPLY_NIL) return std::string("(nil)");
    return std::string(r->str, r->len);
  };
  if (!reply) {
    words.push_back("(no reply)");
  } else if (reply->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i < reply->elements; ++i) words.push_back(word(reply->element[i]));
  } else {
    words.push_back(word(reply));
  }
  if (reply) freeReplyObject(reply);
  redisFree(context);
  return words;
}

// redis-server on 127.0.0.1:port, without persistence; stopped (SIGTERM,
// then SIGKILL) by the destructor, and by the kernel if the test dies. Its log goes to a file that a failure to
// start quotes.
class RedisServer {
 public:
  explicit RedisServer(int port) : port_(port), log_("/tmp/questline-redis-" + std::to_string(port) + ".log") {
    Start();
  }
  ~RedisServer() {
    Stop();
    std::remove(log_.c_str());
  }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  void Start() {
    const std::string port = std::to_string(port_);
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);   // a test killed outright leaves no redis-server behind
      const int log = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(log, 1);
      dup2(log, 2);
      execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", "/tmp", static_cast<char*>(nullptr));
      _exit(127);
    }
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Query(port_, {"PING"}) != std::vector<std::string>{"PONG"}) {
      int status = 0;
      const bool exited = waitpid(pid_, &status, WNOHANG) == pid_;
      if (exited || Clock::now() > deadline) {
        if (exited) pid_ = -1;
        Stop();
        std::ifstream log(log_);
        std::stringstream text;
        text << log.rdbuf();
        throw std::runtime_error("redis-server on port " + port + " did not answer PING (is it installed?):\n" +
                                 text.str());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
  }

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int port_;
  std::string log_;
  pid_t pid_ = -1;
};

std::unique_ptr<LeaderboardMirror> MustConnect(const RedisServer& redis) {
  std::string error;
  auto mirror = LeaderboardMirror::Connect(redis.address(), "test", &error);
  INFO(error);
  REQUIRE(mirror);
  return mirror;
}

Board MustTop(LeaderboardMirror& mirror, const std::string& competition, size_t n, int64_t* window_start) {
  Board board{{"stale", 1}};   // Top must replace what is there
  std::string error;
  const bool ok = mirror.Top(competition, n, &board, window_start, &error);
  INFO(error);
  REQUIRE(ok);
  return board;
}

void MustPut(LeaderboardMirror& mirror, const std::vector<ScoreUpdate>& updates) {
  std::string error;
  const bool ok = mirror.Put(updates, &error);
  INFO(error);
  REQUIRE(ok);
}

}  // namespace

TEST_CASE("leaderboard mirror: Put then Top gives the best scores, highest first", "[redis]") {
  RedisServer redis(FreePort());
  auto mirror = MustConnect(redis);
  const int64_t window = 1'700'000'000'000;
  MustPut(*mirror, {{"weekly", window, "alice", 10},
                    {"weekly", window, "bob", 30.5},
                    {"weekly", window, "carol", 20},
                    {"weekly", window, "dave", -5},
                    {"daily", window, "erin", 99}});
  int64_t window_start = 0;
  CHECK(MustTop(*mirror, "weekly", 3, &window_start) == Board{{"bob", 30.5}, {"carol", 20}, {"alice", 10}});
  CHECK(window_start == window);
  // more than there are: all of them; none: none (ZREVRANGE 0 -1 would be all)
  CHECK(MustTop(*mirror, "weekly", 10, &window_start) ==
        Board{{"bob", 30.5}, {"carol", 20}, {"alice", 10}, {"dave", -5}});
  CHECK(MustTop(*mirror, "weekly", 0, &window_start).empty());
  CHECK(window_start == window);
  // the keys issue 20 §4 names, which other readers rely on
  CHECK(Query(redis.port(), {"ZSCORE", "test:lb:weekly:1700000000000", "bob"}) == std::vector<std::string>{"30.5"});
  CHECK(Query(redis.port(), {"GET", "test:lb:daily:current"}) == std::vector<std::string>{"1700000000000"});
  // a later update of a score replaces it (absolute), lower or higher
  MustPut(*mirror, {{"weekly", window, "bob", 1}, {"weekly", window, "dave", 25}});
  CHECK(MustTop(*mirror, "weekly", 2, &window_start) == Board{{"dave", 25}, {"carol", 20}});
}

TEST_CASE("leaderboard mirror: the same batch twice leaves the same set", "[redis]") {
  RedisServer redis(FreePort());
  auto mirror = MustConnect(redis);
  const std::vector<ScoreUpdate> batch = {
      {"weekly", 1000, "alice", 10}, {"weekly", 1000, "bob", 30}, {"weekly", 2000, "alice", 7}};
  MustPut(*mirror, batch);
  const auto once = Query(redis.port(), {"ZRANGE", "test:lb:weekly:1000", "0", "-1", "WITHSCORES"});
  CHECK(once == std::vector<std::string>{"alice", "10", "bob", "30"});
  MustPut(*mirror, batch);
  CHECK(Query(redis.port(), {"ZRANGE", "test:lb:weekly:1000", "0", "-1", "WITHSCORES"}) == once);
  CHECK(Query(redis.port(), {"ZRANGE", "test:lb:weekly:2000", "0", "-1", "WITHSCORES"}) ==
        std::vector<std::string>{"alice", "7"});
  CHECK(Query(redis.port(), {"GET", "test:lb:weekly:current"}) == std::vector<std::string>{"2000"});
}

TEST_CASE("leaderboard mirror: a newer window becomes current, an older one never again", "[redis]") {
  RedisServer redis(FreePort());
  auto mirror = MustConnect(redis);
  // 999999999999 < 1000000000000, though it sorts after it as text
  const int64_t older = 999'999'999'999, newer = 1'000'000'000'000;
  MustPut(*mirror, {{"weekly", older, "alice", 50}});
  int64_t window_start = 0;
  CHECK(MustTop(*mirror, "weekly", 5, &window_start) == Board{{"alice", 50}});
  CHECK(window_start == older);

  MustPut(*mirror, {{"weekly", newer, "bob", 3}});
  CHECK(MustTop(*mirror, "weekly", 5, &window_start) == Board{{"bob", 3}});
  CHECK(window_start == newer);

  // a late update of the older window: written to that window, current stays
  MustPut(*mirror, {{"weekly", older, "carol", 70}});
  CHECK(MustTop(*mirror, "weekly", 5, &window_start) == Board{{"bob", 3}});
  CHECK(window_start == newer);
  CHECK(Query(redis.port(), {"ZSCORE", "test:lb:weekly:999999999999", "carol"}) == std::vector<std::string>{"70"});

  // in one batch, the newest window wins whatever the order
  MustPut(*mirror, {{"daily", 3000, "dan", 1}, {"daily", 2000, "eve", 2}});
  CHECK(MustTop(*mirror, "daily", 5, &window_start) == Board{{"dan", 1}});
  CHECK(window_start == 3000);
}

TEST_CASE("leaderboard mirror: Top of a competition never written is empty", "[redis]") {
  RedisServer redis(FreePort());
  auto mirror = MustConnect(redis);
  MustPut(*mirror, {{"weekly", 1000, "alice", 10}});
  int64_t window_start = -1;
  CHECK(MustTop(*mirror, "monthly", 5, &window_start).empty());
  CHECK(window_start == 0);
}

TEST_CASE("leaderboard mirror: a refused command is an error, and the connection stays in step", "[redis]") {
  RedisServer redis(FreePort());
  auto mirror = MustConnect(redis);
  REQUIRE(Query(redis.port(), {"SET", "test:lb:weekly:1000", "not a sorted set"}) == std::vector<std::string>{"OK"});
  std::string error;
  CHECK_FALSE(mirror->Put({{"weekly", 1000, "alice", 10}, {"daily", 1000, "bob", 5}}, &error));
  CHECK_THAT(error, Catch::Contains("WRONGTYPE") && Catch::Contains("test:lb:weekly:1000"));
  // the other commands of the batch ran, and their replies were read: the
  // next call reads its own answer, not one left over
  int64_t window_start = 0;
  CHECK(MustTop(*mirror, "daily", 5, &window_start) == Board{{"bob", 5}});
  CHECK(window_start == 1000);
  error.clear();
  CHECK_FALSE(mirror->Put({{"weekly", 1000, "nan", std::nan("")}}, &error));
  CHECK_THAT(error, Catch::Contains("not a number"));
  // a `current` that is not a window start
  REQUIRE(Query(redis.port(), {"SET", "test:lb:odd:current", "soon"}) == std::vector<std::string>{"OK"});
  Board board;
  error.clear();
  CHECK_FALSE(mirror->Top("odd", 5, &board, &window_start, &error));
  CHECK_THAT(error, Catch::Contains("test:lb:odd:current"));
}

TEST_CASE("leaderboard mirror: after redis-server restarts, Put reconnects and succeeds", "[redis]") {
  RedisServer redis(FreePort());
  auto mirror = MustConnect(redis);
  MustPut(*mirror, {{"weekly", 1000, "alice", 10}});
  redis.Stop();
  redis.Start();   // same port, empty: no persistence
  // Big enough to take hiredis more than one write(2) on the dead
  // connection: the second raises SIGPIPE, which must not kill the process.
  std::vector<ScoreUpdate> batch;
  for (int i = 0; i < 50'000; ++i)
    batch.push_back({"weekly", 1000, "user-" + std::to_string(i) + std::string(64, 'x'), double(i)});
  MustPut(*mirror, batch);
  CHECK(Query(redis.port(), {"ZCARD", "test:lb:weekly:1000"}) == std::vector<std::string>{"50000"});
  int64_t window_start = 0;
  CHECK(MustTop(*mirror, "weekly", 1, &window_start) == Board{{"user-49999" + std::string(64, 'x'), 49999}});
  CHECK(window_start == 1000);

  // Redis gone for good: an error, not a crash or a hang; back: it recovers
  redis.Stop();
  std::string error;
  const auto start = Clock::now();
  CHECK_FALSE(mirror->Put({{"weekly", 1000, "alice", 11}}, &error));
  CHECK(Clock::now() - start < std::chrono::seconds(5));
  CHECK_THAT(error, Catch::Contains(redis.address()));
  redis.Start();
  MustPut(*mirror, {{"weekly", 1000, "alice", 12}});
  CHECK(MustTop(*mirror, "weekly", 5, &window_start) == Board{{"alice", 12}});
}

TEST_CASE("leaderboard mirror: Connect fails with a clear error within the timeout", "[redis]") {
  std::string error;
  SECTION("nothing listens") {
    const int port = FreePort();
    const auto start = Clock::now();
    CHECK_FALSE(LeaderboardMirror::Connect("127.0.0.1:" + std::to_string(port), "test", &error));
    CHECK(Clock::now() - start < std::chrono::seconds(3));
    CHECK_THAT(error, Catch::Contains("127.0.0.1:" + std::to_string(port)) && Catch::Contains("refused"));
  }
  SECTION("a listener that never answers") {
    int port = 0;
    const int fd = BindLoopback(true, &port);   // the kernel accepts; no one reads
    const auto start = Clock::now();
    CHECK_FALSE(LeaderboardMirror::Connect("127.0.0.1:" + std::to_string(port), "test", &error));
    const auto took = Clock::now() - start;
    close(fd);
    CHECK(took >= std::chrono::milliseconds(1500));
    CHECK(took < std::chrono::seconds(4));
    CHECK_THAT(error, Catch::Contains("no answer within 2 s"));
  }
  SECTION("not host:port") {
    CHECK_FALSE(LeaderboardMirror::Connect("localhost", "test", &error));
    CHECK_THAT(error, Catch::Contains("expected host:port"));
    CHECK_FALSE(LeaderboardMirror::Connect("localhost:99999", "test", &error));
    CHECK_THAT(error, Catch::Contains("expected host:port"));
  }
}
