#pragma once
// HTTP exchanges as the LLM client sees them, and the Transport interface that the Beast client,
// the transcript recorder and the transcript player implement.

#include "core/errors/error_kind.hpp"
#include "core/net/cancel.hpp"
#include "core/net/proxy.hpp"
#include "core/net/url.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kerntune::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method = "POST";
    Url url;            // scheme, host and port of the server
    std::string target; // "/v1/chat/completions"
    Headers headers;    // besides Host, User-Agent, Content-Length (added by the client)
    std::string body;
};

struct HttpResponse {
    int status = 0;
    std::string reason;
    Headers headers;
    std::string body;      // empty when the body went to a StreamHandler
    bool streamed = false; // the body went to a StreamHandler

    // The first value of header `name` (case-insensitive), if any.
    std::optional<std::string> header(std::string_view name) const;
};

// Receives a response body as it arrives instead of having it buffered.
struct StreamHandler {
    // Called once the status and headers are in; true streams the body to on_data, false
    // buffers it into HttpResponse::body (say, a JSON error instead of an event stream).
    std::function<bool(const HttpResponse& head)> accept;
    // Each piece of body as it arrives; false stops reading (the call ends with Code::aborted).
    std::function<bool(std::string_view bytes)> on_data;
};

struct HttpOptions {
    std::chrono::milliseconds connect_timeout{10'000};     // DNS, TCP, proxy CONNECT and TLS
    std::chrono::milliseconds first_byte_timeout{600'000}; // request sent -> response headers
    std::chrono::milliseconds idle_timeout{120'000};       // silence between body bytes
    std::chrono::milliseconds total_timeout{1'800'000};    // the whole exchange
    std::size_t max_response_bytes = 32u << 20;
    std::size_t max_header_bytes = 64u << 10;
    std::string ca_file;    // PEM bundle trusted in addition to the system store
    bool verify_tls = true; // false: no certificate checks at all (warned about by callers)
    ProxyConfig proxy;      // ProxyConfig::from_environment() for the usual behaviour
    std::size_t max_idle_per_origin = 8;
    std::chrono::milliseconds keep_alive_idle{30'000}; // pooled connections older than this close
    std::string user_agent = "kerntune";
};

// Why an exchange produced no response. what() names the server and what to do.
class NetError : public KindedError {
public:
    enum class Code {
        resolve,         // DNS
        connect,         // refused, unreachable
        tls,             // handshake or certificate verification
        proxy,           // the proxy refused or broke the tunnel
        closed,          // the server closed or reset the connection
        timeout_connect, //
        timeout_first_byte,
        timeout_idle,
        timeout_total,
        too_large, // the response passed max_response_bytes or max_header_bytes
        protocol,  // not HTTP/1.x
        truncated, // the body ended before its length
        cancelled, // CancelToken
        aborted,   // StreamHandler::on_data returned false
    };
    NetError(Code code, bool nothing_received, const std::string& message);
    Code code() const noexcept { return code_; }
    // No byte of a response arrived: the request can be repeated without a duplicate answer
    // having been seen.
    bool nothing_received() const noexcept { return nothing_received_; }

private:
    Code code_;
    bool nothing_received_;
};

std::string_view name(NetError::Code code);

class Transport {
public:
    virtual ~Transport() = default;
    // One exchange; throws NetError. Thread-safe: several calls may be in flight at once.
    virtual HttpResponse send(const HttpRequest& request, const CancelToken* cancel = nullptr,
                              const StreamHandler* stream = nullptr) = 0;
};

} // namespace kerntune::net
