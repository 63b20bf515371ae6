#include "core/net/url.hpp"

#include "core/text/ascii.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

namespace kerntune::net {
namespace {

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            int value = 0;
            const auto [end, ec] =
                std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
            if (ec == std::errc() && end == text.data() + i + 3) {
                out.push_back(static_cast<char>(value));
                i += 2;
                continue;
            }
        }
        out.push_back(text[i]);
    }
    return out;
}

} // namespace

std::string Url::authority() const {
    const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return h + ":" + std::to_string(port);
}

std::string Url::host_header() const {
    const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    const bool default_port = (tls() && port == 443) || (!tls() && port == 80);
    return default_port ? h : h + ":" + std::to_string(port);
}

std::string Url::origin() const {
    return scheme + "://" + authority();
}

std::string Url::target(std::string_view suffix) const {
    std::string out = path;
    if (!suffix.empty() && suffix.front() != '/')
        out.push_back('/');
    out += suffix;
    return out.empty() ? "/" : out;
}

Url parse_url(std::string_view text) {
    const auto fail = [&](const std::string& why) -> Url {
        throw std::invalid_argument("'" + std::string(text) + "' is not a usable URL: " + why);
    };
    Url url;
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos)
        return fail("it has no scheme; write it as http://host:port/... or https://...");
    url.scheme = text::lower(text.substr(0, scheme_end));
    if (url.scheme != "http" && url.scheme != "https")
        return fail("only http and https are supported, not '" + url.scheme + "'");
    std::string_view rest = text.substr(scheme_end + 3);
    const auto path_start = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, path_start);
    std::string_view path = path_start == std::string_view::npos ? "" : rest.substr(path_start);
    if (const auto hash = path.find('#'); hash != std::string_view::npos)
        path = path.substr(0, hash);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        url.userinfo = percent_decode(authority.substr(0, at));
        authority = authority.substr(at + 1);
    }
    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            return fail("an IPv6 address lacks its closing ']'");
        url.host = std::string(authority.substr(1, close - 1));
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                return fail("unexpected text after the IPv6 address");
            port_text = after.substr(1);
        }
    } else {
        const auto colon = authority.rfind(':');
        url.host = text::lower(authority.substr(0, colon));
        if (colon != std::string_view::npos)
            port_text = authority.substr(colon + 1);
    }
    if (url.host.empty())
        return fail("it has no host");
    if (port_text.empty()) {
        url.port = url.tls() ? 443 : 80;
    } else {
        unsigned value = 0;
        const auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
        if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
            value > 65535)
            return fail("the port '" + std::string(port_text) + "' is not a number in 1-65535");
        url.port = static_cast<std::uint16_t>(value);
    }
    url.path = std::string(path);
    while (!url.path.empty() && url.path.back() == '/')
        url.path.pop_back();
    return url;
}

bool is_ip_literal(std::string_view host) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(std::string(host), ec);
    return !ec;
}

} // namespace kerntune::net
