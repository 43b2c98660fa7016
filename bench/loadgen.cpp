// questd_loadgen (issue 16 §10): HTTP load for a running questd. K keep-alive
// connections post batches of B generated casino events (registrations, then
// logins, deposits, bets and wins of U players, timestamps increasing 1 ms per
// event) to POST /v1/events for D seconds, one request in flight per
// connection, and check each answer: 200 with "accepted": B.
//
// Closed loop (--rate 0): each connection sends its next batch as soon as its
// answer comes; latency runs from the send. Open loop (--rate R events/s):
// batch i is due at start + i·B/R on a clock, whether or not the daemon keeps
// up; a due batch goes out on the first free connection, and its latency runs
// from the time it was due, so a stalled daemon shows in the percentiles
// instead of slowing the schedule (no coordinated omission). Batches still
// waiting for a connection at the end are counted as backlog.
//
// Prints events/s accepted, batches/s, latency p50/p90/p99/p99.9/max per batch
// and the failures (non-200, accepted != B, connection errors); exit 1 if any.
// --format tsv: one tab-separated line of the same (bench/questd_load.sh).
// --idle N: N more connections opened first and held without a request for
// the whole run (issue 16's 10,000 idle connections), counted at the end as
// still open or closed by the daemon.
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  std::string port;
  std::string token;
  int connections = 1;
  int batch = 100;
  int users = 10000;
  double rate = 0;      // events/s; 0: closed loop
  double seconds = 10;
  std::string format = "text";
  std::string id_prefix = "lg";
  int idle = 0;
};

const char kUsage[] =
    "usage: questd_loadgen --port P [--host H] [--token T] [--connections K] [--batch B]\n"
    "                      [--users U] [--rate R (events/s, 0 = closed loop)] [--seconds D]\n"
    "                      [--id-prefix S] [--format text|tsv] [--idle N]\n";

bool ParseOptions(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) return false;
    const char* v = argv[++i];
    if (a == "--host") o->host = v;
    else if (a == "--port") o->port = v;
    else if (a == "--token") o->token = v;
    else if (a == "--connections") o->connections = std::atoi(v);
    else if (a == "--batch") o->batch = std::atoi(v);
    else if (a == "--users") o->users = std::atoi(v);
    else if (a == "--rate") o->rate = std::atof(v);
    else if (a == "--seconds") o->seconds = std::atof(v);
    else if (a == "--format") o->format = v;
    else if (a == "--id-prefix") o->id_prefix = v;
    else if (a == "--idle") o->idle = std::atoi(v);
    else return false;
  }
  return !o->port.empty() && o->idle >= 0 && o->connections > 0 && o->batch > 0 && o->users > 0 && o->rate >= 0 &&
         o->seconds > 0 && (o->format == "text" || o->format == "tsv");
}

// Casino-like events in the shape of examples/casino (the prelude's events and
// the casino's `extend event bet/win`), from a fixed seed: a player's first
// event is their registration; after that 70% bets, 12% wins, 9% logins, 9%
// deposits. Ids are PREFIX-SEQ, unique within a run.
class EventGen {
 public:
  EventGen(int users, std::string id_prefix)
      : registered_(size_t(users), false), id_prefix_(std::move(id_prefix)) {}

  void Append(std::string& out) {
    ++seq_;
    ts_ms_ += 1;
    const uint64_t r = Next();
    const uint32_t user = uint32_t(r % registered_.size());
    const uint32_t pick = uint32_t((r >> 32) % 100);
    out += "{\"id\":\"";
    out += id_prefix_;
    out += '-';
    AppendInt(out, seq_);
    out += "\",\"type\":\"";
    const char* type = !registered_[user] ? "registration" : pick < 70 ? "bet" : pick < 82 ? "win"
                                                           : pick < 91 ? "login" : "deposit";
    out += type;
    out += "\",\"user\":\"p";
    AppendInt(out, user);
    out += "\",\"ts\":\"";
    AppendTimestamp(out);
    out += '"';
    static const char* const kGames[][3] = {{"book_of_dead", "playngo", "slots"},
                                            {"starburst", "netent", "slots"},
                                            {"lightning_roulette", "evolution", "live_casino"},
                                            {"blackjack", "evolution", "table"},
                                            {"aviator", "spribe", "crash"}};
    static const char* const kBets[] = {"0.2", "0.5", "1", "2", "5", "10", "25"};
    static const char* const kDeposits[] = {"10", "20", "25", "50", "100", "250", "500"};
    const uint64_t r2 = Next();
    const auto& game = kGames[r2 % 5];
    if (!registered_[user]) {
      registered_[user] = true;
      out += ",\"country\":\"MT\",\"language\":\"en\",\"brand\":\"questcasino\",\"affiliate\":\"aff_1\","
             "\"device\":\"mobile\"}\n";
    } else if (type[0] == 'b' || type[0] == 'w') {
      out += ",\"game\":\"";
      out += game[0];
      out += "\",\"provider\":\"";
      out += game[1];
      out += "\",\"game_type\":\"";
      out += game[2];
      out += "\",\"amount\":";
      out += kBets[(r2 >> 8) % 7];
      out += type[0] == 'b' ? ",\"currency\":\"EUR\",\"device\":\"mobile\",\"lobby\":\"main\",\"jackpot\":false}\n"
                            : "0,\"currency\":\"EUR\",\"multiplier\":2}\n";   // a win pays ten times the bet
    } else if (type[0] == 'l') {
      out += ",\"device\":\"mobile\",\"ip_country\":\"MT\"}\n";
    } else {
      out += ",\"amount\":";
      out += kDeposits[(r2 >> 8) % 7];
      out += ",\"currency\":\"EUR\",\"method\":\"card\",\"first\":false}\n";
    }
  }

