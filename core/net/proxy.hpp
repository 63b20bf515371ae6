#pragma once
// Which proxy (if any) a request goes through: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as curl reads
// them. Every request through a proxy is tunnelled with CONNECT.

#include "core/net/url.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kerntune::net {

struct ProxyConfig {
    std::optional<Url> http_proxy;  // for http:// targets
    std::optional<Url> https_proxy; // for https:// targets
    // NO_PROXY entries: "*", a host name (matches it and its subdomains), ".domain", an IP
    // literal; a ":port" suffix restricts the entry to that port.
    std::vector<std::string> no_proxy;

    // From https_proxy/HTTPS_PROXY, http_proxy/HTTP_PROXY, all_proxy/ALL_PROXY and
    // no_proxy/NO_PROXY (lower case wins, as in curl). A proxy value without a scheme is taken
    // as http://. Throws std::invalid_argument for a value that is not a URL.
    static ProxyConfig from_environment();

    // The proxy for `target`, or nothing for a direct connection.
    std::optional<Url> proxy_for(const Url& target) const;
};

// True when NO_PROXY `entries` exempt `host`:`port`.
bool no_proxy_matches(const std::vector<std::string>& entries, std::string_view host,
                      unsigned port);

} // namespace kerntune::net
