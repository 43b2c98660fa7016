// The Redis mirror of leaderboards (issue 20 §4): each window of a
// competition is a sorted set, PREFIX:lb:COMPETITION:WINDOW_START, written
// with absolute ZADD scores, so a batch sent again (a retry, a replay after a
// restart) leaves the same set; PREFIX:lb:COMPETITION:current holds the
// newest window start, so GET /v1/leaderboards/… can answer from Redis
// without asking the engine. hiredis, blocking, on the calling thread (a
// sink's sender, never the engine's); connecting and every command have a
// 2 s timeout, so a Redis that hangs is a failed call, not a stuck thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct redisContext;   // hiredis stays out of this header

namespace questline::daemon {

struct ScoreUpdate {
  std::string competition;
  int64_t window_start = 0;   // the window's start (ms since the epoch); names its sorted set
  std::string user;
  double score = 0;           // the user's score in that window: absolute, never an increment
};

class LeaderboardMirror {
 public:
  // `address` is "host:port" ("[::1]:6379" for IPv6). Null with `error` set
  // when Redis cannot be reached or does not answer PING within the timeout.
  static std::unique_ptr<LeaderboardMirror> Connect(const std::string& address, const std::string& prefix,
                                                    std::string* error);
  ~LeaderboardMirror();
  LeaderboardMirror(const LeaderboardMirror&) = delete;
  LeaderboardMirror& operator=(const LeaderboardMirror&) = delete;

  // Sets every update's score and moves each competition's `current` to the
  // newest window start seen (an older window never moves it back), in one
  // round trip. A dropped connection is reconnected once and the whole batch
  // sent again. False with `error` when Redis refused a command or could not
  // be reached; the batch's other commands still ran (Redis goes on after a
  // refused one), and a NaN score refuses the batch before any of it is sent.
  bool Put(const std::vector<ScoreUpdate>& updates, std::string* error);

  // The current window's best `n` (user, score), highest score first, and
  // that window's start. A competition never written: true, `out` empty and
  // `window_start` 0.
  bool Top(const std::string& competition, size_t n, std::vector<std::pair<std::string, double>>* out,
           int64_t* window_start, std::string* error);

 private:
  LeaderboardMirror(std::string host, int port, std::string prefix);
  bool Open(std::string* error);
  // Send `commands` pipelined and read one reply per command. RunOnce
  // closes a broken connection; Run then opens one more and tries again.
  struct Replies;
  bool Run(const std::vector<std::vector<std::string>>& commands, Replies* replies, std::string* error);
  bool RunOnce(const std::vector<std::vector<std::string>>& commands, Replies* replies, std::string* error);
  std::string Key(const std::string& competition, const std::string& suffix) const;
  std::string Where() const;   // "redis HOST:PORT: ", an error's start

  std::string host_;
  int port_ = 0;
  std::string prefix_;
  redisContext* context_ = nullptr;   // null while not connected
};

}  // namespace questline::daemon
