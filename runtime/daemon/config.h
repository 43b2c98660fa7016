// questd's configuration (INTERFACES.md §6, docs/daemon.md): read from YAML,
// every key checked, so a typo stops the daemon at start (exit 2) instead of
// quietly running with a default.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace questline::daemon {

struct ListenAddress {
  std::string host;        // an IP literal or "localhost"
  uint16_t port = 0;       // 0: the system picks one (questd prints it)
  bool enabled = false;
};

struct SinkConfig {
  std::string type;        // file | webhook
  std::string path;        // file
  // webhook (docs/daemon.md, "Webhook sinks"): the defaults ride out a
  // receiver's restart or a minutes-long outage without dead-lettering,
  // and bound the memory a receiver that is down can make questd hold.
  std::string name;        // names its ack file and metrics; default: its index in `sinks`
  std::string url;         // http://HOST[:PORT][/PATH], checked by ParseHttpUrl
  int64_t batch_max = 500;             // actions per POST (`batch` is the same key)
  int64_t timeout_ms = 10'000;         // connect; then the request's write and answer together
  int64_t max_attempts = 20;           // failed attempts of one batch before it is dead-lettered
  int64_t backoff_initial_ms = 200;    // the first retry's cap; doubled per failure (full jitter)
  int64_t backoff_max_ms = 30'000;
  int64_t queue_max = 100'000;         // actions not yet acknowledged before ingest waits
  int64_t backlog_wait_ms = 5'000;     // how long an input waits for room, then 503 "sink backlog"
  std::string dead_letter;             // default data_dir/dead-letter-NAME.ndjson
  std::string retry = "exponential";   // none (max_attempts 1) | fixed | exponential
};

struct Limits {
  int64_t max_event_bytes = 65536;        // per line; a longer line is rejected alone
  int64_t max_batch_events = 10000;       // per request; more is 413
  int64_t max_body_bytes = 64LL << 20;    // 413
  int64_t max_header_bytes = 16 << 10;    // 431
  int64_t max_connections = 1024;         // beyond: 503 and close
  int64_t read_timeout_ms = 30'000;       // a request (or an idle keep-alive) slower than this is closed
  // An event whose ts is further ahead of the wall clock than this is
  // rejected (a producer's clock skew would otherwise drag the engine's
  // clock, and every player's timers, into the future). 0: no bound.
  int64_t max_future_ms = 0;
};

// source: {type: kafka, …} (docs/scale-out.md): questd as one member of a
// consumer group; each Kafka partition of `topic` is an engine of its own.
struct KafkaSourceConfig {
  bool enabled = false;
  std::string brokers;                          // bootstrap servers, host:port,…
  std::string topic = "events";                 // keyed by user id
  std::string group = "questline";              // the consumer group; transactional ids derive from it
  std::string actions_topic = "actions";        // at least as many partitions as `topic`
  std::string changelog_topic = "questline-changelog";   // compacted, as many partitions as `topic`
  // What the partitions hand their owners — closed competition windows,
  // raffle entrants, stock claims — and their clocks (kafka/standings.h,
  // stock_book.h); at most as many partitions as the changelog.
  std::string repartition_topic = "questline-repartition";
  // Passed to librdkafka as they are: security.protocol, sasl.mechanism,
  // sasl.username, ssl.ca.location; the SASL password from an environment
  // variable, never from the file.
  std::string security_protocol, sasl_mechanism, sasl_username, sasl_password_env, ssl_ca_location;
  int64_t checkpoint_every = 100'000;           // events of a partition between two changelog checkpoints
  int64_t max_batch = 5'000;                    // events in one transaction at most
  // Lines a partition keeps while it waits at a competition window's end
  // (io/result_gate.h); past them it reads the log again after the wait.
  int64_t max_held = 200'000;
  int64_t session_timeout_ms = 10'000;          // the group's session.timeout.ms
  // The consumer's fetch.wait.max.ms: how long a broker may hold a fetch
  // with nothing to return. A round trip through an owner (a window's end, a
  // stock claim) can cost two of these where a broker does not answer as
  // soon as data comes (librdkafka's mock holds every empty fetch this long).
  int64_t fetch_wait_ms = 50;
  std::string redis;                            // host:port of the leaderboard mirror; empty: none
  std::string redis_prefix = "questline";
};

struct Config {
  std::string file;                       // the YAML file, for messages
  std::string rules;                      // a package folder, a .quest file or a .qlb bundle
  std::string data_dir = "./data";
  ListenAddress http, tcp;
  std::string engine = "jit";             // jit | interp
  std::string fsync = "group";            // none | group | always
  int64_t snapshot_every_events = 1'000'000;
  std::vector<SinkConfig> sinks;
  std::string token_env;                  // the variable holding the bearer token; empty: no auth
  Limits limits;
  bool wall_clock = false;                // clock: wall
  int64_t partitions = 1;
  int64_t dedup_window_ms = 7 * 86'400'000LL;
  std::string log_level = "info";         // error | warn | info | debug
  KafkaSourceConfig kafka;                // source: {type: kafka, …}
  // The line of each key given ("auth.token_env", "sinks[0]", …), for
  // messages about a setting after the file is read; 1 for a key not given.
  std::map<std::string, int> lines;
  int Line(const std::string& key) const {
    auto it = lines.find(key);
    return it == lines.end() ? 1 : it->second;
  }
};

// Reads and checks `path`. False with one message per problem in `errors`
// ("FILE:LINE: KEY: what is wrong"); nothing is half-applied.
bool LoadConfig(const std::string& path, Config* config, std::vector<std::string>* errors);

}  // namespace questline::daemon
