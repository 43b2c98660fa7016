// kafka_mock: a librdkafka mock Kafka cluster in its own process, for the
// Python integration tests of questd's Kafka source (issue 20).
//
// Why: there is no Kafka broker (nor a Python Kafka client) on the test
// machines, but librdkafka ships an in-process mock cluster that speaks the
// Kafka protocol on loopback ports. Running it as a separate process lets a
// test start it, hand its bootstrap address to questd and to kafka_produce /
// kafka_dump, and take brokers down and up while questd runs.
//
//   kafka_mock --brokers 3 --topic events:4 --topic actions:4 [--replication 3]
// (librdkafka 2.0.2 ignores the replication factor: every partition gets
// min(3, brokers) replicas and a random leader among them.)
//
// Prints `bootstrap HOST:PORT,...` once, then answers each stdin command with
// one line, `ok` or `error: ...`:
//   down ID            the broker stops answering (connections closed)
//   up ID              it answers again
//   leader T P ID      partition P of topic T is led by broker ID from now on
//                      (the mock never elects a new leader by itself)
//   coordinator transaction|group KEY ID
//                      the coordinator of that transactional.id / group
//   quit               exit 0 (so do EOF on stdin and SIGTERM)
// See tests/kafka/README.md for what the mock does not do (transactions).
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

namespace {

volatile sig_atomic_t stop_requested = 0;

void OnSignal(int) { stop_requested = 1; }

struct TopicSpec {
  std::string name;
  int partitions = 0;
};

const char kUsage[] =
    "usage: kafka_mock --brokers N --topic NAME:PARTITIONS [--topic ...] [--replication R]\n"
    "Starts a librdkafka mock cluster, prints `bootstrap ADDRS`, then reads commands\n"
    "from stdin, one per line, answering `ok` or `error: ...`:\n"
    "  down ID | up ID | leader TOPIC PARTITION ID |\n"
    "  coordinator transaction|group KEY ID | quit\n"
    "EOF on stdin and SIGTERM also quit.\n";

[[noreturn]] void UsageError(const std::string& message) {
  std::fprintf(stderr, "kafka_mock: %s\n%s", message.c_str(), kUsage);
  std::exit(2);
}

// Strict: a typo in a test's command line must not become broker 0.
bool ParseInt(const std::string& text, int* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long value = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || value < 0 || value > 1000000) return false;
  *out = static_cast<int>(value);
  return true;
}

std::string RunCommand(rd_kafka_mock_cluster_t* cluster, const std::string& line, bool* quit) {
  std::istringstream in(line);
  std::string verb;
  in >> verb;
  std::vector<std::string> args;
  for (std::string word; in >> word;) args.push_back(word);
  if (verb == "quit" && args.empty()) {
    *quit = true;
    return "ok";
  }
  if ((verb == "down" || verb == "up") && args.size() == 1) {
    int broker_id = 0;
    if (!ParseInt(args[0], &broker_id)) return "error: bad broker id '" + args[0] + "'";
    rd_kafka_resp_err_t err = verb == "down" ? rd_kafka_mock_broker_set_down(cluster, broker_id)
                                             : rd_kafka_mock_broker_set_up(cluster, broker_id);
    if (err) return std::string("error: ") + rd_kafka_err2str(err);
    return "ok";
  }
  if (verb == "leader" && args.size() == 3) {
    int partition = 0, broker_id = 0;
    if (!ParseInt(args[1], &partition) || !ParseInt(args[2], &broker_id))
      return "error: usage: leader TOPIC PARTITION BROKER_ID";
    rd_kafka_resp_err_t err =
        rd_kafka_mock_partition_set_leader(cluster, args[0].c_str(), partition, broker_id);
    if (err) return std::string("error: ") + rd_kafka_err2str(err);
    return "ok";
  }
  if (verb == "coordinator" && args.size() == 3 && (args[0] == "transaction" || args[0] == "group")) {
    int broker_id = 0;
    if (!ParseInt(args[2], &broker_id)) return "error: bad broker id '" + args[2] + "'";
    rd_kafka_resp_err_t err =
        rd_kafka_mock_coordinator_set(cluster, args[0].c_str(), args[1].c_str(), broker_id);
    if (err) return std::string("error: ") + rd_kafka_err2str(err);
    return "ok";
  }
  return "error: unknown command '" + line +
         "' (down ID, up ID, leader TOPIC PARTITION ID, coordinator transaction|group KEY ID, quit)";
}

}  // namespace

int main(int argc, char** argv) {
  int broker_count = 0;
  int replication = -1;  // -1: the mock's default, min(3, brokers)
  std::vector<TopicSpec> topics;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (i + 1 >= argc) UsageError("missing value after " + arg);
    std::string value = argv[++i];
    if (arg == "--brokers") {
      if (!ParseInt(value, &broker_count) || broker_count < 1) UsageError("bad --brokers '" + value + "'");
    } else if (arg == "--replication") {
      if (!ParseInt(value, &replication) || replication < 1) UsageError("bad --replication '" + value + "'");
    } else if (arg == "--topic") {
      size_t colon = value.rfind(':');
      TopicSpec spec;
      if (colon == std::string::npos || colon == 0 || !ParseInt(value.substr(colon + 1), &spec.partitions) ||
          spec.partitions < 1)
        UsageError("bad --topic '" + value + "' (want NAME:PARTITIONS)");
      spec.name = value.substr(0, colon);
      topics.push_back(spec);
    } else {
      UsageError("unknown option " + arg);
    }
  }
  if (broker_count == 0) UsageError("--brokers is required");
  if (replication > broker_count) UsageError("--replication is larger than --brokers");

  // SIGTERM must end the loop below, so no SA_RESTART: poll() returns EINTR.
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = OnSignal;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  // A test that closes our stdout early must not kill us mid-command.
  signal(SIGPIPE, SIG_IGN);

  // The mock cluster needs a client handle to live in; a producer is the
  // lightest one. It never connects anywhere (no bootstrap.servers).
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!handle) {
    std::fprintf(stderr, "kafka_mock: rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(handle, broker_count);
  if (!cluster) {
    std::fprintf(stderr, "kafka_mock: rd_kafka_mock_cluster_new failed\n");
    rd_kafka_destroy(handle);
    return 1;
  }
  for (const TopicSpec& topic : topics) {
    rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(cluster, topic.name.c_str(), topic.partitions,
                                   replication < 0 ? (broker_count < 3 ? broker_count : 3) : replication);
    if (err) {
      std::fprintf(stderr, "kafka_mock: creating topic %s: %s\n", topic.name.c_str(), rd_kafka_err2str(err));
      rd_kafka_mock_cluster_destroy(cluster);
      rd_kafka_destroy(handle);
      return 1;
    }
  }

  std::printf("bootstrap %s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  std::fflush(stdout);

  // Line-buffered reading by hand so a SIGTERM between commands is noticed
  // within the poll timeout instead of waiting for the next line.
  std::string pending;
  bool quit = false;
  while (!quit && !stop_requested) {
    struct pollfd fd = {0, POLLIN, 0};
    int ready = poll(&fd, 1, 200);
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (ready == 0) continue;
    char buffer[4096];
    ssize_t got = read(0, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // EOF: the test went away, so do we
    pending.append(buffer, static_cast<size_t>(got));
    size_t newline;
    while (!quit && (newline = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      std::printf("%s\n", RunCommand(cluster, line, &quit).c_str());
      std::fflush(stdout);
    }
  }

  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(handle);
  return 0;
}
