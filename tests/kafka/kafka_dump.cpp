// kafka_dump: prints every message of a Kafka topic as NDJSON, for the
// Python integration tests of questd's Kafka source (issue 20).
//
// Why: the tests have no Python Kafka client, and they compare what questd
// wrote (actions, changelog) with what `quest run` computes, per partition.
// So this reads each partition from the beginning up to its end as of start
// (high watermark; with read_committed librdkafka stops at the last stable
// offset), and prints, ordered by partition then offset:
//   {"partition":P,"offset":O,"key":"...","value":"...","headers":{…}}
// (key null for a message without one, key/value as JSON strings; headers
// only when the message has some).
//
//   kafka_dump --brokers B --topic T [--read-committed|--read-uncommitted]
//              [--timeout-ms 10000]
//
// No consumer group offsets are committed. Exit 1 on a Kafka failure,
// including not reaching every partition's end within the timeout.
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

const char kUsage[] =
    "usage: kafka_dump --brokers B --topic T [--read-committed|--read-uncommitted] [--timeout-ms 10000]\n"
    "Prints every message of T up to each partition's end at start as NDJSON\n"
    "{\"partition\":P,\"offset\":O,\"key\":\"...\",\"value\":\"...\"} (and \"headers\":{...} when the\n"
    "message has some), by partition then offset.\n";

[[noreturn]] void UsageError(const std::string& message) {
  std::fprintf(stderr, "kafka_dump: %s\n%s", message.c_str(), kUsage);
  std::exit(2);
}

struct Record {
  int32_t partition;
  int64_t offset;
  bool has_key;
  std::string key, value;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Bytes >= 0x80 pass through: the payloads are UTF-8 NDJSON from questd.
void AppendJsonString(const char* data, size_t size, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < size; ++i) {
    unsigned char c = static_cast<unsigned char>(data[i]);
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          *out += escaped;
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

bool SetConf(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
  char errstr[512];
  if (rd_kafka_conf_set(conf, name, value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
    std::fprintf(stderr, "kafka_dump: %s: %s\n", name, errstr);
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string brokers, topic;
  std::string isolation = "read_committed";
  long timeout_ms = 10000;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--read-committed") {
      isolation = "read_committed";
      continue;
    }
    if (arg == "--read-uncommitted") {
      isolation = "read_uncommitted";
      continue;
    }
    if (i + 1 >= argc) UsageError("missing value after " + arg);
    std::string value = argv[++i];
    if (arg == "--brokers") {
      brokers = value;
    } else if (arg == "--topic") {
      topic = value;
    } else if (arg == "--timeout-ms") {
      char* end = nullptr;
      errno = 0;
      timeout_ms = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || errno || *end || timeout_ms < 1) UsageError("bad --timeout-ms '" + value + "'");
    } else {
      UsageError("unknown option " + arg);
    }
  }
  if (brokers.empty() || topic.empty()) UsageError("--brokers and --topic are required");

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  auto RemainingMs = [&]() {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::max<long long>(0, left.count()));
  };

