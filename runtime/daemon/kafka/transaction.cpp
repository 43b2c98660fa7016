#include "runtime/daemon/kafka/transaction.h"

#include <algorithm>
#include <chrono>
#include <random>

namespace questline::daemon::kafka {

Handle NewTransactionalProducer(const KafkaSourceConfig& config, const std::string& txn_id,
                                void (*on_delivery)(rd_kafka_t*, const rd_kafka_message_t*, void*), void* opaque,
                                std::string* error) {
  rd_kafka_conf_t* conf = NewConf(config, "questd-" + txn_id, error);
  if (conf == nullptr) return nullptr;
  if (!SetAll(conf,
              {{"transactional.id", txn_id}, {"enable.idempotence", "true"},
               {"transaction.timeout.ms", std::to_string(kTxnTimeoutMs)}, {"linger.ms", "2"}},
              error))
    return nullptr;
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_conf_set_opaque(conf, opaque);
  Handle producer = NewHandle(RD_KAFKA_PRODUCER, conf, error);
  if (!producer) return nullptr;
  if (rd_kafka_error_t* e = rd_kafka_init_transactions(producer.get(), kTxnTimeoutMs)) {
    *error = "init transactions: " + Take(e);
    return nullptr;
  }
  return producer;
}

bool ResumeOffset(rd_kafka_t* consumer, const std::string& topic, int32_t partition, const ChangelogState& changelog,
                  int64_t* offset, bool* fresh, std::string* error) {
  PartitionList wanted(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(wanted.get(), topic.c_str(), partition);
  rd_kafka_resp_err_t err = rd_kafka_committed(consumer, wanted.get(), kTxnTimeoutMs);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) err = wanted->elems[0].err;
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    *error = std::string("committed offset: ") + rd_kafka_err2str(err);
    return false;
  }
  // Both were written by the same transactions: the larger is where the
  // last committed one left off.
  *offset = std::max<int64_t>(wanted->elems[0].offset, 0);
  if (changelog.has_progress) *offset = std::max(*offset, changelog.progress.next_offset);
  *fresh = wanted->elems[0].offset < 0 && !changelog.has_progress;
  if (*fresh) {
    int64_t low = 0, high = 0;
    err = rd_kafka_query_watermark_offsets(consumer, topic.c_str(), partition, &low, &high, kTxnTimeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      *error = std::string("watermarks: ") + rd_kafka_err2str(err);
      return false;
    }
    *offset = low;
  }
  return true;
}

bool CommitTransaction(rd_kafka_t* producer, rd_kafka_t* consumer, const std::string& topic, int32_t partition,
                       int64_t next, std::string* error, bool* fenced) {
  // Each step's retriable errors (a timeout while a broker is down) are
  // retried as librdkafka documents, the offsets before the commit, so the
  // transaction never commits without them; an abortable error aborts; a
  // fatal one is a fence. -1: the transaction's remaining time.
  constexpr int kAttempts = 5;
  PartitionList offsets(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(offsets.get(), topic.c_str(), partition)->offset = next;
  rd_kafka_consumer_group_metadata_t* group = rd_kafka_consumer_group_metadata(consumer);
  rd_kafka_error_t* e = nullptr;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    e = rd_kafka_send_offsets_to_transaction(producer, offsets.get(), group, -1);
    if (e == nullptr || !rd_kafka_error_is_retriable(e)) break;
    if (attempt + 1 < kAttempts) rd_kafka_error_destroy(e);
  }
  rd_kafka_consumer_group_metadata_destroy(group);
  for (int attempt = 0; e == nullptr && attempt < kAttempts; ++attempt) {
    e = rd_kafka_commit_transaction(producer, -1);
    if (e == nullptr) return true;
    if (!rd_kafka_error_is_retriable(e)) break;
    if (attempt + 1 < kAttempts) {
      rd_kafka_error_destroy(e);
      e = nullptr;
    }
  }
  *fenced = rd_kafka_error_is_fatal(e);
  *error = "commit: " + Take(e);
  return false;
}

bool ProduceInTransaction(rd_kafka_t* producer, const std::string& topic, int32_t partition, const std::string& key,
                          const std::string& value, const std::string& txn, std::string* error) {
  for (;;) {
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
        RD_KAFKA_V_HEADER(kTransactionHeader, txn.data(), ssize_t(txn.size())), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      *error = "produce to " + topic + ": " + rd_kafka_err2str(err);
      return false;
    }
    rd_kafka_poll(producer, 50);   // the queue drains as deliveries come back
  }
}

uint64_t NewEpoch() {
  std::random_device entropy;
  return (uint64_t(entropy()) << 32) ^ entropy() ^
         uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace questline::daemon::kafka
