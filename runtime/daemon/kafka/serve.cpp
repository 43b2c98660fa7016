#include "runtime/daemon/kafka/serve.h"

#include <iostream>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "runtime/daemon/connections.h"
#include "runtime/daemon/http_session.h"
#include "runtime/daemon/kafka/router.h"
#include "runtime/daemon/kafka/source.h"
#include "runtime/daemon/listener.h"
#include "runtime/daemon/log.h"

namespace questline::daemon::kafka {

int Serve(const Config& config, const std::string& token, PackagePtr package) {
  namespace asio = boost::asio;
  Source source(config, package);
  std::string error;
  if (!source.Open(&error)) {
    std::cerr << "questd: " << config.file << ":" << config.Line("source") << ": source: " << error << "\n";
    return 2;
  }
  std::unique_ptr<LeaderboardMirror> reads;
  if (!config.kafka.redis.empty()) {
    reads = LeaderboardMirror::Connect(config.kafka.redis, config.kafka.redis_prefix, &error);
    if (!reads) {
      std::cerr << "questd: " << config.file << ":" << config.Line("source") << ": source.redis: " << error << "\n";
      return 2;
    }
  }
  asio::io_context network;
  NetworkMetrics metrics;
  Connections connections(config.limits.max_connections, metrics);
  ScaleOutRouter router(config, token, source, std::move(reads), metrics);
  std::shared_ptr<Listener> listener;

  asio::signal_set signals(network, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    Log(LogLevel::Info, std::string("shutting down on ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT") +
                            ": leaving the consumer group");
    source.Stop();
    if (listener) listener->Stop();
    connections.DrainAll();
  });
  if (config.http.enabled) {
    const std::string refusal =
        "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
    listener = std::make_shared<Listener>(network, connections, refusal, [&](asio::ip::tcp::socket socket) {
      std::make_shared<HttpSession>(std::move(socket), router, config.limits, connections)->Start();
    });
    if (!listener->Open(config.http, &error)) {
      Log(LogLevel::Error, config.file + ":" + std::to_string(config.Line("listen.http")) + ": listen.http: " + error);
      return 2;
    }
    std::cout << "questd: listening http " << config.http.host << ":" << listener->Port() << std::endl;
    listener->Start();
  }
  std::thread consumer([&source] { source.Run(); });
  Log(LogLevel::Info, "serving " + config.rules + " from Kafka topic " + config.kafka.topic);
  network.run();   // until the signal has drained every connection
  source.Stop();
  consumer.join();
  Log(LogLevel::Info, "stopped");
  return 0;
}

}  // namespace questline::daemon::kafka
