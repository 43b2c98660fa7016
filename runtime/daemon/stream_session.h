// What an HTTP and a TCP session share: the stream, their place among the
// open connections, and winding down on shutdown (answer what is in hand,
// then close; an idle session closes at once).
#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "runtime/daemon/connections.h"

namespace questline::daemon {

class StreamSession : public Drainable {
 public:
  void Drain() override {
    draining_ = true;
    // Idle (waiting to read): nothing in hand to finish. The read ends with
    // operation_aborted, which closes.
    if (!InFlight()) stream_.cancel();
  }

 protected:
  StreamSession(boost::asio::ip::tcp::socket socket, Connections& connections)
      : stream_(std::move(socket)), connections_(connections) {}
  // Whether there is a request in hand that a shutdown must finish.
  virtual bool InFlight() const { return busy_; }
  void Register(std::weak_ptr<Drainable> self) { registration_.Register(connections_, std::move(self)); }
  void Close() {
    boost::beast::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  boost::beast::tcp_stream stream_;
  bool busy_ = false;       // a request is being handled or answered
  bool draining_ = false;   // answer what is in hand, then close

 private:
  Connections& connections_;
  Registration registration_;
};

}  // namespace questline::daemon
