#include "connect_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace kerntune::testing {

ConnectProxy::ConnectProxy(std::string required_authorization)
    : required_(std::move(required_authorization)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 16) != 0)
        throw std::runtime_error("test proxy: cannot listen");
    socklen_t length = sizeof address;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

ConnectProxy::~ConnectProxy() {
    stop();
}

std::vector<std::string> ConnectProxy::targets() const {
    std::lock_guard lock(mutex_);
    return targets_;
}

void ConnectProxy::stop() {
    if (stopping_.exchange(true))
        return;
    acceptor_.join();
    ::close(listen_fd_);
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        for (int fd : fds_)
            ::shutdown(fd, SHUT_RDWR);
        threads.swap(threads_);
    }
    for (auto& t : threads)
        t.join();
}

void ConnectProxy::accept_loop() {
    while (!stopping_.load()) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0)
            continue;
        const int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0)
            continue;
        std::lock_guard lock(mutex_);
        fds_.insert(fd);
        threads_.emplace_back([this, fd] { serve(fd); });
    }
}

void ConnectProxy::serve(int client) {
    const auto forget = [this](int fd) {
        std::lock_guard lock(mutex_);
        fds_.erase(fd);
        ::close(fd);
    };
    std::string head;
    char data[16384];
    while (head.find("\r\n\r\n") == std::string::npos) {
        const auto n = ::recv(client, data, sizeof data, 0);
        if (n <= 0)
            return forget(client);
        head.append(data, static_cast<std::size_t>(n));
    }
    const auto end = head.find("\r\n\r\n");
    const std::string leftover = head.substr(end + 4);
    head.resize(end);
    const auto send_all = [](int fd, std::string_view bytes) {
        while (!bytes.empty()) {
            const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    };
    if (head.rfind("CONNECT ", 0) != 0) {
        send_all(client, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
        return forget(client);
    }
    const auto space = head.find(' ', 8);
    const std::string target = head.substr(8, space - 8);
    {
        std::lock_guard lock(mutex_);
        targets_.push_back(target);
    }
    if (!required_.empty() && head.find("Proxy-Authorization: " + required_) == std::string::npos) {
        send_all(client, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
        return forget(client);
    }
    const auto colon = target.rfind(':');
    const int port = std::stoi(target.substr(colon + 1));
    const int upstream = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::connect(upstream, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(upstream);
        send_all(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
        return forget(client);
    }
    {
        std::lock_guard lock(mutex_);
        fds_.insert(upstream);
    }
    send_all(client, "HTTP/1.1 200 Connection Established\r\n\r\n");
    if (!leftover.empty())
        send_all(upstream, leftover);
    pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
    while (!stopping_.load()) {
        if (::poll(fds, 2, 50) <= 0)
            continue;
        bool done = false;
        for (int i = 0; i < 2 && !done; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            const auto n = ::recv(fds[i].fd, data, sizeof data, 0);
            if (n <= 0 ||
                !send_all(fds[1 - i].fd, std::string_view(data, static_cast<std::size_t>(n))))
                done = true;
        }
        if (done)
            break;
    }
    forget(upstream);
    forget(client);
}

} // namespace kerntune::testing
