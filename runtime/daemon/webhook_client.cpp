#include "runtime/daemon/webhook_client.h"

#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace questline::daemon {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// A private io_context run to completion per request: the async operations
// are there for their deadlines (beast::tcp_stream::expires_after), not for
// concurrency.
struct WebhookClient::State {
  HttpUrl url;
  std::chrono::milliseconds timeout;
  asio::io_context context;
  std::optional<beast::tcp_stream> stream;   // set while a connection is open
  beast::flat_buffer buffer;
};

WebhookClient::WebhookClient(HttpUrl url, std::chrono::milliseconds timeout) : state_(std::make_unique<State>()) {
  state_->url = std::move(url);
  state_->timeout = timeout;
}

WebhookClient::~WebhookClient() = default;

void WebhookClient::Cancel() {
  cancelled_ = true;
  state_->context.stop();
}

PostOutcome WebhookClient::Post(const std::string& body,
                                const std::vector<std::pair<std::string, std::string>>& headers) {
  // A kept-alive connection the receiver closed while idle fails at once
  // with no answer: that is not the receiver failing, so one fresh
  // connection is tried straight away before it counts as an attempt.
  const bool reused = bool(state_->stream);
  PostOutcome outcome = Attempt(body, headers);
  if (reused && outcome.status == 0 && !cancelled_ && outcome.error.rfind("closed:", 0) == 0)
    outcome = Attempt(body, headers);
  return outcome;
}

bool WebhookClient::Run() {
  State& s = *state_;
  s.context.restart();
  if (cancelled_) return false;   // Cancel's stop may have come before the restart
  s.context.run();
  return !cancelled_;
}

PostOutcome WebhookClient::Attempt(const std::string& body,
                                   const std::vector<std::pair<std::string, std::string>>& headers) {
  State& s = *state_;
  beast::error_code ec;
  if (!s.stream) {
    tcp::resolver resolver(s.context);
    const auto endpoints = resolver.resolve(s.url.host, std::to_string(s.url.port), ec);
    if (ec) return {0, "cannot resolve " + s.url.host + ": " + ec.message()};
    s.stream.emplace(s.context);
    s.buffer.clear();
    s.stream->expires_after(s.timeout);
    s.stream->async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    // Stopped: the handler never runs and must not (it points into this
    // frame); nothing runs this context again after Cancel.
    if (!Run()) return {0, "stopped"};
    if (ec) {
      s.stream.reset();
      return {0, "cannot connect to " + s.url.HostHeader() + ": " +
                     (ec == beast::error::timeout ? std::string("timed out") : ec.message())};
    }
  }
  http::request<http::string_body> request{http::verb::post, s.url.target, 11};
  request.set(http::field::host, s.url.HostHeader());
  request.set(http::field::user_agent, "questd");
  request.set(http::field::content_type, "application/x-ndjson");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.keep_alive(true);
  request.body() = body;
  request.prepare_payload();
  // One deadline for the write and the answer together.
  s.stream->expires_after(s.timeout);
  http::response_parser<http::string_body> parser;
  parser.body_limit(1 << 20);   // a receiver's answer is read to keep the connection, not kept
  http::async_write(*s.stream, request, [&](beast::error_code e, size_t) {
    if (e) {
      ec = e;
      return;
    }
    http::async_read(*s.stream, s.buffer, parser, [&](beast::error_code e2, size_t) { ec = e2; });
  });
  if (!Run()) return {0, "stopped"};
  if (ec) {
    s.stream.reset();   // its state is unknown: the next attempt opens a new connection
    if (ec == beast::error::timeout) return {0, "no answer within the timeout"};
    const bool closed = !parser.got_some() && (ec == http::error::end_of_stream || ec == asio::error::eof ||
                                               ec == asio::error::connection_reset || ec == asio::error::broken_pipe);
    return {0, (closed ? "closed: " : "") + ec.message()};
  }
  PostOutcome outcome;
  outcome.status = int(parser.get().result_int());
  if (!parser.get().keep_alive()) s.stream.reset();
  return outcome;
}

}  // namespace questline::daemon
