// kafka_produce: writes an NDJSON file of events to a Kafka topic, for the
// Python integration tests of questd's Kafka source (issue 20).
//
// Why: the tests have no Python Kafka client, and they must know where each
// event landed (partition and offset) to compute what questd should have
// done per partition. So every line becomes one message keyed by its "user"
// field (the default partitioner then keeps one user in one partition), the
// producer is idempotent (per-partition order survives retries, no
// duplicates) with acks=all, and ASSIGN receives `PARTITION OFFSET` per
// input line, in input order, once every delivery report is in.
//
//   kafka_produce --brokers B --topic T --out ASSIGN [--partition P] FILE.ndjson
//
// With --partition every line goes to partition P, keyed by nothing: the
// owners' lines and clock ticks a partition's log holds besides events.
//
// Exit 0: all delivered; 1: a Kafka failure (any delivery failed); 2: usage
// or input errors (a line without a string "user" field names its line).
#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

const char kUsage[] =
    "usage: kafka_produce --brokers B --topic T --out ASSIGN [--partition P] FILE.ndjson\n"
    "Produces each non-empty line of FILE as one message keyed by its JSON \"user\"\n"
    "field (idempotent, acks=all), then writes `PARTITION OFFSET` per line to ASSIGN.\n"
    "--partition P: every line to partition P, unkeyed (a clock tick has no user).\n";

[[noreturn]] void UsageError(const std::string& message) {
  std::fprintf(stderr, "kafka_produce: %s\n%s", message.c_str(), kUsage);
  std::exit(2);
}

// Where each message went; filled by the delivery report callback, which
// gets the index of its input line through the message opaque.
struct Delivery {
  int32_t partition = -1;
  int64_t offset = -1;
  bool done = false;
};

struct State {
  std::vector<Delivery> deliveries;
  size_t outstanding = 0;
  size_t failed = 0;
};

void AppendUtf8(uint32_t code, std::string* out) {
  if (code < 0x80) {
    out->push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code >> 6)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

bool ParseHex4(const std::string& text, size_t at, uint32_t* out) {
  if (at + 4 > text.size()) return false;
  uint32_t value = 0;
  for (size_t i = at; i < at + 4; ++i) {
    char c = text[i];
    value <<= 4;
    if (c >= '0' && c <= '9') value |= static_cast<uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') value |= static_cast<uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') value |= static_cast<uint32_t>(c - 'A' + 10);
    else return false;
  }
  *out = value;
  return true;
}

// Finds `"user"` as an object key and decodes its string value. Deliberately
// simple (no full JSON parse): the test inputs are questd event lines, and a
// "user" inside a nested object or a string would be a test-writing mistake.
bool ExtractUser(const std::string& line, std::string* user) {
  const std::string needle = "\"user\"";
  for (size_t at = line.find(needle); at != std::string::npos; at = line.find(needle, at + 1)) {
    size_t i = at + needle.size();
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size() || line[i] != ':') continue;  // a value "user", not a key
    ++i;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size() || line[i] != '"') return false;
    user->clear();
    for (++i; i < line.size(); ++i) {
      char c = line[i];
      if (c == '"') return true;
      if (c != '\\') {
        user->push_back(c);
        continue;
      }
      if (++i >= line.size()) return false;
      switch (line[i]) {
        case '"': user->push_back('"'); break;
        case '\\': user->push_back('\\'); break;
        case '/': user->push_back('/'); break;
        case 'b': user->push_back('\b'); break;
        case 'f': user->push_back('\f'); break;
        case 'n': user->push_back('\n'); break;
        case 'r': user->push_back('\r'); break;
        case 't': user->push_back('\t'); break;
        case 'u': {
          uint32_t code = 0;
          if (!ParseHex4(line, i + 1, &code)) return false;
          i += 4;
          // A surrogate pair is two \u escapes making one code point.
          if (code >= 0xD800 && code < 0xDC00 && i + 2 < line.size() && line[i + 1] == '\\' &&
              line[i + 2] == 'u') {
            uint32_t low = 0;
            if (ParseHex4(line, i + 3, &low) && low >= 0xDC00 && low < 0xE000) {
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
              i += 6;
            }
          }
          AppendUtf8(code, user);
          break;
        }
        default: return false;
      }
    }
    return false;  // unterminated string
  }
  return false;
}

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  State* state = static_cast<State*>(opaque);
  size_t index = reinterpret_cast<size_t>(message->_private);
  Delivery& delivery = state->deliveries[index];
  delivery.done = true;
  --state->outstanding;
  if (message->err) {
    ++state->failed;
    std::fprintf(stderr, "kafka_produce: line %zu: delivery failed: %s\n", index + 1,
                 rd_kafka_err2str(message->err));
    return;
  }
  delivery.partition = message->partition;
  delivery.offset = message->offset;
}

