#include "core/net/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>

namespace kerntune::net {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

ErrorKind kind_of(NetError::Code code) {
    switch (code) {
    case NetError::Code::timeout_connect:
    case NetError::Code::timeout_first_byte:
    case NetError::Code::timeout_idle:
    case NetError::Code::timeout_total:
        return ErrorKind::timeout;
    case NetError::Code::cancelled:
    case NetError::Code::aborted:
        return ErrorKind::cancelled;
    default:
        return ErrorKind::unavailable;
    }
}

std::string base64(std::string_view in) {
    static constexpr char table[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v =
            (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
        out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63]};
    }
    if (i + 1 == in.size()) {
        const unsigned v = (unsigned char)in[i] << 16;
        out += {table[v >> 18], table[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == in.size()) {
        const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
        out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
    }
    return out;
}

std::string ms(std::chrono::milliseconds d) {
    return std::to_string(d.count()) + " ms";
}

// One kept-alive connection: a socket (maybe wrapped in TLS) and the io_context it lives on.
struct Connection {
    asio::io_context ioc{1};
    tcp::socket socket{ioc};
    std::unique_ptr<ssl::stream<tcp::socket>> tls;
    beast::flat_buffer buffer;
    std::string key;
    Clock::time_point idle_since;

    tcp::socket& lowest() { return tls ? tls->next_layer() : socket; }
};

struct Waiter {
    bool done = false;
    error_code ec;
    std::size_t bytes = 0;
};

enum class Phase { connect, first_byte, idle };

} // namespace

NetError::NetError(Code code, bool nothing_received, const std::string& message)
    : KindedError(kind_of(code), message), code_(code), nothing_received_(nothing_received) {}

std::string_view name(NetError::Code code) {
    switch (code) {
    case NetError::Code::resolve:
        return "resolve";
    case NetError::Code::connect:
        return "connect";
    case NetError::Code::tls:
        return "tls";
    case NetError::Code::proxy:
        return "proxy";
    case NetError::Code::closed:
        return "closed";
    case NetError::Code::timeout_connect:
        return "timeout_connect";
    case NetError::Code::timeout_first_byte:
        return "timeout_first_byte";
    case NetError::Code::timeout_idle:
        return "timeout_idle";
    case NetError::Code::timeout_total:
        return "timeout_total";
    case NetError::Code::too_large:
        return "too_large";
    case NetError::Code::protocol:
        return "protocol";
    case NetError::Code::truncated:
        return "truncated";
    case NetError::Code::cancelled:
        return "cancelled";
    case NetError::Code::aborted:
        return "aborted";
    }
    return "unknown";
}

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (beast::iequals(key, name))
            return value;
    return std::nullopt;
}

struct HttpClient::Impl {
    HttpOptions options;
    ssl::context tls_context{ssl::context::tls_client};
    std::mutex mutex;
    std::map<std::string, std::vector<std::unique_ptr<Connection>>> pool;
    std::atomic<std::size_t> opened{0};

    explicit Impl(HttpOptions o) : options(std::move(o)) {
        SSL_CTX_set_min_proto_version(tls_context.native_handle(), TLS1_2_VERSION);
        error_code ec;
        tls_context.set_default_verify_paths(ec); // a missing system store is not fatal
        if (!options.ca_file.empty()) {
            tls_context.load_verify_file(options.ca_file, ec);
            if (ec)
                throw std::invalid_argument("cannot load the CA file '" + options.ca_file +
                                            "': " + ec.message() +
                                            "; give a PEM file of trusted certificates");
        }
        tls_context.set_verify_mode(options.verify_tls ? ssl::verify_peer : ssl::verify_none);
    }

    std::unique_ptr<Connection> take(const std::string& key) {
        std::lock_guard lock(mutex);
        auto it = pool.find(key);
        if (it == pool.end())
            return nullptr;
        auto& list = it->second;
        const auto now = Clock::now();
        while (!list.empty()) {
            auto connection = std::move(list.back());
            list.pop_back();
            if (now - connection->idle_since < options.keep_alive_idle)
                return connection;
        }
        return nullptr;
    }

    void give_back(std::unique_ptr<Connection> connection) {
        connection->idle_since = Clock::now();
        std::lock_guard lock(mutex);
        auto& list = pool[connection->key];
        if (list.size() < options.max_idle_per_origin)
            list.push_back(std::move(connection));
    }
};

