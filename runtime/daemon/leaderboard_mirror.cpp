#include "runtime/daemon/leaderboard_mirror.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <hiredis/hiredis.h>

namespace questline::daemon {

namespace {

constexpr int kTimeoutSeconds = 2;   // connecting, and each command's write and answer

// Moves KEYS[1] (PREFIX:lb:COMPETITION:current) to ARGV[1] only forward, in
// Redis, so two writers, or a late batch of an older window, can never set
// it back. Lua numbers are doubles: window starts in ms compare exactly up
// to 2^53 ms, some 285,000 years.
constexpr const char* kRaiseCurrent =
    "local current = tonumber(redis.call('GET', KEYS[1]))\n"
    "local start = tonumber(ARGV[1])\n"
    "if current == nil or start > current then\n"
    "  redis.call('SET', KEYS[1], ARGV[1])\n"
    "  return 1\n"
    "end\n"
    "return 0\n";

// The shortest text that reads back as the same double, so a score sent
// twice is the same score (and Redis reads "inf" and "-inf" too).
std::string FormatScore(double score) {
  char text[64];
  auto result = std::to_chars(text, text + sizeof text, score);
  return std::string(text, result.ptr);
}

// A command as an error names it: its verb and key (EVAL's key is its
// fourth word; the script itself says nothing to a reader).
std::string Name(const std::vector<std::string>& command) {
  if (command[0] == "EVAL") return "EVAL " + command[3];
  return command.size() > 1 ? command[0] + " " + command[1] : command[0];
}

// hiredis writes with write(2), which raises SIGPIPE on a connection Redis
// has closed, and SIGPIPE's default is death. questd ignores it (main.cpp),
// but the mirror must not rest on its caller: SIGPIPE is blocked on this
// thread while hiredis writes, and one raised meanwhile is taken before the
// old mask comes back (libpq does the same); the write fails with EPIPE.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_mask_);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE);   // not ours to take
  }
  ~SigpipeBlock() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE)) {
      const timespec now{0, 0};
      sigtimedwait(&pipe_, nullptr, &now);
    }
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }

 private:
  sigset_t pipe_, old_mask_;
  bool was_pending_ = false;
};

template <typename Number>
bool ParseWhole(const char* text, size_t length, Number* value) {
  auto result = std::from_chars(text, text + length, *value);
  return result.ec == std::errc() && result.ptr == text + length;
}

}  // namespace

struct ReplyFree {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};

// One reply per command sent, in order.
struct LeaderboardMirror::Replies {
  std::vector<std::unique_ptr<redisReply, ReplyFree>> items;
};

LeaderboardMirror::LeaderboardMirror(std::string host, int port, std::string prefix)
    : host_(std::move(host)), port_(port), prefix_(std::move(prefix)) {}

LeaderboardMirror::~LeaderboardMirror() {
  if (context_) redisFree(context_);
}

std::unique_ptr<LeaderboardMirror> LeaderboardMirror::Connect(const std::string& address, const std::string& prefix,
                                                              std::string* error) {
  // host:port, the host of an IPv6 address in brackets
  const size_t colon = address.rfind(':');
  std::string host = colon == std::string::npos ? "" : address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  const std::string port_text = colon == std::string::npos ? "" : address.substr(colon + 1);
  if (host.empty() || !ParseWhole(port_text.data(), port_text.size(), &port) || port < 1 || port > 65535) {
    *error = "redis address \"" + address + "\": expected host:port";
    return nullptr;
  }
  std::unique_ptr<LeaderboardMirror> mirror(new LeaderboardMirror(host, port, prefix));
  // Connecting is not enough: whatever listens there must answer PING as
  // Redis does, so a wrong port is found at start, not at the first Put.
  Replies replies;
  if (!mirror->Open(error) || !mirror->RunOnce({{"PING"}}, &replies, error)) return nullptr;
  const redisReply* pong = replies.items[0].get();
  if (pong->type != REDIS_REPLY_STATUS || std::string(pong->str, pong->len) != "PONG") {
    *error = mirror->Where() + "PING was not answered with PONG";
    return nullptr;
  }
  return mirror;
}

bool LeaderboardMirror::Open(std::string* error) {
  if (context_) redisFree(context_);
  context_ = nullptr;
  const timeval timeout{kTimeoutSeconds, 0};
  redisContext* context = redisConnectWithTimeout(host_.c_str(), port_, timeout);
  const std::string where = Where();
  if (!context) {
    *error = where + "cannot allocate a connection";
    return false;
  }
  // The connect timeout bounds connecting only; the socket's own timeouts
  // bound each command's write and answer.
  if (context->err || redisSetTimeout(context, timeout) != REDIS_OK) {
    *error = where + "connect: " + context->errstr;
    redisFree(context);
    return false;
  }
  context_ = context;
  return true;
}

bool LeaderboardMirror::Run(const std::vector<std::vector<std::string>>& commands, Replies* replies,
                            std::string* error) {
  std::string broken;
  if (context_) {
    if (RunOnce(commands, replies, error)) return true;
    if (context_) return false;   // Redis answered, and refused a command: sending it again would not help
    broken = *error + "; ";
  }
  // The connection broke (or a reconnect failed before): one fresh
  // connection, and every command again. ZADD with absolute scores and the
  // forward-only `current` make those that did run before harmless.
  if (Open(error) && RunOnce(commands, replies, error)) return true;
  *error = broken + *error;
  return false;
}

