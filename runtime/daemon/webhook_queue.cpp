#include "runtime/daemon/webhook_queue.h"

namespace questline::daemon {

void WebhookQueue::Push(QueuedAction action) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    actions_.push_back(std::move(action));
  }
  changed_.notify_all();
}

bool WebhookQueue::WaitForRoom(std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, wait, [&] { return actions_.size() < max_ || stopped_; });
}

bool WebhookQueue::WaitDrained(std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, wait, [&] { return actions_.empty() || failing_ || stopped_; });
  return actions_.empty();
}

std::vector<QueuedAction> WebhookQueue::Front(size_t max) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return !actions_.empty() || stopped_; });
  std::vector<QueuedAction> out;
  if (stopped_) return out;
  for (size_t i = 0; i < max && i < actions_.size(); ++i) out.push_back(actions_[i]);
  return out;
}

void WebhookQueue::Pop(size_t count) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < count && !actions_.empty(); ++i) actions_.pop_front();
  }
  changed_.notify_all();
}

void WebhookQueue::SetFailing(bool failing) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    failing_ = failing;
  }
  changed_.notify_all();
}

bool WebhookQueue::Sleep(std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mutex_);
  return !changed_.wait_for(lock, wait, [&] { return stopped_; });
}

void WebhookQueue::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
  }
  changed_.notify_all();
}

bool WebhookQueue::Stopped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopped_;
}

size_t WebhookQueue::Depth() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return actions_.size();
}

}  // namespace questline::daemon