namespace {

// One exchange on one connection. Every asynchronous operation is started on the connection's
// io_context and run on this thread until it completes, the deadline passes (the socket is closed
// and the operation fails) or the CancelToken fires (same).
class Exchange {
public:
    Exchange(HttpClient::Impl& client, Connection& c, const HttpRequest& request,
             const std::optional<Url>& proxy, const CancelToken* cancel,
             const StreamHandler* stream, Clock::time_point total_deadline)
        : client_(client), c_(c), request_(request), proxy_(proxy), cancel_(cancel),
          stream_(stream), total_deadline_(total_deadline), resolver_(c.ioc) {
        if (cancel_)
            registration_ = cancel_->on_cancel([this] {
                asio::post(c_.ioc, [this] {
                    cancelled_ = true;
                    abort();
                });
            });
    }

    // Opens the connection (proxy tunnel and TLS included).
    void open() {
        const Url& first_hop = proxy_ ? *proxy_ : request_.url;
        check_cancel(true);
        const auto connect_deadline = Clock::now() + client_.options.connect_timeout;
        tcp::resolver::results_type endpoints;
        {
            Waiter w;
            resolver_.async_resolve(first_hop.host, std::to_string(first_hop.port),
                                    [&](error_code ec, tcp::resolver::results_type results) {
                                        w.ec = ec;
                                        endpoints = std::move(results);
                                        w.done = true;
                                    });
            wait(w, connect_deadline, Phase::connect, true);
            if (w.ec)
                throw NetError(NetError::Code::resolve, true,
                               "cannot resolve '" + first_hop.host + "': " + w.ec.message() +
                                   "; check the host name in the URL");
        }
        {
            Waiter w;
            asio::async_connect(c_.socket, endpoints, [&](error_code ec, const tcp::endpoint&) {
                w.ec = ec;
                w.done = true;
            });
            wait(w, connect_deadline, Phase::connect, true);
            if (w.ec)
                throw NetError(NetError::Code::connect, true,
                               "cannot connect to " + first_hop.authority() +
                                   (proxy_ ? " (the proxy)" : "") + ": " + w.ec.message() +
                                   "; is the server running and the port right?");
            ++client_.opened;
            error_code ignored;
            c_.socket.set_option(tcp::no_delay(true), ignored);
        }
        if (proxy_)
            tunnel(connect_deadline);
        if (request_.url.tls())
            handshake(connect_deadline);
    }

    HttpResponse run() {
        write_request();
        return read_response();
    }

    // The connection may go back to the pool.
    bool reusable() const { return reusable_; }

private:
    void abort() {
        error_code ignored;
        resolver_.cancel();
        c_.lowest().close(ignored);
    }

    void check_cancel(bool nothing_received) {
        if (cancelled_ || (cancel_ && cancel_->cancelled()))
            throw NetError(NetError::Code::cancelled, nothing_received, "the call was cancelled");
    }

    void wait(Waiter& w, Clock::time_point op_deadline, Phase phase, bool nothing_received) {
        const auto deadline = std::min(op_deadline, total_deadline_);
        c_.ioc.restart();
        bool timed_out = false;
        while (!w.done) {
            const std::size_t ran = timed_out ? c_.ioc.run_one() : c_.ioc.run_one_until(deadline);
            if (ran == 0 && !w.done) {
                if (c_.ioc.stopped())
                    c_.ioc.restart();
                if (!timed_out && Clock::now() >= deadline) {
                    timed_out = true;
                    abort();
                }
            }
        }
        check_cancel(nothing_received);
        if (!timed_out)
            return;
        const std::string where = request_.url.authority();
        if (deadline == total_deadline_ && op_deadline >= total_deadline_)
            throw NetError(NetError::Code::timeout_total, nothing_received,
                           "no complete answer from " + where + " within the total timeout of " +
                               ms(client_.options.total_timeout));
        switch (phase) {
        case Phase::connect:
            throw NetError(NetError::Code::timeout_connect, true,
                           "connecting to " + where + " took longer than " +
                               ms(client_.options.connect_timeout));
        case Phase::first_byte:
            throw NetError(NetError::Code::timeout_first_byte, nothing_received,
                           where + " sent no response within " +
                               ms(client_.options.first_byte_timeout) + " of the request");
        case Phase::idle:
            break;
        }
        throw NetError(NetError::Code::timeout_idle, nothing_received,
                       where + " went silent for " + ms(client_.options.idle_timeout) +
                           " in the middle of a response");
    }

