#include "runtime/daemon/kafka/changelog.h"

#include <chrono>
#include <cstdio>
#include <map>

#include "core/byte_io.h"
#include "runtime/daemon/kafka/client.h"
#include "runtime/daemon/log.h"

namespace questline::daemon::kafka {
namespace {

constexpr std::string_view kMagic = "QLCK";
constexpr uint64_t kVersion = 1;
constexpr const char* kHeaderKey = "checkpoint";
constexpr const char* kProgressKey = "progress";

std::string ChunkKey(size_t index) { return "chunk/" + std::to_string(index); }

bool Produce(rd_kafka_t* producer, const std::string& topic, int32_t partition, const std::string& key,
             const std::string& value, std::string* error) {
  for (;;) {
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      *error = "produce to " + topic + ": " + rd_kafka_err2str(err);
      return false;
    }
    rd_kafka_poll(producer, 50);   // the queue drains as deliveries come back
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> EncodeCheckpoint(const Checkpoint& checkpoint,
                                                                  const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> records;
  const std::string& bytes = checkpoint.snapshot;
  const size_t chunks = (bytes.size() + kChunkBytes - 1) / kChunkBytes;
  for (size_t i = 0; i < chunks; ++i) {
    core::ByteWriter w;
    w.Fixed64(checkpoint.generation);
    w.Raw(std::string_view(bytes).substr(i * kChunkBytes, kChunkBytes));
    records.emplace_back(prefix + ChunkKey(i), w.Take());
  }
  core::ByteWriter header;
  header.Raw(kMagic);
  header.Unsigned(kVersion);
  header.Fixed64(checkpoint.generation);
  header.Signed(checkpoint.offset);
  header.Unsigned(chunks);
  header.Unsigned(bytes.size());
  records.emplace_back(prefix + kHeaderKey, header.Take());   // last: a header seen means its chunks are there
  return records;
}

bool ProduceCheckpoint(rd_kafka_t* producer, const std::string& topic, int32_t partition,
                       const Checkpoint& checkpoint, std::string* error, const std::string& prefix) {
  for (const auto& [key, value] : EncodeCheckpoint(checkpoint, prefix))
    if (!Produce(producer, topic, partition, key, value, error)) return false;
  return true;
}

std::string TransactionId(uint64_t epoch, uint64_t sequence) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, epoch >>= 4) out[size_t(i)] = kDigits[epoch & 15];
  return out + "-" + std::to_string(sequence);
}

// JSON, for the operator reading the topic and for readers that filter
// actions by transaction (tests/kafka): {"version":1,"txn":ID,"next_offset":N,"clock":MS}.
std::string EncodeProgress(const Progress& progress) {
  return "{\"version\":" + std::to_string(kVersion) + ",\"txn\":\"" + TransactionId(progress.epoch, progress.sequence) +
         "\",\"next_offset\":" + std::to_string(progress.next_offset) + ",\"clock\":" +
         std::to_string(progress.clock) + "}";
}

bool ProduceProgress(rd_kafka_t* producer, const std::string& topic, int32_t partition, const Progress& progress,
                     std::string* error, const std::string& prefix) {
  return Produce(producer, topic, partition, prefix + kProgressKey, EncodeProgress(progress), error);
}

bool ReadChangelog(const KafkaSourceConfig& config, int32_t partition, ChangelogState* state, std::string* error,
                   const std::string& prefix) {
  *state = ChangelogState();
  // What compaction would keep: the last value of each key.
  std::map<std::string, std::string> latest;
  const bool read = ReadPartition(
      config, config.changelog_topic, partition, RD_KAFKA_OFFSET_BEGINNING, "earliest",
      [&](const rd_kafka_message_t& m) {
        if (m.key != nullptr)
          latest[std::string(static_cast<const char*>(m.key), m.key_len)] =
              std::string(static_cast<const char*>(m.payload), m.len);
        return true;
      },
      error);
  if (!read) return false;
  if (DecodeChangelog(latest, state, error, prefix)) return true;
  *error = "changelog partition " + std::to_string(partition) + ": " + *error;
  return false;
}

bool DecodeChangelog(const std::map<std::string, std::string>& latest, ChangelogState* state, std::string* error,
                     const std::string& prefix) {
  *state = ChangelogState();
  auto progress_it = latest.find(prefix + kProgressKey);
  if (progress_it != latest.end()) {
    unsigned version = 0;
    unsigned long long epoch = 0, sequence = 0;
    long long next = 0, clock = 0;
    if (std::sscanf(progress_it->second.c_str(),
                    "{\"version\":%u,\"txn\":\"%16llx-%llu\",\"next_offset\":%lld,\"clock\":%lld}", &version, &epoch,
                    &sequence, &next, &clock) != 5 ||
        version != kVersion || next < 0) {
      *error = "a damaged progress record, or one of another version";
      return false;
    }
    state->progress = Progress{epoch, sequence, next, clock};
    state->has_progress = true;
  }
  auto header_it = latest.find(prefix + kHeaderKey);
  if (header_it == latest.end()) return true;
  core::ByteReader h(header_it->second);
  Checkpoint c;
  if (h.Raw(kMagic.size()) != kMagic || h.Unsigned() != kVersion) {
    *error = "a checkpoint of another version";
    return false;
  }
  c.generation = h.Fixed64();
  c.offset = h.Signed();
  const uint64_t chunks = h.Unsigned(), size = h.Unsigned();
  if (!h.ok() || c.offset < 0 || chunks != size / kChunkBytes + (size % kChunkBytes != 0)) {
    *error = "a damaged checkpoint header";
    return false;
  }
  for (uint64_t i = 0; i < chunks; ++i) {
    auto chunk = latest.find(prefix + ChunkKey(i));
    core::ByteReader r(chunk == latest.end() ? std::string_view() : std::string_view(chunk->second));
    if (chunk == latest.end() || r.Fixed64() != c.generation || !r.ok()) {
      // Deleted by retention (the topic is not compacted, or too small):
      // restore goes further back, to the input itself.
      Log(LogLevel::Warn, "kafka: changelog checkpoint " + std::to_string(c.generation) + " lacks chunk " +
                              std::to_string(i) + " (is the topic compacted, without a size limit?); not used");
      return true;
    }
    if (c.snapshot.size() + r.Remaining() > size) break;   // more than the header said: caught below
    c.snapshot += r.Raw(r.Remaining());
  }
  if (c.snapshot.size() != size) {
    *error = "a checkpoint whose chunks do not add up to its size";
    return false;
  }
  state->checkpoint = std::move(c);
  state->has_checkpoint = true;
  return true;
}

}  // namespace questline::daemon::kafka
