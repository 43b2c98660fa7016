#include "runtime/daemon/server.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <functional>
#include <memory>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "runtime/daemon/connections.h"
#include "runtime/daemon/engine_worker.h"
#include "runtime/daemon/http_session.h"
#include "runtime/daemon/listener.h"
#include "runtime/daemon/log.h"
#include "runtime/daemon/metrics.h"
#include "runtime/daemon/reloader.h"
#include "runtime/daemon/router.h"
#include "runtime/daemon/tcp_session.h"

namespace questline::daemon {
namespace {

namespace asio = boost::asio;

// clock: wall. Once a second, on the engine's thread, the engine's clock
// moves to the wall clock, so timers (mission deadlines, quiet hours,
// scheduled flows) fire without waiting for the next event.
class WallClock {
 public:
  WallClock(EngineWorker& worker, EngineHost& host) : timer_(worker.Context()), host_(host) {}
  void Start() { Tick(); }
  void Stop() {   // on the engine's thread: the timer is its
    stopped_ = true;
    timer_.cancel();
  }

 private:
  void Tick() {
    if (stopped_) return;
    host_.AdvanceClock(WallClockMs());
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) Tick();
    });
  }
  asio::steady_timer timer_;
  EngineHost& host_;
  bool stopped_ = false;
};

std::string Refusal503() {
  const std::string body = "{\"error\":\"too many connections (limits.max_connections)\"}\n";
  return "HTTP/1.1 503 Service Unavailable\r\nServer: questd\r\nContent-Type: application/json\r\n"
         "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

int Serve(const Config& config, const std::string& token, EngineHost& host, PackageLoader& loader) {
  asio::io_context network;
  EngineWorker worker(network);
  NetworkMetrics metrics;
  Connections connections(config.limits.max_connections, metrics);
  Reloader reloader(config, loader, host, worker, network);
  Router router(config, token, host, worker, metrics, reloader);

  std::vector<std::shared_ptr<Listener>> listeners;

  // Group commit: the batch that opens a group is committed after the
  // requests queued behind it, which join it (docs/durability.md).
  host.OnFirstStaged([&worker, &host] { worker.Post([&host] { host.Commit(); }); });

  WallClock wall(worker, host);
  if (config.wall_clock) worker.Post([&wall] { wall.Start(); });

  // The signals are caught before the ports are announced: a signal sent as
  // soon as questd says it listens must find its handler, not the default.
  // SIGHUP reloads the configured rules, as POST /v1/reload does; the
  // outcome goes to the log.
  asio::signal_set hangup(network, SIGHUP);
  std::function<void()> wait_hangup = [&] {
    hangup.async_wait([&](boost::system::error_code ec, int) {
      if (ec) return;
      Log(LogLevel::Info, "SIGHUP: reloading " + config.rules);
      if (!reloader.Start([](ReloadResult result) {
            Log(result.status == ReloadResult::Status::Reloaded || result.status == ReloadResult::Status::Unchanged
                    ? LogLevel::Info
                    : LogLevel::Error,
                "SIGHUP: " + ReloadOutcome(result));
          }))
        Log(LogLevel::Warn, "SIGHUP: a reload is in progress already; this one is ignored");
      wait_hangup();
    });
  };
  wait_hangup();

  asio::signal_set signals(network, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    Log(LogLevel::Info, std::string("shutting down on ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT") +
                            ": answering the requests in hand");
    for (auto& listener : listeners) listener->Stop();
    hangup.cancel();
    connections.DrainAll();
    if (config.wall_clock) worker.Post([&wall] { wall.Stop(); });
  });

  auto open = [&](const ListenAddress& address, const char* kind, std::string refusal, Listener::Accept accept) {
    if (!address.enabled) return true;
    auto listener = std::make_shared<Listener>(network, connections, std::move(refusal), std::move(accept));
    std::string error;
    if (!listener->Open(address, &error)) {
      const std::string key = std::string("listen.") + kind;
      Log(LogLevel::Error, config.file + ":" + std::to_string(config.Line(key)) + ": " + key + ": " + error);
      return false;
    }
    // Machine-read by tests and scripts: they may have asked for port 0.
    std::cout << "questd: listening " << kind << " " << address.host << ":" << listener->Port() << std::endl;
    listeners.push_back(std::move(listener));
    return true;
  };
  const bool opened =
      open(config.http, "http", Refusal503(),
           [&](asio::ip::tcp::socket socket) {
             std::make_shared<HttpSession>(std::move(socket), router, config.limits, connections)->Start();
           }) &&
      open(config.tcp, "tcp", "{\"error\":\"too many connections (limits.max_connections)\"}\n",
           [&](asio::ip::tcp::socket socket) {
             std::make_shared<TcpSession>(std::move(socket), host, worker, config.limits, connections)->Start();
           });
  if (!opened) return 2;

  for (auto& listener : listeners) listener->Start();
  worker.Start();
  Log(LogLevel::Info, "serving " + config.rules + (config.wall_clock ? " (clock: wall)" : " (clock: event)"));
  network.run();    // until every session has closed and every answer is written
  worker.Stop();    // the engine's queue is empty by now; the sinks were flushed per group
  host.FinishSnapshots();   // a snapshot still being written, and the journal it covers
  Log(LogLevel::Info, "stopped");
  return 0;
}

}  // namespace questline::daemon