    void tunnel(Clock::time_point deadline) {
        http::request<http::empty_body> connect{http::verb::connect, request_.url.authority(), 11};
        connect.set(http::field::host, request_.url.authority());
        connect.set(http::field::user_agent, client_.options.user_agent);
        if (!proxy_->userinfo.empty())
            connect.set(http::field::proxy_authorization, "Basic " + base64(proxy_->userinfo));
        {
            Waiter w;
            http::async_write(c_.socket, connect, [&](error_code ec, std::size_t) {
                w.ec = ec;
                w.done = true;
            });
            wait(w, deadline, Phase::connect, true);
            if (w.ec)
                throw NetError(NetError::Code::proxy, true,
                               "the proxy " + proxy_->authority() +
                                   " closed the connection: " + w.ec.message());
        }
        http::response_parser<http::empty_body> parser;
        parser.skip(true); // a 2xx answer to CONNECT has no body
        Waiter w;
        http::async_read_header(c_.socket, c_.buffer, parser, [&](error_code ec, std::size_t) {
            w.ec = ec;
            w.done = true;
        });
        wait(w, deadline, Phase::connect, true);
        if (w.ec)
            throw NetError(NetError::Code::proxy, true,
                           "the proxy " + proxy_->authority() +
                               " gave no valid answer to CONNECT: " + w.ec.message());
        const auto status = parser.get().result_int();
        if (status / 100 != 2)
            throw NetError(NetError::Code::proxy, true,
                           "the proxy " + proxy_->authority() + " refused to tunnel to " +
                               request_.url.authority() + ": HTTP " + std::to_string(status) +
                               (status == 407 ? " (proxy authentication required; put "
                                                "user:password@ in the proxy URL)"
                                              : ""));
        c_.buffer.consume(c_.buffer.size());
    }

    void handshake(Clock::time_point deadline) {
        c_.tls =
            std::make_unique<ssl::stream<tcp::socket>>(std::move(c_.socket), client_.tls_context);
        SSL* ssl = c_.tls->native_handle();
        const std::string& host = request_.url.host;
        if (is_ip_literal(host)) {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
        } else {
            SSL_set_tlsext_host_name(ssl, host.c_str());
            SSL_set1_host(ssl, host.c_str());
        }
        Waiter w;
        c_.tls->async_handshake(ssl::stream_base::client, [&](error_code ec) {
            w.ec = ec;
            w.done = true;
        });
        wait(w, deadline, Phase::connect, true);
        if (w.ec) {
            const long verify = SSL_get_verify_result(ssl);
            std::string why = w.ec.message();
            if (verify != X509_V_OK)
                why = std::string("certificate verification failed: ") +
                      X509_verify_cert_error_string(verify) +
                      "; if the server uses a private CA, pass its certificate as the CA file";
            throw NetError(NetError::Code::tls, true,
                           "TLS handshake with " + request_.url.authority() + " failed: " + why);
        }
    }

    template <class F> void on_stream(F&& f) {
        if (c_.tls)
            f(*c_.tls);
        else
            f(c_.socket);
    }

    void write_request() {
        http::request<http::string_body> req;
        const auto verb = http::string_to_verb(request_.method);
        if (verb == http::verb::unknown)
            req.method_string(request_.method);
        else
            req.method(verb);
        req.target(request_.target.empty() ? "/" : request_.target);
        req.version(11);
        req.set(http::field::host, request_.url.host_header());
        req.set(http::field::user_agent, client_.options.user_agent);
        for (const auto& [name, value] : request_.headers)
            req.set(name, value);
        req.body() = request_.body;
        req.keep_alive(true);
        if (!request_.body.empty() || request_.method == "POST" || request_.method == "PUT")
            req.prepare_payload();
        Waiter w;
        on_stream([&](auto& stream) {
            http::async_write(stream, req, [&](error_code ec, std::size_t) {
                w.ec = ec;
                w.done = true;
            });
        });
        wait(w, Clock::now() + client_.options.idle_timeout, Phase::idle, true);
        if (w.ec)
            throw NetError(
                NetError::Code::closed, true,
                request_.url.authority() +
                    " closed the connection while the request was being sent: " + w.ec.message());
    }

    HttpResponse read_response() {
        http::response_parser<http::buffer_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(client_.options.max_header_bytes));
        parser.body_limit(boost::none); // counted below, streamed bodies included
        if (request_.method == "HEAD")
            parser.skip(true);
        const std::string where = request_.url.authority();
        {
            Waiter w;
            on_stream([&](auto& stream) {
                http::async_read_header(stream, c_.buffer, parser, [&](error_code ec, std::size_t) {
                    w.ec = ec;
                    w.done = true;
                });
            });
            wait(w, Clock::now() + client_.options.first_byte_timeout, Phase::first_byte,
                 !parser.got_some());
            if (w.ec) {
                const bool none = !parser.got_some();
                if (w.ec == http::error::header_limit)
                    throw NetError(NetError::Code::too_large, false,
                                   where + " sent response headers larger than " +
                                       std::to_string(client_.options.max_header_bytes) + " bytes");
                if (w.ec.category() == http::make_error_code(http::error::bad_version).category() &&
                    w.ec != http::error::end_of_stream && w.ec != http::error::partial_message)
                    throw NetError(NetError::Code::protocol, false,
                                   where + " did not answer with HTTP/1.x (" + w.ec.message() +
                                       "); is the URL's scheme (http/https) right?");
                throw NetError(NetError::Code::closed, none,
                               where + " closed the connection " +
                                   (none ? "without answering" : "in the middle of the headers") +
                                   " (" + w.ec.message() + ")");
            }
        }
        HttpResponse response;
        const auto& head = parser.get();
        response.status = static_cast<int>(head.result_int());
        response.reason = std::string(head.reason());
        for (const auto& field : head)
            response.headers.emplace_back(std::string(field.name_string()),
                                          std::string(field.value()));
        const bool streaming = stream_ && stream_->accept && stream_->accept(response);
        response.streamed = streaming;

