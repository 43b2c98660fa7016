// What every transactional task of the Kafka source does alike (a partition
// of the events, a competition owner on the repartition topic): a producer
// whose transactional id names what it owns, so the next owner fences it;
// where the task resumes; and the commit of a transaction with its input
// offsets. docs/scale-out.md.
#pragma once

#include <cstdint>
#include <string>

#include <librdkafka/rdkafka.h>

#include "runtime/daemon/config.h"
#include "runtime/daemon/kafka/changelog.h"
#include "runtime/daemon/kafka/client.h"

namespace questline::daemon::kafka {

constexpr int kTxnTimeoutMs = 60'000;
// Under transaction.timeout.ms, with room for the checkpoint and the commit.
constexpr int kFlushMs = 30'000;

// A producer with `transactional.id` = `txn_id`, its transactions
// initialised: the broker has fenced the id's previous producer and completed
// or aborted what it left open. Delivery reports go to `on_delivery` with
// `opaque`. Null with `error`.
Handle NewTransactionalProducer(const KafkaSourceConfig& config, const std::string& txn_id,
                                void (*on_delivery)(rd_kafka_t*, const rd_kafka_message_t*, void*), void* opaque,
                                std::string* error);

// Where `partition` of `topic` resumes: the larger of the group's committed
// offset and `changelog`'s progress (the mock keeps only the latter), or,
// never committed, the oldest offset the topic holds (`*fresh`). False with
// `error`.
bool ResumeOffset(rd_kafka_t* consumer, const std::string& topic, int32_t partition, const ChangelogState& changelog,
                  int64_t* offset, bool* fresh, std::string* error);

// The input offsets (`next` of `partition` of `topic`) into the open
// transaction, and the commit; retriable errors retried as librdkafka
// documents. False with `error`; `*fenced` when the error is fatal.
bool CommitTransaction(rd_kafka_t* producer, rd_kafka_t* consumer, const std::string& topic, int32_t partition,
                       int64_t next, std::string* error, bool* fenced);

// One record into the open transaction, with the transaction's id in the
// header `questline-txn`; a full queue waits for deliveries. False with `error`.
bool ProduceInTransaction(rd_kafka_t* producer, const std::string& topic, int32_t partition, const std::string& key,
                          const std::string& value, const std::string& txn, std::string* error);

// A random id for an owner's transactions (Progress::epoch).
uint64_t NewEpoch();

}  // namespace questline::daemon::kafka
