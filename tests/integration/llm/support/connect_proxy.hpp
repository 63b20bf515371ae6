#pragma once
// A loopback HTTP CONNECT proxy for the client's proxy tests: it tunnels to 127.0.0.1 only and
// records every CONNECT target it was asked for.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace kerntune::testing {

class ConnectProxy {
public:
    // `required_authorization`: the Proxy-Authorization value to insist on (407 otherwise).
    explicit ConnectProxy(std::string required_authorization = "");
    ~ConnectProxy();

    std::uint16_t port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::vector<std::string> targets() const; // "host:port" of each CONNECT
    void stop();

private:
    void accept_loop();
    void serve(int fd);

    std::string required_;
    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    std::vector<std::string> targets_;
    std::set<int> fds_;
    std::vector<std::thread> threads_;
    std::thread acceptor_;
};

} // namespace kerntune::testing
