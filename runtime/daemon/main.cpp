// questd --config questd.yaml: the runtime daemon (INTERFACES.md §6,
// docs/daemon.md). Reads the configuration, refuses what this version cannot
// honour, loads the rules as `quest run` does, and serves.
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <boost/asio/ip/address.hpp>

#include "runtime/daemon/config.h"
#include "runtime/daemon/driver_loader.h"
#include "runtime/daemon/engine_host.h"
#include "runtime/daemon/io_faults.h"
#include "runtime/daemon/kafka/serve.h"
#include "runtime/daemon/log.h"
#include "runtime/daemon/server.h"

namespace {

using namespace questline;
using daemon::Config;

constexpr int kExitUsage = 2;

const char* kHelp =
    "usage: questd --config FILE.yaml\n"
    "\n"
    "Serve a Questline package live: events in over HTTP (POST /v1/events) and a\n"
    "TCP NDJSON port, actions out to the configured sinks, state over HTTP.\n"
    "The configuration's keys are in docs/daemon.md; examples/questd.yaml is a sample.\n"
    "On SIGTERM or SIGINT it answers the requests in hand and exits 0.\n"
    "exit: 0 stopped by a signal, 1 the package has errors, 2 a bad configuration,\n"
    "      unreadable rules, or a port that cannot be opened\n";

// `where`: "FILE:LINE: KEY" of the offending setting.
int Refuse(const Config& config, int line, const std::string& key, const std::string& why) {
  std::cerr << "questd: " << config.file << ":" << line << ": " << key << ": " << why << "\n";
  return kExitUsage;
}

// What the configuration asks and this version does not do is refused, not
// ignored: a source silently left out would lose events.
int CheckSupported(const Config& config, std::string* token) {
  // One file sink is written (EngineHost::OpenSinks); a second would be
  // silently empty.
  int files = 0;
  for (size_t i = 0; i < config.sinks.size(); ++i)
    if (config.sinks[i].type == "file" && ++files > 1)
      return Refuse(config, config.Line("sinks[" + std::to_string(i) + "]"), "sinks[" + std::to_string(i) + "]",
                    "a second file sink is not supported in this version; use one");
  if (config.kafka.enabled) {
    // A Kafka-fed questd's inputs are the topic's, in its order, and its
    // actions go to the actions topic in the same transactions
    // (docs/scale-out.md): anything else would be outside that order.
    if (config.tcp.enabled)
      return Refuse(config, config.Line("listen.tcp"), "listen.tcp",
                    "events come from the Kafka topic with source: kafka; the TCP port is not opened");
    if (!config.sinks.empty())
      return Refuse(config, config.Line("sinks"), "sinks",
                    "with source: kafka, actions go to source.actions_topic, in the partitions' transactions");
    if (config.wall_clock)
      return Refuse(config, config.Line("clock"), "clock",
                    "with source: kafka only events move a partition's clock (clock: event)");
  }
  if (!config.token_env.empty()) {
    const char* value = std::getenv(config.token_env.c_str());
    if (!value || !*value)
      return Refuse(config, config.Line("auth.token_env"), "auth.token_env",
                    "the environment variable " + config.token_env + " is not set or is empty");
    *token = value;
  }
  for (const auto& [key, address] : {std::pair{"listen.http", &config.http}, std::pair{"listen.tcp", &config.tcp}}) {
    if (!address->enabled || !token->empty()) continue;
    boost::system::error_code ec;
    if (!boost::asio::ip::make_address(address->host, ec).is_loopback() || ec)
      return Refuse(config, config.Line(key), key,
                    address->host + " is not a loopback address; listening beyond this machine needs a bearer "
                                    "token (auth.token_env)");
  }
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return Refuse(config, config.Line("data_dir"), "data_dir", "cannot create '" + config.data_dir + "': " + ec.message());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kHelp;
      return 0;
    }
    if (a == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else {
      std::cerr << "questd: unexpected argument '" << a << "'\n" << kHelp;
      return kExitUsage;
    }
  }
  if (config_path.empty()) {
    std::cerr << kHelp;
    return kExitUsage;
  }
  std::signal(SIGPIPE, SIG_IGN);   // a client gone mid-answer is an error code, not our death

  Config config;
  std::vector<std::string> errors;
  if (!daemon::LoadConfig(config_path, &config, &errors)) {
    for (const std::string& e : errors) std::cerr << "questd: " << e << "\n";
    return kExitUsage;
  }
  daemon::SetLogLevel(config.log_level);
  std::string faults_error;
  if (!daemon::ArmIoFaults(&faults_error)) {
    std::cerr << "questd: " << faults_error << "\n";
    return kExitUsage;
  }
  std::string token;
  if (int code = CheckSupported(config, &token)) return code;
  if (config.partitions > 1 && config.kafka.enabled)
    daemon::Log(daemon::LogLevel::Warn, "partitions: " + std::to_string(config.partitions) +
                                            " ignored: with source: kafka, the topic's partitions split the players");

  // The same loader compiles the rules for a reload (POST /v1/reload, SIGHUP)
  // and reads the packages recovery needs from data_dir/packages/.
  daemon::DriverLoader loader(config);
  auto package = std::make_shared<daemon::Package>();
  daemon::LoadFailure failure;
  const bool loaded = loader.LoadConfigured(package.get(), &failure);
  if (!failure.error.empty()) std::cerr << failure.error << "\n";   // the errors, or a loaded package's warnings
  if (!loaded) return failure.exit_code;

  if (config.kafka.enabled) return daemon::kafka::Serve(config, token, std::move(package));

  daemon::EngineHost host(std::move(package), loader, config);
  std::string error;
  if (!host.OpenSinks(&error)) {
    std::cerr << "questd: " << error << "\n";
    return kExitUsage;
  }
  if (!host.Recover(&error)) {
    std::cerr << "questd: recovery from " << config.data_dir << " failed: " << error << "\n";
    return 1;
  }
  return daemon::Serve(config, token, host, loader);
}