 private:
  uint64_t Next() {   // xorshift64*
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }
  static void AppendInt(std::string& out, uint64_t v) {
    char buf[24];
    out.append(buf, size_t(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
  }
  // RFC 3339 with milliseconds; the date part is rebuilt once a second.
  void AppendTimestamp(std::string& out) {
    const int64_t second = ts_ms_ / 1000;
    if (second != cached_second_) {
      cached_second_ = second;
      int64_t days = second / 86400, rem = second % 86400;
      // civil_from_days (H. Hinnant)
      days += 719468;
      const int64_t era = days / 146097, doe = days - era * 146097;
      const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
      const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
      const int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
      char buf[32];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.", int(y), int(m), int(d), int(rem / 3600),
                    int(rem / 60 % 60), int(rem % 60));
      cached_prefix_ = buf;
    }
    out += cached_prefix_;
    const int ms = int(ts_ms_ % 1000);
    out += char('0' + ms / 100);
    out += char('0' + ms / 10 % 10);
    out += char('0' + ms % 10);
    out += 'Z';
  }

  std::vector<bool> registered_;
  std::string id_prefix_;
  uint64_t seq_ = 0;
  int64_t ts_ms_ = 1796083200000;   // 2026-12-01T00:00:00Z, the casino sample's first day
  uint64_t state_ = 0x9E3779B97F4A7C15ULL;
  int64_t cached_second_ = -1;
  std::string cached_prefix_;
};

struct Stats {
  std::vector<double> latency_ms;   // per answered batch
  uint64_t sent = 0, answered = 0, accepted_events = 0;
  uint64_t non_200 = 0, short_accepts = 0, connection_errors = 0;
  Clock::time_point last_answer;
  std::string first_error;

  void Error(const std::string& what) {
    if (first_error.empty()) first_error = what;
  }
};

class Load;

// One keep-alive connection, one request in flight.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io, Load& load) : stream_(io), load_(load) {}
  void Start(const tcp::resolver::results_type& endpoints);
  // Sends `body` (B events); latency is measured from `since`.
  void Send(std::string&& body, Clock::time_point since);
  bool Busy() const { return busy_ || dead_; }
  bool Dead() const { return dead_; }
  std::string& SpareBody() { return spare_; }

 private:
  void Fail(const char* where, beast::error_code ec);

  beast::tcp_stream stream_;
  Load& load_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  std::string spare_;   // the last body's storage, reused
  Clock::time_point since_;
  bool busy_ = true;    // until connected
  bool dead_ = false;
};

class Load {
 public:
  Load(const Options& o) : o_(o), gen_(o.users, o.id_prefix), timer_(io_) {}

  int Run() {
    tcp::resolver resolver(io_);
    beast::error_code ec;
    const auto endpoints = resolver.resolve(o_.host, o_.port, ec);
    if (ec) {
      std::fprintf(stderr, "questd_loadgen: %s:%s: %s\n", o_.host.c_str(), o_.port.c_str(), ec.message().c_str());
      return 2;
    }
    // Idle connections first, held for the whole run with no request.
    for (int i = 0; i < o_.idle; ++i) {
      idle_.emplace_back(io_);
      asio::connect(idle_.back(), endpoints, ec);
      if (ec) {
        std::fprintf(stderr, "questd_loadgen: idle connection %d: %s\n", i + 1, ec.message().c_str());
        return 2;
      }
    }
    for (int i = 0; i < o_.connections; ++i) {
      connections_.push_back(std::make_shared<Connection>(io_, *this));
      connections_.back()->Start(endpoints);
    }
    io_.run();
    return Report();
  }

