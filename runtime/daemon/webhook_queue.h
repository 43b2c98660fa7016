// The actions a webhook sink holds until its receiver acknowledges them: the
// engine's thread pushes, the sender's thread takes batches from the front
// and pops them once they are acknowledged (or dead-lettered). Bounded softly
// by queue_max: the engine waits for room *before* it takes an input (an
// input's actions, once the input is journaled, must all go in), so the depth
// can pass queue_max by one input's actions, and by a replay's at start.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace questline::daemon {

struct QueuedAction {
  uint64_t seq = 0;
  std::string key;    // the action's idempotency key, 32 hex digits
  std::string json;   // its NDJSON line, newline included
};

class WebhookQueue {
 public:
  explicit WebhookQueue(size_t max) : max_(max) {}

  // Engine thread.
  void Push(QueuedAction action);
  // True once the depth is below queue_max, false if `wait` passed first.
  bool WaitForRoom(std::chrono::milliseconds wait);
  // True once everything pushed is acknowledged; false after `wait`, or at
  // once while the receiver is failing (a snapshot must not wait on it).
  bool WaitDrained(std::chrono::milliseconds wait);

  // Sender thread. Up to `max` actions from the front, left in the queue;
  // waits for one to arrive. Empty once Stop was called.
  std::vector<QueuedAction> Front(size_t max);
  void Pop(size_t count);
  void SetFailing(bool failing);
  // Sleeps `wait`, or less if Stop is called; false when stopped.
  bool Sleep(std::chrono::milliseconds wait);

  void Stop();
  bool Stopped() const;
  size_t Depth() const;

 private:
  const size_t max_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;   // pushed, popped, failing, stopped: few waiters, one variable
  std::deque<QueuedAction> actions_;
  bool failing_ = false;
  bool stopped_ = false;
};

}  // namespace questline::daemon
