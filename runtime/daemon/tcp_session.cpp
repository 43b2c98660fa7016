#include "runtime/daemon/tcp_session.h"

#include <algorithm>
#include <chrono>

#include <boost/asio/write.hpp>

#include "runtime/daemon/router.h"

namespace questline::daemon {

namespace asio = boost::asio;
namespace beast = boost::beast;

TcpSession::TcpSession(asio::ip::tcp::socket socket, EngineHost& host, EngineWorker& worker, const Limits& limits,
                       Connections& connections)
    : StreamSession(std::move(socket), connections), host_(host), worker_(worker), limits_(limits) {}

void TcpSession::Start() {
  Register(weak_from_this());
  Read();
}

void TcpSession::Read() {
  if (draining_ || ended_) return Close();
  // Only a line in progress has a deadline: a producer may be quiet between lines.
  if (partial_.empty() && !skipping_) stream_.expires_never();
  else stream_.expires_at(partial_since_ + std::chrono::milliseconds(limits_.read_timeout_ms));
  stream_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](beast::error_code ec, size_t n) {
    self->OnRead(ec, n);
  });
}

void TcpSession::OnRead(beast::error_code ec, size_t n) {
  if (ec == asio::error::eof) {
    ended_ = true;
    TakeLines(true);
    return Next();
  }
  if (ec) return Close();
  const size_t max = size_t(limits_.max_event_bytes);
  if (partial_.empty() && !skipping_) partial_since_ = std::chrono::steady_clock::now();
  std::string_view data(chunk_.data(), n);
  if (skipping_) {   // the rest of an oversize line: dropped up to its end
    const size_t nl = data.find('\n');
    skipped_bytes_ += nl == std::string_view::npos ? data.size() : nl;
    if (nl == std::string_view::npos) return Read();
    ++lines_;
    Pending p{std::make_shared<std::string>(), {}, lines_};
    p.batch.rejected.push_back({lines_, TooLong(skipped_bytes_, max)});
    waiting_.push_back(std::move(p));
    skipping_ = false;
    data.remove_prefix(nl + 1);
    partial_since_ = std::chrono::steady_clock::now();
  }
  partial_.append(data);
  TakeLines(false);
  if (partial_.size() > max) {   // no end in sight: stop buffering it
    skipping_ = true;
    skipped_bytes_ = partial_.size();
    partial_.clear();
  }
  Next();
}

void TcpSession::TakeLines(bool at_end) {
  size_t end = partial_.rfind('\n');
  if (at_end && !partial_.empty() && end != partial_.size() - 1) {
    partial_ += '\n';
    end = partial_.size() - 1;
  }
  if (end == std::string::npos) return;
  auto text = std::make_shared<const std::string>(partial_.substr(0, end + 1));
  partial_.erase(0, end + 1);
  const uint64_t first = lines_ + 1;
  lines_ += uint64_t(std::count(text->begin(), text->end(), '\n'));
  Batch all;
  SplitNdjson(*text, first, size_t(limits_.max_event_bytes), &all);
  // Cut at max_batch_events lines (good and rejected ones alike, in line
  // order), each part answered on its own.
  const size_t step = size_t(limits_.max_batch_events);
  const std::vector<BatchLine>& good = all.lines;
  const std::vector<io::Rejection>& bad = all.rejected;
  size_t g = 0, b = 0;
  while (g < good.size() || b < bad.size()) {
    Pending p{text, {}, lines_};
    for (size_t n = 0; n < step && (g < good.size() || b < bad.size()); ++n) {
      if (b < bad.size() && (g == good.size() || bad[b].line < good[g].line)) p.batch.rejected.push_back(bad[b++]);
      else p.batch.lines.push_back(good[g++]);
    }
    // A part before the last covers the lines up to the next part's first.
    if (g < good.size() || b < bad.size())
      p.last_line = std::min(g < good.size() ? good[g].line : UINT64_MAX, b < bad.size() ? bad[b].line : UINT64_MAX) - 1;
    waiting_.push_back(std::move(p));
  }
}

void TcpSession::Next() {
  if (waiting_.empty()) return Read();
  busy_ = true;
  auto pending = std::make_shared<Pending>(std::move(waiting_.front()));
  waiting_.pop_front();
  // Answered once the group the batch joins is durable and applied.
  worker_.RunDeferred<std::string>(
      [this, pending](std::function<void(std::string)> answer) {
        host_.Stage(pending->batch, [pending, answer = std::move(answer)](IngestResult result) {
          answer(IngestJson(result, int64_t(pending->last_line)));
        });
      },
      [self = shared_from_this()](std::string answer) {
        auto line = std::make_shared<std::string>(std::move(answer));
        asio::async_write(self->stream_, asio::buffer(*line), [self, line](beast::error_code ec, size_t) {
          self->busy_ = false;
          if (ec) return self->Close();
          // Draining: the batches already read are still answered.
          self->Next();
        });
      });
}

}  // namespace questline::daemon