  // Idle connections the daemon still holds: a peek finds no end of stream.
  size_t IdleOpen() {
    size_t open = 0;
    for (tcp::socket& s : idle_) {
      char byte;
      const ssize_t n = ::recv(s.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      open += n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
    return open;
  }

  // Called by a connection once connected and after each answer.
  void Idle(Connection& c) {
    if (!started_) return StartIfReady();
    if (Clock::now() >= end_) return MaybeFinish();
    if (o_.rate == 0) return SendOn(c, Clock::now());
    Dispatch();
  }
  void Dead() {
    if (std::all_of(connections_.begin(), connections_.end(), [](const auto& c) { return c->Dead(); })) {
      timer_.cancel();
      io_.stop();
    } else if (!started_) {
      StartIfReady();
    } else {
      MaybeFinish();
    }
  }

  const Options& options() const { return o_; }
  Stats& stats() { return stats_; }
  const std::string& auth() const { return auth_; }

 private:
  // The clock starts once every connection is up (or has failed).
  void StartIfReady() {
    for (const auto& c : connections_)
      if (c->Busy() && !c->Dead()) return;
    started_ = true;
    start_ = Clock::now();
    end_ = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.seconds));
    if (!o_.token.empty()) auth_ = "Bearer " + o_.token;
    if (o_.rate > 0) {
      interval_ = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.batch / o_.rate));
      Tick();
    } else {
      for (const auto& c : connections_)
        if (!c->Busy()) SendOn(*c, Clock::now());
    }
  }

  // Open loop: every batch due by now joins the backlog, then the next tick.
  void Tick() {
    const Clock::time_point now = Clock::now();
    while (true) {
      const Clock::time_point due = start_ + interval_ * int64_t(scheduled_);
      if (due > now || due >= end_) break;
      backlog_.push_back(due);
      ++scheduled_;
    }
    Dispatch();
    const Clock::time_point next = start_ + interval_ * int64_t(scheduled_);
    if (next >= end_) {
      timer_.expires_at(end_);
      timer_.async_wait([this](beast::error_code ec) {
        if (!ec) MaybeFinish();
      });
      return;
    }
    timer_.expires_at(next);
    timer_.async_wait([this](beast::error_code ec) {
      if (!ec) Tick();
    });
  }

  void Dispatch() {
    for (const auto& c : connections_) {
      if (backlog_.empty()) return;
      if (c->Busy()) continue;
      const Clock::time_point due = backlog_.front();
      backlog_.pop_front();
      SendOn(*c, due);
    }
  }

  void SendOn(Connection& c, Clock::time_point since) {
    std::string body = std::move(c.SpareBody());
    body.clear();
    for (int i = 0; i < o_.batch; ++i) gen_.Append(body);
    ++stats_.sent;
    c.Send(std::move(body), since);
  }

  // After the end: stop once no request is in flight.
  void MaybeFinish() {
    if (!started_ || Clock::now() < end_ || finished_) return;
    for (const auto& c : connections_)
      if (c->Busy() && !c->Dead()) return;
    finished_ = true;
    timer_.cancel();
    io_.stop();
  }

  int Report() {
    Stats& s = stats_;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double cpu = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    const double elapsed =
        started_ ? std::max(std::chrono::duration<double>(s.last_answer - start_).count(), o_.seconds) : 0;
    std::sort(s.latency_ms.begin(), s.latency_ms.end());
    auto pct = [&](double p) {
      if (s.latency_ms.empty()) return 0.0;
      return s.latency_ms[std::min(s.latency_ms.size() - 1, size_t(p / 100 * double(s.latency_ms.size())))];
    };
    const uint64_t failures = s.non_200 + s.short_accepts + s.connection_errors;
    const double events_s = elapsed > 0 ? double(s.accepted_events) / elapsed : 0;
    const double batches_s = elapsed > 0 ? double(s.answered) / elapsed : 0;
    const double mx = s.latency_ms.empty() ? 0 : s.latency_ms.back();
    const std::string mode = o_.rate == 0 ? "closed" : "open " + std::to_string(int64_t(o_.rate));
    if (o_.format == "tsv") {
      std::printf("%s\t%d\t%d\t%.0f\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%llu\t%zu\t%.2f\n", mode.c_str(),
                  o_.connections, o_.batch, events_s, batches_s, pct(50), pct(90), pct(99), pct(99.9), mx,
                  (unsigned long long)failures, backlog_.size(), cpu);
    } else {
      std::printf("questd_loadgen: %s:%s, %d connection(s), batches of %d events, %d users, %s loop%s, %.1f s\n",
                  o_.host.c_str(), o_.port.c_str(), o_.connections, o_.batch, o_.users,
                  o_.rate == 0 ? "closed" : "open", o_.rate == 0 ? "" : (" at " + mode.substr(5) + " events/s").c_str(),
                  o_.seconds);
      std::printf("batches: %llu sent, %llu answered in %.2f s\n", (unsigned long long)s.sent,
                  (unsigned long long)s.answered, elapsed);
      std::printf("accepted: %llu events, %.0f events/s, %.0f batches/s\n", (unsigned long long)s.accepted_events,
                  events_s, batches_s);
      std::printf("latency per batch (ms): p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n", pct(50), pct(90),
                  pct(99), pct(99.9), mx);
      std::printf("failures: %llu (non-200 %llu, accepted != %d %llu, connection errors %llu)%s%s\n",
                  (unsigned long long)failures, (unsigned long long)s.non_200, o_.batch,
                  (unsigned long long)s.short_accepts, (unsigned long long)s.connection_errors,
                  s.first_error.empty() ? "" : "; first: ", s.first_error.c_str());
      if (o_.rate > 0) std::printf("backlog: %zu due batches never sent (the daemon fell behind)\n", backlog_.size());
      if (o_.idle > 0) std::printf("idle connections: %d held, %zu still open at the end\n", o_.idle, IdleOpen());
      std::printf("loadgen CPU: %.2f s\n", cpu);
    }
    return failures == 0 && s.answered > 0 ? 0 : 1;
  }

  Options o_;
  asio::io_context io_;
  EventGen gen_;
  asio::steady_timer timer_;
  std::vector<std::shared_ptr<Connection>> connections_;
  std::vector<tcp::socket> idle_;
  std::deque<Clock::time_point> backlog_;   // open loop: due, not yet sent
  uint64_t scheduled_ = 0;
  Clock::duration interval_{};
  Clock::time_point start_, end_;
  std::string auth_;
  bool started_ = false, finished_ = false;
  Stats stats_;
};

