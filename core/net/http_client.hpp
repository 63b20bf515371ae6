#pragma once
// The Beast transport: HTTP/1.1 over TCP or TLS, through a CONNECT proxy where configured, with
// pooled keep-alive connections. Each connection has its own io_context, run by the thread that
// uses it, so calls never wait on each other and need no background thread.

#include "core/net/http.hpp"

#include <memory>

namespace kerntune::net {

class HttpClient final : public Transport {
public:
    // Throws std::invalid_argument when the CA file cannot be loaded.
    explicit HttpClient(HttpOptions options = {});
    ~HttpClient() override;

    HttpResponse send(const HttpRequest& request, const CancelToken* cancel = nullptr,
                      const StreamHandler* stream = nullptr) override;

    const HttpOptions& options() const;
    // How many TCP connections this client has opened (tests check keep-alive reuse with it).
    std::size_t connections_opened() const;

    struct Impl; // the pool and the TLS context (http_client.cpp)

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace kerntune::net
