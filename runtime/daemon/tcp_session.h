// One connection of the TCP NDJSON port: the lines of POST /v1/events, as a
// stream. The complete lines of each read form a batch (at most
// max_batch_events lines; more make several), answered by one line
// {accepted, duplicates, rejected: [{line, reason}], last_line}; line numbers
// count from the connection's first line, so an answer names its lines
// however the stream was cut into reads. A line over max_event_bytes is
// rejected alone; a line begun and not finished within read_timeout closes
// the connection (an idle one, between lines, may stay).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "runtime/daemon/batch.h"
#include "runtime/daemon/stream_session.h"
#include "runtime/daemon/engine_host.h"
#include "runtime/daemon/engine_worker.h"

namespace questline::daemon {

class TcpSession final : public StreamSession, public std::enable_shared_from_this<TcpSession> {
 public:
  TcpSession(boost::asio::ip::tcp::socket socket, EngineHost& host, EngineWorker& worker, const Limits& limits,
             Connections& connections);
  void Start();

 private:
  // A batch and the text its lines point into.
  struct Pending {
    std::shared_ptr<const std::string> text;
    Batch batch;
    uint64_t last_line;
  };
  void Read();
  void OnRead(boost::system::error_code ec, size_t n);
  // Cuts the complete lines read so far into batches; `at_end` takes an
  // unterminated last line too.
  void TakeLines(bool at_end);
  void Next();   // runs the first waiting batch, or reads

  std::array<char, 64 * 1024> chunk_;
  std::string partial_;                 // an unfinished line
  bool skipping_ = false;               // the unfinished line is over the limit: dropped as it comes
  size_t skipped_bytes_ = 0;
  std::chrono::steady_clock::time_point partial_since_;
  uint64_t lines_ = 0;                  // lines ended so far
  std::deque<Pending> waiting_;
  EngineHost& host_;
  EngineWorker& worker_;
  const Limits& limits_;
  bool ended_ = false;                  // the client closed its side
};

}  // namespace questline::daemon
