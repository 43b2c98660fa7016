#include "runtime/daemon/kafka/client.h"

#include <chrono>
#include <cstdlib>

#include "runtime/daemon/log.h"

namespace questline::daemon::kafka {

void HandleDeleter::operator()(rd_kafka_t* rk) const {
  if (rk != nullptr) rd_kafka_destroy(rk);
}

bool Set(rd_kafka_conf_t* conf, const char* name, const std::string& value, std::string* error) {
  char why[512];
  if (rd_kafka_conf_set(conf, name, value.c_str(), why, sizeof why) == RD_KAFKA_CONF_OK) return true;
  *error = std::string(name) + ": " + why;
  return false;
}

namespace {

// librdkafka's log lines into questd's log: a broker refusing a connection
// is worth a warning (librdkafka retries it), the chatter is debug.
void LogLine(const rd_kafka_t*, int level, const char* facility, const char* message) {
  Log(level <= 4 ? LogLevel::Warn : LogLevel::Debug, std::string("kafka: ") + facility + ": " + message);
}

}  // namespace

bool SetAll(rd_kafka_conf_t* conf, std::initializer_list<std::pair<const char*, std::string>> settings,
            std::string* error) {
  for (const auto& [name, value] : settings)
    if (!Set(conf, name, value, error)) {
      rd_kafka_conf_destroy(conf);
      return false;
    }
  return true;
}

rd_kafka_conf_t* NewConf(const KafkaSourceConfig& config, const std::string& client_id, std::string* error) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set_log_cb(conf, &LogLine);
  bool ok = Set(conf, "bootstrap.servers", config.brokers, error) && Set(conf, "client.id", client_id, error);
  if (ok && !config.security_protocol.empty()) ok = Set(conf, "security.protocol", config.security_protocol, error);
  if (ok && !config.sasl_mechanism.empty()) ok = Set(conf, "sasl.mechanisms", config.sasl_mechanism, error);
  if (ok && !config.sasl_username.empty()) ok = Set(conf, "sasl.username", config.sasl_username, error);
  if (ok && !config.ssl_ca_location.empty()) ok = Set(conf, "ssl.ca.location", config.ssl_ca_location, error);
  if (ok && !config.sasl_password_env.empty()) {
    const char* password = std::getenv(config.sasl_password_env.c_str());
    if (password == nullptr || *password == '\0') {
      *error = "source.sasl_password_env: the environment variable " + config.sasl_password_env + " is not set";
      ok = false;
    } else {
      ok = Set(conf, "sasl.password", password, error);
    }
  }
  if (!ok) {
    rd_kafka_conf_destroy(conf);
    return nullptr;
  }
  return conf;
}

Handle NewHandle(rd_kafka_type_t type, rd_kafka_conf_t* conf, std::string* error) {
  char why[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf, why, sizeof why);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);   // not taken on failure
    *error = why;
  }
  return Handle(rk);
}

Handle NewReader(const KafkaSourceConfig& config, const std::string& client_id, const char* offset_reset,
                 std::string* error) {
  rd_kafka_conf_t* conf = NewConf(config, client_id, error);
  if (conf == nullptr) return nullptr;
  // Assigned its partition, it never joins the group it names (librdkafka
  // wants one for assign) and commits nothing.
  if (!SetAll(conf,
              {{"group.id", "questd-restore-reader"}, {"enable.partition.eof", "true"},
               {"isolation.level", "read_committed"}, {"enable.auto.commit", "false"},
               {"enable.auto.offset.store", "false"}, {"auto.offset.reset", offset_reset}},
              error))
    return nullptr;
  return NewHandle(RD_KAFKA_CONSUMER, conf, error);
}

bool ReadPartition(const KafkaSourceConfig& config, const std::string& topic, int32_t partition, int64_t offset,
                   const char* offset_reset, const std::function<bool(const rd_kafka_message_t&)>& visit,
                   std::string* error, bool* gone) {
  constexpr auto kStall = std::chrono::seconds(60);
  const std::string where = topic + "[" + std::to_string(partition) + "]";
  Handle reader = NewReader(config, "questd-restore-" + topic, offset_reset, error);
  if (!reader) return false;
  PartitionList assignment(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), partition)->offset = offset;
  if (rd_kafka_resp_err_t err = rd_kafka_assign(reader.get(), assignment.get())) {
    *error = "assign " + where + ": " + rd_kafka_err2str(err);
    return false;
  }
  auto last_progress = std::chrono::steady_clock::now();
  for (;;) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(reader.get(), 200);
    if (m == nullptr) {
      if (std::chrono::steady_clock::now() - last_progress <= kStall) continue;
      *error = "reading " + where + ": no progress for 60 s";
      return false;
    }
    last_progress = std::chrono::steady_clock::now();
    const rd_kafka_resp_err_t err = m->err;
    bool more = true;
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      more = visit(*m);
    } else if (err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      more = false;
    } else if (err != RD_KAFKA_RESP_ERR__TRANSPORT && err != RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
      // (A broker down or a leader moving is retried by librdkafka.)
      *error = "reading " + where + ": " + rd_kafka_message_errstr(m);
      if (gone != nullptr) *gone = err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET;
      rd_kafka_message_destroy(m);
      return false;
    }
    rd_kafka_message_destroy(m);
    if (!more) break;
  }
  rd_kafka_consumer_close(reader.get());
  return true;
}

int32_t PartitionCount(rd_kafka_t* rk, const std::string& topic, int timeout_ms, std::string* error) {
  rd_kafka_topic_t* handle = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, handle, &metadata, timeout_ms);
  rd_kafka_topic_destroy(handle);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    *error = "metadata of topic " + topic + ": " + rd_kafka_err2str(err);
    return -1;
  }
  int32_t count = -1;
  if (metadata->topic_cnt == 1 && metadata->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
    count = metadata->topics[0].partition_cnt;
  else
    *error = "topic " + topic + " does not exist" +
             (metadata->topic_cnt == 1 ? std::string(" (") + rd_kafka_err2str(metadata->topics[0].err) + ")" : "");
  rd_kafka_metadata_destroy(metadata);
  return count;
}

std::string Take(rd_kafka_error_t* error) {
  std::string text = rd_kafka_error_string(error);
  rd_kafka_error_destroy(error);
  return text;
}

}  // namespace questline::daemon::kafka