  // librdkafka 2.0.2 blocks in query_watermark_offsets (and in close) well
  // past the timeout given when a partition's leader is down, so a watchdog
  // enforces --timeout-ms (plus time to close) for the whole run.
  std::thread([timeout_ms]() {
    std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms + 5000));
    std::fprintf(stderr, "kafka_dump: timed out (a partition leader or the cluster unreachable?)\n");
    _exit(1);
  }).detach();

  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // group.id only because librdkafka wants one for a consumer handle; we
  // assign() partitions ourselves and never commit, so the group is unused.
  if (!SetConf(conf, "bootstrap.servers", brokers) || !SetConf(conf, "group.id", "kafka_dump") ||
      !SetConf(conf, "enable.auto.commit", "false") || !SetConf(conf, "enable.auto.offset.store", "false") ||
      !SetConf(conf, "enable.partition.eof", "true") || !SetConf(conf, "isolation.level", isolation))
    return 2;
  char errstr[512];
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
  if (!consumer) {
    std::fprintf(stderr, "kafka_dump: rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_poll_set_consumer(consumer);

  int exit_code = 0;
  std::vector<Record> records;
  rd_kafka_topic_t* topic_handle = rd_kafka_topic_new(consumer, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(consumer, 0, topic_handle, &metadata, RemainingMs());
  if (!err && (metadata->topic_cnt != 1 || metadata->topics[0].err)) {
    err = metadata->topic_cnt == 1 ? metadata->topics[0].err : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
  }
  if (err) {
    std::fprintf(stderr, "kafka_dump: metadata of %s: %s\n", topic.c_str(), rd_kafka_err2str(err));
    exit_code = 1;
  }

  // The end of each partition is fixed now, so messages produced while we
  // read do not make the dump (or the test comparing it) race.
  std::vector<int64_t> end_offsets;
  int32_t partition_count = exit_code ? 0 : metadata->topics[0].partition_cnt;
  rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(partition_count);
  std::vector<bool> finished(static_cast<size_t>(partition_count), false);
  size_t unfinished = 0;
  for (int32_t partition = 0; partition < partition_count && !exit_code; ++partition) {
    int64_t low = 0, high = 0;
    // A timeout of 0 would not mean "give up now" to librdkafka, so an
    // exhausted deadline (a partition whose leader is down) is ours to report.
    int wait_ms = RemainingMs();
    err = wait_ms == 0 ? RD_KAFKA_RESP_ERR__TIMED_OUT
                       : rd_kafka_query_watermark_offsets(consumer, topic.c_str(), partition, &low, &high, wait_ms);
    if (err) {
      std::fprintf(stderr, "kafka_dump: watermarks of %s [%d]: %s\n", topic.c_str(), partition,
                   rd_kafka_err2str(err));
      exit_code = 1;
      break;
    }
    end_offsets.push_back(high);
    if (high <= low) {
      finished[static_cast<size_t>(partition)] = true;  // empty: nothing to wait for
      continue;
    }
    rd_kafka_topic_partition_list_add(assignment, topic.c_str(), partition)->offset = RD_KAFKA_OFFSET_BEGINNING;
    ++unfinished;
  }
  if (metadata) rd_kafka_metadata_destroy(metadata);
  rd_kafka_topic_destroy(topic_handle);

  if (!exit_code && unfinished > 0) {
    err = rd_kafka_assign(consumer, assignment);
    if (err) {
      std::fprintf(stderr, "kafka_dump: assign: %s\n", rd_kafka_err2str(err));
      exit_code = 1;
    }
  }
  rd_kafka_topic_partition_list_destroy(assignment);

  // A partition is done at the first EOF at or past its end, or at a message
  // at end-1. With read_committed the last offsets may be control records
  // (never delivered), so EOF is the signal that always comes.
  while (!exit_code && unfinished > 0) {
    int wait_ms = RemainingMs();
    if (wait_ms == 0) {
      std::fprintf(stderr, "kafka_dump: timed out with %zu partition(s) not read to their end\n", unfinished);
      exit_code = 1;
      break;
    }
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer, std::min(wait_ms, 200));
    if (!message) continue;
    int32_t partition = message->partition;
    bool known = message->rkt && partition >= 0 && partition < partition_count;
    size_t slot = static_cast<size_t>(partition);
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (known && !finished[slot] && message->offset >= end_offsets[slot]) {
        finished[slot] = true;
        --unfinished;
      }
    } else if (message->err) {
      // Transient errors (a broker down, a leader moving) are retried by
      // librdkafka and reported here only for information; the timeout
      // decides failure.
      std::fprintf(stderr, "kafka_dump: %s\n", rd_kafka_message_errstr(message));
      if (message->err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION || message->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
          message->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)
        exit_code = 1;
    } else if (known && !finished[slot] && message->offset < end_offsets[slot]) {
      Record record{partition, message->offset, message->key != nullptr, "", ""};
      if (message->key) record.key.assign(static_cast<const char*>(message->key), message->key_len);
      if (message->payload) record.value.assign(static_cast<const char*>(message->payload), message->len);
      rd_kafka_headers_t* headers = nullptr;
      if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name;
        const void* value;
        size_t size;
        for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
          record.headers.emplace_back(name, value ? std::string(static_cast<const char*>(value), size) : "");
      }
      records.push_back(std::move(record));
      if (message->offset >= end_offsets[slot] - 1) {
        finished[slot] = true;
        --unfinished;
      }
    }
    rd_kafka_message_destroy(message);
  }

  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  if (exit_code) return exit_code;

  std::sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
    return a.partition != b.partition ? a.partition < b.partition : a.offset < b.offset;
  });
  std::string line;
  for (const Record& record : records) {
    line = "{\"partition\":" + std::to_string(record.partition) + ",\"offset\":" + std::to_string(record.offset) +
           ",\"key\":";
    if (record.has_key) AppendJsonString(record.key.data(), record.key.size(), &line);
    else line += "null";
    line += ",\"value\":";
    AppendJsonString(record.value.data(), record.value.size(), &line);
    if (!record.headers.empty()) {   // questd's actions carry their transaction id (questline-txn)
      line += ",\"headers\":{";
      for (size_t i = 0; i < record.headers.size(); ++i) {
        if (i) line += ",";
        AppendJsonString(record.headers[i].first.data(), record.headers[i].first.size(), &line);
        line += ":";
        AppendJsonString(record.headers[i].second.data(), record.headers[i].second.size(), &line);
      }
      line += "}";
    }
    line += "}\n";
    std::fputs(line.c_str(), stdout);
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}
