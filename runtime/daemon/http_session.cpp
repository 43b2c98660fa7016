#include "runtime/daemon/http_session.h"

#include <chrono>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "runtime/daemon/log.h"

namespace questline::daemon {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

HttpSession::HttpSession(asio::ip::tcp::socket socket, RequestHandler& router, const Limits& limits,
                         Connections& connections)
    : StreamSession(std::move(socket), connections), router_(router), limits_(limits) {}

void HttpSession::Start() {
  Register(weak_from_this());
  ReadHeader();
}

void HttpSession::ReadHeader() {
  if (draining_) return Close();
  parser_.emplace();
  parser_->header_limit(uint32_t(limits_.max_header_bytes));
  parser_->body_limit(uint64_t(limits_.max_body_bytes));
  // One deadline for the whole request, idle wait included: a client that
  // trickles a byte at a time cannot hold the connection open for ever.
  stream_.expires_after(std::chrono::milliseconds(limits_.read_timeout_ms));
  http::async_read_header(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
}

void HttpSession::OnHeader(beast::error_code ec) {
  if (ec) return OnRequest(ec);
  auto& request = parser_->get();
  if (beast::iequals(request[http::field::expect], "100-continue")) {
    // curl and others wait for this before sending a large body.
    auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, request.version());
    return http::async_write(stream_, *interim, [self = shared_from_this(), interim](beast::error_code ec, size_t) {
      if (ec) return self->Close();
      self->ReadBody();
    });
  }
  ReadBody();
}

void HttpSession::ReadBody() {
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRequest(ec); });
}

void HttpSession::OnRequest(beast::error_code ec) {
  if (ec == http::error::body_limit)
    return Fail(413, "the request body is over limits.max_body_bytes (" + std::to_string(limits_.max_body_bytes) +
                         " bytes)");
  if (ec == http::error::header_limit)
    return Fail(431, "the request header is over limits.max_header_bytes (" +
                         std::to_string(limits_.max_header_bytes) + " bytes)");
  // Any other parse error is the client's malformed HTTP. Timeouts (Beast
  // has closed the socket already), resets and end of stream just close.
  if (ec && &ec.category() == &http::make_error_code(http::error::bad_method).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message)
    return Fail(400, "malformed HTTP request: " + ec.message());
  if (ec) return Close();
  busy_ = true;
  auto& in = parser_->get();
  version_ = in.version();
  const bool keep_alive = in.keep_alive();
  Request request{std::string(in.method_string()), std::string(in.target()),
                  std::string(in[http::field::authorization]), std::move(in.body())};
  router_.Handle(std::move(request), [self = shared_from_this(), keep_alive](Response response) {
    self->Write(std::move(response), keep_alive);
  });
}

void HttpSession::Fail(int status, const std::string& message) {
  Log(LogLevel::Debug, "HTTP " + std::to_string(status) + ": " + message);
  busy_ = true;
  Write(ErrorResponse(status, message), false);
}

void HttpSession::Write(Response response, bool keep_alive) {
  response_ = {};
  response_.version(version_);
  response_.result(unsigned(response.status));
  response_.set(http::field::server, "questd");
  response_.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) response_.set(name, value);
  response_.body() = std::move(response.body);
  response_.keep_alive(keep_alive && !draining_);
  response_.prepare_payload();
  stream_.expires_after(std::chrono::milliseconds(limits_.read_timeout_ms));   // a client that does not read
  http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, size_t) {
    self->busy_ = false;
    if (ec) return self->Close();
    if (!self->response_.keep_alive()) return self->Linger();
    self->ReadHeader();
  });
}

void HttpSession::Linger() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.expires_after(std::chrono::seconds(2));
  DiscardUntilEnd();
}

void HttpSession::DiscardUntilEnd() {
  auto scrap = std::make_shared<std::array<char, 4096>>();
  stream_.async_read_some(asio::buffer(*scrap), [self = shared_from_this(), scrap](beast::error_code ec, size_t) {
    if (ec) return self->Close();
    self->DiscardUntilEnd();
  });
}

}  // namespace questline::daemon