        char buffer[16 * 1024];
        std::size_t total = 0;
        while (!parser.is_done()) {
            parser.get().body().data = buffer;
            parser.get().body().size = sizeof buffer;
            Waiter w;
            on_stream([&](auto& stream) {
                http::async_read_some(stream, c_.buffer, parser, [&](error_code ec, std::size_t n) {
                    w.ec = ec;
                    w.bytes = n;
                    w.done = true;
                });
            });
            wait(w, Clock::now() + client_.options.idle_timeout, Phase::idle, false);
            const std::size_t n = sizeof buffer - parser.get().body().size;
            total += n;
            if (total > client_.options.max_response_bytes)
                throw NetError(NetError::Code::too_large, false,
                               where + " sent a response body larger than the cap of " +
                                   std::to_string(client_.options.max_response_bytes) + " bytes");
            if (n > 0) {
                if (streaming) {
                    if (!stream_->on_data(std::string_view(buffer, n)))
                        throw NetError(NetError::Code::aborted, false,
                                       "the response stream was stopped by its reader");
                } else {
                    response.body.append(buffer, n);
                }
            }
            if (!w.ec || w.ec == http::error::need_buffer)
                continue;
            if (w.ec == ssl::error::stream_truncated && parser.need_eof()) {
                // The server closed TCP without TLS close_notify; the body ends at EOF anyway.
                error_code eof;
                parser.put_eof(eof);
                if (!eof)
                    break;
            }
            if (w.ec == http::error::partial_message || w.ec == http::error::end_of_stream ||
                w.ec == ssl::error::stream_truncated || w.ec == asio::error::connection_reset ||
                w.ec == asio::error::eof)
                throw NetError(NetError::Code::truncated, false,
                               where +
                                   " closed the connection before the response body was "
                                   "complete (" +
                                   std::to_string(total) + " bytes received; " + w.ec.message() +
                                   ")");
            throw NetError(NetError::Code::protocol, false,
                           where + " sent a malformed response body: " + w.ec.message());
        }
        reusable_ = parser.keep_alive() && c_.buffer.size() == 0;
        return response;
    }

    HttpClient::Impl& client_;
    Connection& c_;
    const HttpRequest& request_;
    const std::optional<Url>& proxy_;
    const CancelToken* cancel_;
    const StreamHandler* stream_;
    Clock::time_point total_deadline_;
    tcp::resolver resolver_;
    bool cancelled_ = false;
    bool reusable_ = false;
    CancelToken::Registration registration_; // last: removed first, before the members it uses
};

} // namespace

HttpClient::HttpClient(HttpOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpClient::~HttpClient() = default;

const HttpOptions& HttpClient::options() const {
    return impl_->options;
}

std::size_t HttpClient::connections_opened() const {
    return impl_->opened.load();
}

HttpResponse HttpClient::send(const HttpRequest& request, const CancelToken* cancel,
                              const StreamHandler* stream) {
    const auto total_deadline = Clock::now() + impl_->options.total_timeout;
    const std::optional<Url> proxy = impl_->options.proxy.proxy_for(request.url);
    const std::string key = request.url.origin() + (proxy ? "|" + proxy->origin() : "");
    for (int attempt = 0;; ++attempt) {
        auto connection = attempt == 0 ? impl_->take(key) : nullptr;
        const bool reused = connection != nullptr;
        if (!connection) {
            connection = std::make_unique<Connection>();
            connection->key = key;
        }
        bool reusable = false;
        HttpResponse response;
        try {
            Exchange exchange(*impl_, *connection, request, proxy, cancel, stream, total_deadline);
            if (!reused)
                exchange.open();
            response = exchange.run();
            reusable = exchange.reusable();
        } catch (const NetError& e) {
            // A pooled connection the server had already closed: once more on a fresh one.
            if (reused && e.nothing_received() && e.code() == NetError::Code::closed)
                continue;
            throw;
        }
        if (reusable && !(cancel && cancel->cancelled()))
            impl_->give_back(std::move(connection));
        return response;
    }
}

} // namespace kerntune::net
