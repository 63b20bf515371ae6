#include "core/llm/transcript.hpp"

#include "core/llm/errors.hpp"
#include "core/llm/json_util.hpp"
#include "core/text/utf8.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace kerntune::llm {
namespace json = boost::json;

namespace {

constexpr const char* kept_headers[] = {"content-type",   "retry-after",     "retry-after-ms",
                                        "x-should-retry", "x-request-id",    "request-id",
                                        "location",       "content-encoding"};

constexpr char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view in) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : in) {
        buffer = buffer << 8 | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(b64[(buffer >> bits) & 63]);
        }
    }
    if (bits > 0)
        out.push_back(b64[(buffer << (6 - bits)) & 63]);
    while (out.size() % 4)
        out.push_back('=');
    return out;
}

std::string base64_decode(std::string_view in) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : in) {
        const char* at = std::char_traits<char>::find(b64, 64, c);
        if (!at)
            continue; // '=' and whitespace
        buffer = buffer << 6 | static_cast<std::uint32_t>(at - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    return out;
}

std::string scrub(std::string text, const std::vector<std::string>& secrets) {
    for (const auto& secret : secrets) {
        if (secret.empty())
            continue;
        for (auto pos = text.find(secret); pos != std::string::npos;
             pos = text.find(secret, pos + 10))
            text.replace(pos, secret.size(), "[REDACTED]");
    }
    return text;
}

std::string canonical_body(const std::string& body) {
    if (body.empty())
        return {};
    if (const auto v = parse_lenient(body))
        return canonical_json(*v);
    return body;
}

json::value chunk_value(const std::string& chunk) {
    if (text::is_valid_utf8(chunk))
        return json::string(chunk);
    return json::object{{"base64", base64_encode(chunk)}};
}

std::string chunk_text(const json::value& v) {
    if (v.is_string())
        return std::string(v.get_string());
    if (const auto* b = member(v, "base64"); b && b->is_string())
        return base64_decode(b->get_string());
    throw std::invalid_argument("a chunk is neither a string nor {\"base64\": ...}");
}

} // namespace

std::string request_key(const net::HttpRequest& request) {
    const std::string text =
        request.method + " " + request.target + "\n" + canonical_body(request.body);
    std::uint64_t hash = 1469598103934665603ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
    return out;
}

RecordingTransport::RecordingTransport(std::shared_ptr<net::Transport> inner, std::string path,
                                       std::vector<std::string> secrets)
    : inner_(std::move(inner)), path_(std::move(path)), secrets_(std::move(secrets)) {
    std::ofstream probe(path_, std::ios::app);
    if (!probe)
        throw std::invalid_argument("cannot write the transcript '" + path_ + "'");
}

net::HttpResponse RecordingTransport::send(const net::HttpRequest& request,
                                           const net::CancelToken* cancel,
                                           const net::StreamHandler* stream) {
    std::vector<std::string> chunks;
    net::StreamHandler tap;
    if (stream) {
        tap.accept = stream->accept;
        tap.on_data = [&](std::string_view bytes) {
            chunks.emplace_back(bytes);
            return stream->on_data(bytes);
        };
    }
    net::HttpResponse response = inner_->send(request, cancel, stream ? &tap : nullptr);
    if (!response.streamed)
        chunks = {response.body};
    json::object headers;
    for (const auto& [name, value] : response.headers)
        for (const char* kept : kept_headers)
            if (boost::beast::iequals(name, kept))
                headers[kept] = scrub(text::to_valid_utf8(value), secrets_);
    json::array chunk_array;
    for (const auto& chunk : chunks)
        chunk_array.push_back(chunk_value(scrub(chunk, secrets_)));
    const std::string body = scrub(canonical_body(request.body), secrets_);
    json::value request_body;
    if (auto parsed = parse_lenient(body))
        request_body = std::move(*parsed);
    else
        request_body = json::string(text::to_valid_utf8(body));
    json::object line{{"key", request_key(request)},
                      {"method", request.method},
                      {"target", scrub(request.target, secrets_)},
                      {"request", std::move(request_body)},
                      {"status", response.status},
                      {"reason", text::to_valid_utf8(response.reason)},
                      {"headers", std::move(headers)},
                      {"streamed", response.streamed},
                      {"chunks", std::move(chunk_array)}};
    std::lock_guard lock(mutex_);
    std::ofstream out(path_, std::ios::app);
    out << json::serialize(line) << '\n';
    if (!out)
        throw std::runtime_error("cannot append to the transcript '" + path_ + "'");
    return response;
}

ReplayTransport::ReplayTransport(const std::string& path) : path_(path) {
    std::ifstream in(path);
    if (!in)
        throw std::invalid_argument("cannot read the transcript '" + path +
                                    "'; record one first with --record");
    std::string text;
    for (int number = 1; std::getline(in, text); ++number) {
        if (text.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        try {
            const auto v = json::parse(text);
            Exchange exchange;
            exchange.status = static_cast<int>(int_member(v, "status"));
            exchange.reason = string_member(v, "reason");
            if (const auto* headers = member(v, "headers"); headers && headers->is_object())
                for (const auto& h : headers->get_object())
                    if (h.value().is_string())
                        exchange.headers.emplace_back(std::string(h.key()),
                                                      std::string(h.value().get_string()));
            if (const auto* chunks = member(v, "chunks"); chunks && chunks->is_array())
                for (const auto& chunk : chunks->get_array())
                    exchange.chunks.push_back(chunk_text(chunk));
            const std::string key = string_member(v, "key");
            if (key.empty() || exchange.status == 0)
                throw std::invalid_argument("no key or status");
            exchanges_[key].push_back(std::move(exchange));
            ++count_;
        } catch (const std::exception& e) {
            throw std::invalid_argument("the transcript '" + path + "' is broken at line " +
                                        std::to_string(number) + ": " + e.what());
        }
    }
}

net::HttpResponse ReplayTransport::send(const net::HttpRequest& request,
                                        const net::CancelToken* cancel,
                                        const net::StreamHandler* stream) {
    if (cancel && cancel->cancelled())
        throw net::NetError(net::NetError::Code::cancelled, true, "the call was cancelled");
    const std::string key = request_key(request);
    Exchange exchange;
    {
        std::lock_guard lock(mutex_);
        auto it = exchanges_.find(key);
        if (it == exchanges_.end() || it->second.empty()) {
            LlmError e(LlmError::Category::protocol,
                       "replay: no exchange in the transcript '" + path_ + "' matches " +
                           request.method + " " + request.target + " (request key " + key +
                           "); the request differs from every recorded one, so re-record the "
                           "transcript");
            e.retryable = false;
            throw e;
        }
        exchange = it->second.front();
        if (it->second.size() > 1)
            it->second.pop_front();
    }
    net::HttpResponse response;
    response.status = exchange.status;
    response.reason = exchange.reason;
    response.headers = exchange.headers;
    if (stream && stream->accept && stream->accept(response)) {
        response.streamed = true;
        for (const auto& chunk : exchange.chunks)
            if (!stream->on_data(chunk))
                throw net::NetError(net::NetError::Code::aborted, false,
                                    "the response stream was stopped by its reader");
    } else {
        for (const auto& chunk : exchange.chunks)
            response.body += chunk;
    }
    return response;
}

} // namespace kerntune::llm