bool SetConf(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
  char errstr[512];
  if (rd_kafka_conf_set(conf, name, value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
    std::fprintf(stderr, "kafka_produce: %s: %s\n", name, errstr);
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string brokers, topic, out_path, in_path;
  int32_t partition = RD_KAFKA_PARTITION_UA;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg.rfind("--", 0) != 0) {
      if (!in_path.empty()) UsageError("more than one input file");
      in_path = arg;
      continue;
    }
    if (i + 1 >= argc) UsageError("missing value after " + arg);
    std::string value = argv[++i];
    if (arg == "--brokers") brokers = value;
    else if (arg == "--topic") topic = value;
    else if (arg == "--out") out_path = value;
    else if (arg == "--partition") partition = int32_t(std::atoi(value.c_str()));
    else UsageError("unknown option " + arg);
  }
  if (brokers.empty() || topic.empty() || out_path.empty() || in_path.empty())
    UsageError("--brokers, --topic, --out and FILE are required");

  // Read and check the whole input first: an input error must not leave
  // half of it in the topic.
  std::ifstream in(in_path, std::ios::binary);
  if (!in) UsageError("cannot open " + in_path);
  struct Line {
    size_t number;
    std::string text, user;
  };
  std::vector<Line> lines;
  std::string text;
  for (size_t number = 1; std::getline(in, text); ++number) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    Line line{number, text, ""};
    if (partition == RD_KAFKA_PARTITION_UA && !ExtractUser(text, &line.user)) {
      std::fprintf(stderr, "kafka_produce: %s:%zu: no string \"user\" field\n", in_path.c_str(), number);
      return 2;
    }
    lines.push_back(std::move(line));
  }

  State state;
  state.deliveries.resize(lines.size());
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (!SetConf(conf, "bootstrap.servers", brokers) || !SetConf(conf, "enable.idempotence", "true") ||
      !SetConf(conf, "acks", "all") || !SetConf(conf, "message.timeout.ms", "60000"))
    return 2;
  rd_kafka_conf_set_dr_msg_cb(conf, OnDelivery);
  rd_kafka_conf_set_opaque(conf, &state);
  char errstr[512];
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!producer) {
    std::fprintf(stderr, "kafka_produce: rd_kafka_new: %s\n", errstr);
    return 1;
  }

  int exit_code = 0;
  for (size_t index = 0; index < lines.size(); ++index) {
    const Line& line = lines[index];
    for (;;) {
      rd_kafka_resp_err_t err = rd_kafka_producev(
          producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
          RD_KAFKA_V_KEY(line.user.data(), line.user.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(line.text.data()), line.text.size()),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(index)),
          RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(producer, 100);  // let deliveries drain the queue
        continue;
      }
      if (err) {
        std::fprintf(stderr, "kafka_produce: line %zu: produce: %s\n", line.number, rd_kafka_err2str(err));
        exit_code = 1;
      } else {
        ++state.outstanding;
      }
      break;
    }
    if (exit_code) break;
    rd_kafka_poll(producer, 0);
  }

  // flush() serves delivery reports until none are outstanding; the
  // message timeout bounds it, so the wait here only needs to exceed that.
  rd_kafka_resp_err_t err = rd_kafka_flush(producer, 120000);
  if (err) {
    std::fprintf(stderr, "kafka_produce: flush: %s (%zu undelivered)\n", rd_kafka_err2str(err), state.outstanding);
    exit_code = 1;
  }
  if (state.failed) exit_code = 1;
  rd_kafka_destroy(producer);
  if (exit_code) return exit_code;

  std::FILE* out = std::fopen(out_path.c_str(), "w");
  if (!out) {
    std::fprintf(stderr, "kafka_produce: cannot write %s\n", out_path.c_str());
    return 2;
  }
  for (const Delivery& delivery : state.deliveries)
    std::fprintf(out, "%d %lld\n", delivery.partition, static_cast<long long>(delivery.offset));
  if (std::fclose(out) != 0) {
    std::fprintf(stderr, "kafka_produce: cannot write %s\n", out_path.c_str());
    return 2;
  }
  return 0;
}
