// An accept loop on one port. Over max_connections a newcomer gets `refusal`
// (a 503 for HTTP, a JSON line for TCP) and is closed, so the connections
// already open keep their service.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "runtime/daemon/config.h"
#include "runtime/daemon/connections.h"

namespace questline::daemon {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  using Accept = std::function<void(boost::asio::ip::tcp::socket)>;
  Listener(boost::asio::io_context& context, Connections& connections, std::string refusal, Accept accept);
  // Binds and listens; false with `error` when it cannot (the port is taken…).
  bool Open(const ListenAddress& address, std::string* error);
  uint16_t Port() const;
  void Start();
  void Stop();

 private:
  void AcceptNext();
  void Refuse(boost::asio::ip::tcp::socket socket);
  boost::asio::io_context& context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Connections& connections_;
  std::string refusal_;
  Accept accept_;
};

}  // namespace questline::daemon