void Connection::Start(const tcp::resolver::results_type& endpoints) {
  stream_.async_connect(endpoints, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
    if (ec) return self->Fail("connect", ec);
    self->stream_.socket().set_option(tcp::no_delay(true));
    self->busy_ = false;
    self->load_.Idle(*self);
  });
}

void Connection::Send(std::string&& body, Clock::time_point since) {
  busy_ = true;
  since_ = since;
  request_ = {};
  request_.method(http::verb::post);
  request_.target("/v1/events");
  request_.version(11);
  request_.set(http::field::host, load_.options().host);
  request_.set(http::field::content_type, "application/x-ndjson");
  if (!load_.auth().empty()) request_.set(http::field::authorization, load_.auth());
  request_.body() = std::move(body);
  request_.prepare_payload();
  http::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec, size_t) {
    if (ec) return self->Fail("write", ec);
    self->response_ = {};
    http::async_read(self->stream_, self->buffer_, self->response_, [self](beast::error_code ec, size_t) {
      if (ec) return self->Fail("read", ec);
      Stats& s = self->load_.stats();
      const Clock::time_point now = Clock::now();
      s.last_answer = now;
      ++s.answered;
      s.latency_ms.push_back(std::chrono::duration<double, std::milli>(now - self->since_).count());
      const std::string& body = self->response_.body();
      const int batch = self->load_.options().batch;
      uint64_t accepted = 0;
      if (const size_t at = body.find("\"accepted\":"); at != std::string::npos)
        std::from_chars(body.data() + at + 11, body.data() + body.size(), accepted);
      s.accepted_events += accepted;
      if (self->response_.result_int() != 200) {
        ++s.non_200;
        s.Error("status " + std::to_string(self->response_.result_int()) + ": " + body.substr(0, 200));
      } else if (accepted != uint64_t(batch)) {
        ++s.short_accepts;
        s.Error("accepted " + std::to_string(accepted) + " of " + std::to_string(batch) + ": " + body.substr(0, 200));
      }
      self->spare_ = std::move(self->request_.body());
      if (!self->response_.keep_alive()) {
        self->dead_ = true;
        ++s.connection_errors;
        s.Error("the daemon closed a connection");
        return self->load_.Dead();
      }
      self->busy_ = false;
      self->load_.Idle(*self);
    });
  });
}

void Connection::Fail(const char* where, beast::error_code ec) {
  dead_ = true;
  Stats& s = load_.stats();
  ++s.connection_errors;
  s.Error(std::string(where) + ": " + ec.message());
  load_.Dead();
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  return Load(options).Run();
}
