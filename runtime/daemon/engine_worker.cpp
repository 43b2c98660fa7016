#include "runtime/daemon/engine_worker.h"

#include <boost/asio/post.hpp>

namespace questline::daemon {

EngineWorker::EngineWorker(boost::asio::io_context& network)
    : network_(network), keep_alive_(boost::asio::make_work_guard(context_)) {}

EngineWorker::~EngineWorker() { Stop(); }

void EngineWorker::Start() {
  thread_ = std::thread([this] { context_.run(); });
}

void EngineWorker::Post(std::function<void()> task) { boost::asio::post(context_, std::move(task)); }

void EngineWorker::Reply(std::function<void()> answer) { boost::asio::post(network_, std::move(answer)); }

void EngineWorker::Stop() {
  keep_alive_.reset();   // run() returns once the queue is empty
  if (thread_.joinable()) thread_.join();
}

}  // namespace questline::daemon
