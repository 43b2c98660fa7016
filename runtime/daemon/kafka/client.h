// librdkafka handles for the Kafka source (docs/scale-out.md): the settings
// every handle shares (brokers, security), owned handles that are destroyed
// with their scope, and error text. The rest of kafka/ builds on these.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <utility>
#include <memory>
#include <string>

#include <librdkafka/rdkafka.h>

#include "runtime/daemon/config.h"

namespace questline::daemon::kafka {

struct HandleDeleter {
  void operator()(rd_kafka_t* rk) const;
};
using Handle = std::unique_ptr<rd_kafka_t, HandleDeleter>;

struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const { rd_kafka_topic_partition_list_destroy(list); }
};
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

// A conf with the brokers, the security settings and `client.id`; false with
// `error` when librdkafka refuses one of them (a misspelt mechanism…).
rd_kafka_conf_t* NewConf(const KafkaSourceConfig& config, const std::string& client_id, std::string* error);
// Sets `name` to `value` on `conf`; false with `error`.
bool Set(rd_kafka_conf_t* conf, const char* name, const std::string& value, std::string* error);
// Each (name, value) in order; on the first refused, `conf` is destroyed and
// false returned with `error`, so a caller only returns.
bool SetAll(rd_kafka_conf_t* conf, std::initializer_list<std::pair<const char*, std::string>> settings,
            std::string* error);
// rd_kafka_new, taking `conf` in every case.
Handle NewHandle(rd_kafka_type_t type, rd_kafka_conf_t* conf, std::string* error);

// A consumer outside any group, for reading a range of one partition
// (restore): read_committed, partition EOF reported. `offset_reset`: what an
// offset no longer in the log does — "earliest" (read what is left: a
// compacted changelog) or "error" (the input: a gap would lose events).
Handle NewReader(const KafkaSourceConfig& config, const std::string& client_id, const char* offset_reset,
                 std::string* error);

// Reads `partition` of `topic` from `offset` to its end (its last stable
// offset at the time), `visit`ing each message in order until it returns
// false. A broker down or a leader moving is waited for; no progress for
// 60 s, or any other error, is false with `error`. `*gone` (optional) is set
// when `offset` is no longer in the log and `offset_reset` is "error".
bool ReadPartition(const KafkaSourceConfig& config, const std::string& topic, int32_t partition, int64_t offset,
                   const char* offset_reset, const std::function<bool(const rd_kafka_message_t&)>& visit,
                   std::string* error, bool* gone = nullptr);

// The number of partitions of `topic`, -1 with `error` when it cannot be known.
int32_t PartitionCount(rd_kafka_t* rk, const std::string& topic, int timeout_ms, std::string* error);

// Takes `error` (rd_kafka_error_t) and gives its text.
std::string Take(rd_kafka_error_t* error);

}  // namespace questline::daemon::kafka
