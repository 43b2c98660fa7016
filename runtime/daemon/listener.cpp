#include "runtime/daemon/listener.h"

#include <boost/asio/write.hpp>

namespace questline::daemon {

namespace asio = boost::asio;
using asio::ip::tcp;

Listener::Listener(asio::io_context& context, Connections& connections, std::string refusal, Accept accept)
    : context_(context), acceptor_(context), connections_(connections), refusal_(std::move(refusal)),
      accept_(std::move(accept)) {}

bool Listener::Open(const ListenAddress& address, std::string* error) {
  boost::system::error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address(address.host, ec), address.port);
  if (!ec) acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) *error = "cannot listen on " + address.host + ":" + std::to_string(address.port) + ": " + ec.message();
  return !ec;
}

uint16_t Listener::Port() const { return acceptor_.local_endpoint().port(); }

void Listener::Start() { AcceptNext(); }

void Listener::Stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void Listener::AcceptNext() {
  acceptor_.async_accept(context_, [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;   // stopped
    if (!ec) {
      if (self->connections_.Full() || self->connections_.Draining()) self->Refuse(std::move(socket));
      else self->accept_(std::move(socket));
    }
    // A failed accept (EMFILE …) is not the listener's end: try the next one.
    self->AcceptNext();
  });
}

void Listener::Refuse(tcp::socket socket) {
  connections_.Refused();
  auto held = std::make_shared<tcp::socket>(std::move(socket));
  asio::async_write(*held, asio::buffer(refusal_), [self = shared_from_this(), held](boost::system::error_code, size_t) {
    boost::system::error_code ignored;
    held->shutdown(tcp::socket::shutdown_both, ignored);
    held->close(ignored);
  });
}

}  // namespace questline::daemon
