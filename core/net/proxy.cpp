#include "core/net/proxy.hpp"

#include "core/text/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace kerntune::net {
namespace {

std::string env(const char* lower_name, const char* upper_name) {
    if (const char* value = std::getenv(lower_name); value && *value)
        return value;
    if (const char* value = std::getenv(upper_name); value && *value)
        return value;
    return {};
}

std::optional<Url> proxy_url(const std::string& value) {
    if (value.empty())
        return std::nullopt;
    return parse_url(value.find("://") == std::string::npos ? "http://" + value : value);
}

} // namespace

ProxyConfig ProxyConfig::from_environment() {
    ProxyConfig config;
    const std::string all = env("all_proxy", "ALL_PROXY");
    const std::string https = env("https_proxy", "HTTPS_PROXY");
    // curl ignores upper-case HTTP_PROXY (CGI sets it from a request header); we follow suit only
    // when running as CGI, which kerntune never is, so both spellings count.
    const std::string http = env("http_proxy", "HTTP_PROXY");
    config.https_proxy = proxy_url(https.empty() ? all : https);
    config.http_proxy = proxy_url(http.empty() ? all : http);
    const std::string no = env("no_proxy", "NO_PROXY");
    std::size_t start = 0;
    while (start <= no.size()) {
        const auto comma = no.find(',', start);
        const std::string entry = text::trim(std::string_view(no).substr(
            start, comma == std::string::npos ? std::string::npos : comma - start));
        if (!entry.empty())
            config.no_proxy.push_back(entry);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return config;
}

std::optional<Url> ProxyConfig::proxy_for(const Url& target) const {
    const auto& proxy = target.tls() ? https_proxy : http_proxy;
    if (!proxy || no_proxy_matches(no_proxy, target.host, target.port))
        return std::nullopt;
    return proxy;
}

bool no_proxy_matches(const std::vector<std::string>& entries, std::string_view host_in,
                      unsigned port) {
    const std::string host = text::lower(host_in);
    for (const auto& raw : entries) {
        std::string entry = text::lower(raw);
        if (entry == "*")
            return true;
        // An optional ":port" (not inside an IPv6 literal).
        if (const auto colon = entry.rfind(':'); colon != std::string::npos &&
                                                 entry.find(']') == std::string::npos &&
                                                 entry.find(':') == colon) {
            if (entry.substr(colon + 1) != std::to_string(port))
                continue;
            entry.resize(colon);
        }
        if (entry.size() > 1 && entry.front() == '[' && entry.back() == ']')
            entry = entry.substr(1, entry.size() - 2);
        if (!entry.empty() && entry.front() == '.')
            entry.erase(0, 1);
        if (entry.empty())
            continue;
        if (host == entry)
            return true;
        if (host.size() > entry.size() && host.ends_with(entry) &&
            host[host.size() - entry.size() - 1] == '.')
            return true;
    }
    return false;
}

} // namespace kerntune::net
