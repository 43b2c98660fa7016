// The open connections of both ports: counted against max_connections and
// listed, so that a shutdown can tell each one to finish what it is doing
// and close. Network thread only.
#pragma once

#include <cstdint>
#include <list>
#include <memory>

#include "runtime/daemon/metrics.h"

namespace questline::daemon {

// A connection that can be asked to wind down: finish the request in hand,
// answer it, then close (an idle one closes at once).
class Drainable {
 public:
  virtual ~Drainable() = default;
  virtual void Drain() = 0;
};

class Connections {
 public:
  Connections(int64_t max, NetworkMetrics& metrics) : max_(max), metrics_(metrics) {}
  bool Full() const { return metrics_.Connections() >= max_; }
  bool Draining() const { return draining_; }
  void Refused() { metrics_.ConnectionRefused(); }
  // Registers a session; the returned slot is handed back by Closed().
  std::list<std::weak_ptr<Drainable>>::iterator Opened(std::weak_ptr<Drainable> session) {
    metrics_.ConnectionOpened();
    return sessions_.insert(sessions_.end(), std::move(session));
  }
  void Closed(std::list<std::weak_ptr<Drainable>>::iterator slot) {
    metrics_.ConnectionClosed();
    sessions_.erase(slot);
  }
  // Asks every open session to wind down; later ones are refused.
  void DrainAll() {
    draining_ = true;
    // Drain() may close a session, which erases it from the list: iterate a copy.
    const std::list<std::weak_ptr<Drainable>> sessions = sessions_;
    for (const auto& weak : sessions)
      if (auto session = weak.lock()) session->Drain();
  }

 private:
  int64_t max_;
  NetworkMetrics& metrics_;
  bool draining_ = false;
  std::list<std::weak_ptr<Drainable>> sessions_;
};

// A session's place in Connections, given back when the session ends: both
// ports' sessions hold one, so the count can never drift.
class Registration {
 public:
  Registration() = default;
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;
  ~Registration() {
    if (connections_) connections_->Closed(slot_);
  }
  void Register(Connections& connections, std::weak_ptr<Drainable> session) {
    connections_ = &connections;
    slot_ = connections.Opened(std::move(session));
  }

 private:
  Connections* connections_ = nullptr;
  std::list<std::weak_ptr<Drainable>>::iterator slot_;
};

}  // namespace questline::daemon