// False when Redis refused a command (the connection stays, its replies all
// read, so the next call starts in step) or when the connection broke (then
// it is closed: context_ is null).
bool LeaderboardMirror::RunOnce(const std::vector<std::vector<std::string>>& commands, Replies* replies,
                                std::string* error) {
  const std::string where = Where();
  auto broke = [&]() {
    // hiredis says only strerror(EAGAIN) when a socket timeout ran out
    const std::string reason = context_->errstr;
    *error = where + (reason == std::strerror(EAGAIN) ? "no answer within " + std::to_string(kTimeoutSeconds) + " s"
                                                      : reason);
    redisFree(context_);
    context_ = nullptr;
    return false;
  };
  replies->items.clear();
  SigpipeBlock sigpipe_block;
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const auto& command : commands) {
    argv.clear();
    lengths.clear();
    for (const auto& arg : command) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context_, int(argv.size()), argv.data(), lengths.data()) != REDIS_OK) return broke();
  }
  // The first redisGetReply writes every command appended: one round trip.
  std::string refused;
  for (size_t i = 0; i < commands.size(); ++i) {
    void* reply = nullptr;
    if (redisGetReply(context_, &reply) != REDIS_OK) return broke();
    replies->items.emplace_back(static_cast<redisReply*>(reply));
    const redisReply* r = replies->items.back().get();
    if (r->type == REDIS_REPLY_ERROR && refused.empty())
      refused = where + Name(commands[i]) + ": " + std::string(r->str, r->len);
  }
  if (refused.empty()) return true;
  *error = refused;
  return false;
}

std::string LeaderboardMirror::Where() const {
  return "redis " + host_ + ":" + std::to_string(port_) + ": ";
}

std::string LeaderboardMirror::Key(const std::string& competition, const std::string& suffix) const {
  return prefix_ + ":lb:" + competition + ":" + suffix;
}

bool LeaderboardMirror::Put(const std::vector<ScoreUpdate>& updates, std::string* error) {
  std::vector<std::vector<std::string>> commands;
  std::map<std::string, int64_t> newest;   // competition -> its largest window start in the batch
  for (const auto& u : updates) {
    // Redis refuses NaN; refused here, before any of the batch is sent
    if (std::isnan(u.score)) {
      *error = "leaderboard " + u.competition + ": the score of " + u.user + " is not a number";
      return false;
    }
    commands.push_back({"ZADD", Key(u.competition, std::to_string(u.window_start)), FormatScore(u.score), u.user});
    auto [it, inserted] = newest.emplace(u.competition, u.window_start);
    if (!inserted) it->second = std::max(it->second, u.window_start);
  }
  // After the scores, in the same pipeline: Redis runs one connection's
  // commands in order, so a reader never finds `current` naming a window
  // whose scores have not arrived.
  for (const auto& [competition, window_start] : newest)
    commands.push_back({"EVAL", kRaiseCurrent, "1", Key(competition, "current"), std::to_string(window_start)});
  if (commands.empty()) return true;
  Replies replies;
  return Run(commands, &replies, error);
}

bool LeaderboardMirror::Top(const std::string& competition, size_t n, std::vector<std::pair<std::string, double>>* out,
                            int64_t* window_start, std::string* error) {
  out->clear();
  *window_start = 0;
  Replies replies;
  const std::string current_key = Key(competition, "current");
  if (!Run({{"GET", current_key}}, &replies, error)) return false;
  const redisReply* current = replies.items[0].get();
  if (current->type == REDIS_REPLY_NIL) return true;   // never written
  if (current->type != REDIS_REPLY_STRING || !ParseWhole(current->str, current->len, window_start)) {
    *window_start = 0;
    *error = Where() + current_key + " does not hold a window start";
    return false;
  }
  if (n == 0) return true;   // ZREVRANGE 0 -1 would be the whole set
  // The current window's sorted set, highest score first. Redis orders equal
  // scores by member, byte-wise, so ZREVRANGE gives them in reverse byte
  // order of user; the engine orders them by who reached the score first.
  // The mirror is for fast reads of scores: an answer that must order ties
  // as the engine does asks the engine.
  const size_t last = std::min<size_t>(n, size_t(std::numeric_limits<int64_t>::max())) - 1;
  const std::string key = Key(competition, std::to_string(*window_start));
  if (!Run({{"ZREVRANGE", key, "0", std::to_string(last), "WITHSCORES"}}, &replies, error)) return false;
  const redisReply* range = replies.items[0].get();
  bool well_formed = range->type == REDIS_REPLY_ARRAY && range->elements % 2 == 0;
  for (size_t i = 0; well_formed && i < range->elements; i += 2) {
    const redisReply* user = range->element[i];
    const redisReply* score = range->element[i + 1];
    double value = 0;
    well_formed = user->type == REDIS_REPLY_STRING && score->type == REDIS_REPLY_STRING &&
                  ParseWhole(score->str, score->len, &value);
    if (well_formed) out->emplace_back(std::string(user->str, user->len), value);
  }
  if (well_formed) return true;
  out->clear();
  *error = Where() + "ZREVRANGE " + key + " WITHSCORES: an answer that is not (user, score) pairs";
  return false;
}

}  // namespace questline::daemon
