// The `webhook` sink (docs/daemon.md, "Webhook sinks"; docs/durability.md):
// actions POSTed in batches as NDJSON to a receiver, from a thread of its own
// so the engine's thread never waits on the network, except for room in the
// bounded queue (backpressure). A batch is retried with exponential backoff
// and full jitter until acknowledged (2xx), dead-lettered at once on a
// permanent refusal (4xx but 408 and 429), or after max_attempts failures.
// The acknowledged position is durable (AckFile), so after a restart the
// journal's replay re-emits every action and only the unacknowledged go out.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "runtime/daemon/config.h"
#include "runtime/daemon/http_url.h"
#include "runtime/daemon/webhook_client.h"
#include "runtime/daemon/webhook_files.h"
#include "runtime/daemon/webhook_queue.h"
#include "runtime/engine/action.h"

namespace questline::daemon {

class WebhookSink final : public engine::ActionSink {
 public:
  WebhookSink(const SinkConfig& config, const std::string& data_dir);
  ~WebhookSink() override;
  WebhookSink(const WebhookSink&) = delete;
  WebhookSink& operator=(const WebhookSink&) = delete;

  // Reads the ack file and opens the dead-letter file, then starts sending.
  bool Open(std::string* error);
  const std::string& Name() const { return config_.name; }

  // Engine thread. Actions at or below the acknowledged seq read at Open are
  // the journal's replay of what was delivered before: skipped.
  void Write(engine::Action&& action) override;
  // Backpressure, before an input is taken: false when the queue stayed
  // full for backlog_wait (`wait` false: not even that long).
  bool WaitForRoom(bool wait);
  // Before a snapshot: true once every action emitted is acknowledged (or
  // dead-lettered), waiting up to the sink's timeout when `wait`. A
  // snapshot must not cover actions this sink may still need to resend.
  bool WaitDrained(bool wait) { return queue_.WaitDrained(std::chrono::milliseconds(wait ? config_.timeout_ms : 0)); }
  void CountRefusal() { ++refusals_; }

  // Any thread: the sink's part of /metrics, one sample per family.
  struct Counters {
    uint64_t requests = 0, acked = 0, retries = 0, dead_lettered = 0, refusals = 0, depth = 0, acked_seq = 0;
  };
  Counters Read() const;

  // Ends the sending (the request in flight is abandoned; unacknowledged
  // actions go out after the restart, from the journal).
  void Stop();

 private:
  void Send();
  // One batch until it is acknowledged or dead-lettered; false when stopped.
  bool Deliver(const std::vector<QueuedAction>& batch);
  bool DeadLetter(const std::vector<QueuedAction>& batch, int status, const std::string& why, int64_t attempts);
  std::chrono::milliseconds Backoff(int64_t failures);

  SinkConfig config_;
  std::string data_dir_;
  HttpUrl url_;
  WebhookQueue queue_;
  WebhookClient client_;
  AckFile ack_;
  DeadLetterFile dead_letter_;
  uint64_t skip_through_ = 0;   // engine thread: the ack file's seq at Open
  std::mt19937_64 jitter_;
  std::thread thread_;
  std::atomic<uint64_t> requests_{0}, acked_{0}, retries_{0}, dead_lettered_{0}, refusals_{0}, acked_seq_{0};
};

}  // namespace questline::daemon
