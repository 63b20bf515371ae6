#pragma once
// http and https URLs, as endpoints and proxies are given.

#include <cstdint>
#include <string>
#include <string_view>

namespace kerntune::net {

struct Url {
    std::string scheme; // "http" or "https"
    std::string host;   // without brackets for IPv6 literals
    std::uint16_t port = 0;
    std::string path;     // "/v1" or "" (no trailing slash), query included
    std::string userinfo; // "user:password" (proxies only), percent-decoded

    bool tls() const { return scheme == "https"; }
    // "host:port" (brackets around IPv6), as CONNECT and the Host header want it.
    std::string authority() const;
    // The Host header: the port only when it is not the scheme's default.
    std::string host_header() const;
    // scheme://authority, the identity of a connection.
    std::string origin() const;
    // `path` with `suffix` appended ("/v1" + "/models").
    std::string target(std::string_view suffix) const;
};

// Throws std::invalid_argument with a message that names what is wrong.
Url parse_url(std::string_view text);

// True for IPv4 and IPv6 literals.
bool is_ip_literal(std::string_view host);

} // namespace kerntune::net
