// One HTTP/1.1 connection (Boost.Beast). Requests are read one at a time and
// each is answered before the next is read, so pipelined requests are
// answered in the order they came; keep-alive is the default. Limits: the
// header and body sizes (431, 413), a read deadline per request (408 for a
// request begun and not finished), and anything Beast cannot parse is a 400
// that closes this connection only.
#pragma once

#include <array>
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "runtime/daemon/stream_session.h"
#include "runtime/daemon/router.h"

namespace questline::daemon {

class HttpSession final : public StreamSession, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, RequestHandler& router, const Limits& limits, Connections& connections);
  void Start();

 protected:
  // A request partly received is in hand too: its client is sending it.
  bool InFlight() const override { return busy_ || (parser_ && parser_->got_some()); }

 private:
  void ReadHeader();
  void OnHeader(boost::system::error_code ec);
  void ReadBody();
  void OnRequest(boost::system::error_code ec);
  // Answers a request that could not be read whole (and closes after).
  void Fail(int status, const std::string& message);
  void Write(Response response, bool keep_alive);
  // Closing with unread bytes from the client would reset the connection
  // and could destroy the answer in flight (a 400 for a request whose body
  // was not read): our side is shut first, the client's bytes are read and
  // dropped until it closes (or 2 s pass), then the socket is closed.
  void Linger();
  void DiscardUntilEnd();

  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;   // alive while written
  RequestHandler& router_;
  const Limits& limits_;
  unsigned version_ = 11;   // of the request being answered
};

}  // namespace questline::daemon
