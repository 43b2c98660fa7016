// The engine's thread: jobs run one at a time, in the order they were
// submitted, which is the order requests arrived on the network thread. The
// engine is single-writer and needs no lock; the network thread never waits
// for it (a slow batch delays the answers behind it, not /healthz).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace questline::daemon {

class EngineWorker {
 public:
  // Answers go back to `network` (the network thread's context).
  explicit EngineWorker(boost::asio::io_context& network);
  ~EngineWorker();
  EngineWorker(const EngineWorker&) = delete;
  EngineWorker& operator=(const EngineWorker&) = delete;

  void Start();
  // Runs `job` on the engine thread, then `done` with its result on the
  // network thread. The network context is kept running until `done` has run,
  // so a shutdown waits for every accepted request.
  template <class Result>
  void Run(std::function<Result()> job, std::function<void(Result)> done) {
    ++depth_;
    auto work = boost::asio::make_work_guard(network_);
    Post([this, job = std::move(job), done = std::move(done), work]() mutable {
      Result result = job();
      --depth_;
      Reply([done = std::move(done), result = std::move(result), work]() mutable { done(std::move(result)); });
    });
  }
  // The same for a job that answers later (group commit: once its group is
  // durable): `job` gets the function to call with its result, on the
  // engine thread, then or in a later task; `done` then runs with it on the
  // network thread, as for Run.
  template <class Result>
  void RunDeferred(std::function<void(std::function<void(Result)>)> job, std::function<void(Result)> done) {
    ++depth_;
    auto work = boost::asio::make_work_guard(network_);
    Post([this, job = std::move(job), done = std::move(done), work]() mutable {
      job([this, done = std::move(done), work](Result result) mutable {
        --depth_;
        Reply([done = std::move(done), result = std::move(result), work]() mutable { done(std::move(result)); });
      });
    });
  }
  // Runs `task` on the engine thread, with no answer (the wall clock's ticks).
  void Post(std::function<void()> task);
  boost::asio::io_context& Context() { return context_; }
  uint64_t QueueDepth() const { return depth_; }
  // Lets the queued jobs finish, then joins the thread.
  void Stop();

 private:
  void Reply(std::function<void()> answer);
  boost::asio::io_context& network_;
  boost::asio::io_context context_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_alive_;
  std::thread thread_;
  std::atomic<uint64_t> depth_{0};
};

}  // namespace questline::daemon
