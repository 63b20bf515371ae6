#include "script_server.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace kerntune::testing {

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string reason(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 529:
        return "Overloaded";
    default:
        return "Status";
    }
}

} // namespace

bool ServerConn::send(std::string_view bytes) {
    while (!bytes.empty()) {
        int n = 0;
        if (ssl_)
            n = SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
        else
            n = static_cast<int>(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL));
        if (n <= 0)
            return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool ServerConn::trickle(std::string_view bytes, std::size_t piece, std::chrono::milliseconds gap) {
    while (!bytes.empty()) {
        const auto n = std::min(piece, bytes.size());
        if (!send(bytes.substr(0, n)))
            return false;
        bytes.remove_prefix(n);
        if (!bytes.empty())
            pause(gap);
        if (stopping())
            return false;
    }
    return true;
}

void ServerConn::pause(std::chrono::milliseconds duration) {
    const auto until = std::chrono::steady_clock::now() + duration;
    while (!stopping() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

void ServerConn::reset() {
    reset_ = true;
    close_ = true;
}

bool ServerConn::stopping() const {
    return server_->stopping_.load();
}

ScriptServer::ScriptServer(Handler handler, const Tls* tls, Mode mode)
    : handler_(std::move(handler)), mode_(mode) {
    if (tls) {
        tls_ = SSL_CTX_new(TLS_server_method());
        BIO* cert_bio =
            BIO_new_mem_buf(tls->cert_pem.data(), static_cast<int>(tls->cert_pem.size()));
        X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
        BIO_free(cert_bio);
        BIO* key_bio = BIO_new_mem_buf(tls->key_pem.data(), static_cast<int>(tls->key_pem.size()));
        EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
        BIO_free(key_bio);
        if (!cert || !key || SSL_CTX_use_certificate(tls_, cert) != 1 ||
            SSL_CTX_use_PrivateKey(tls_, key) != 1)
            throw std::runtime_error("test server: bad certificate or key");
        X509_free(cert);
        EVP_PKEY_free(key);
    }
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 64) != 0)
        throw std::runtime_error("test server: cannot listen on 127.0.0.1");
    socklen_t length = sizeof address;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

ScriptServer::~ScriptServer() {
    stop();
    if (tls_)
        SSL_CTX_free(tls_);
}

std::string ScriptServer::url(std::string_view path, std::string_view host) const {
    return std::string(tls_ ? "https://" : "http://") + std::string(host) + ":" +
           std::to_string(port_) + std::string(path);
}

std::vector<SeenRequest> ScriptServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

void ScriptServer::stop() {
    if (stopping_.exchange(true))
        return;
    if (acceptor_.joinable())
        acceptor_.join();
    ::close(listen_fd_);
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        for (int fd : open_fds_)
            ::shutdown(fd, SHUT_RDWR);
        threads.swap(threads_);
    }
    for (auto& thread : threads)
        thread.join();
}

void ScriptServer::accept_loop() {
    while (!stopping_.load()) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0)
            continue;
        const int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0)
            continue;
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        const int number = ++connections_;
        std::lock_guard lock(mutex_);
        open_fds_.insert(fd);
        threads_.emplace_back([this, fd, number] { serve(fd, number); });
    }
}

int ScriptServer::receive(ServerConn& conn, char* data, int size) {
    if (conn.ssl_)
        return SSL_read(conn.ssl_, data, size);
    return static_cast<int>(::recv(conn.fd_, data, static_cast<std::size_t>(size), 0));
}

bool ScriptServer::read_request(ServerConn& conn, std::string& buffer, SeenRequest& request) {
    char data[8192];
    std::size_t end = std::string::npos;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        const int n = receive(conn, data, sizeof data);
        if (n <= 0)
            return false;
        buffer.append(data, static_cast<std::size_t>(n));
    }
    const std::string head = buffer.substr(0, end);
    buffer.erase(0, end + 4);
    std::size_t line_end = head.find("\r\n");
    const std::string first = head.substr(0, line_end);
    const auto space1 = first.find(' ');
    const auto space2 = first.find(' ', space1 + 1);
    request.method = first.substr(0, space1);
    request.target = first.substr(space1 + 1, space2 - space1 - 1);
    while (line_end != std::string::npos) {
        const auto start = line_end + 2;
        line_end = head.find("\r\n", start);
        const std::string line = head.substr(
            start, line_end == std::string::npos ? std::string::npos : line_end - start);
        const auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ')
            value.erase(0, 1);
        request.headers[lower(line.substr(0, colon))] = value;
    }
    std::size_t length = 0;
    if (auto it = request.headers.find("content-length"); it != request.headers.end())
        length = std::stoul(it->second);
    while (buffer.size() < length) {
        const int n = receive(conn, data, sizeof data);
        if (n <= 0)
            return false;
        buffer.append(data, static_cast<std::size_t>(n));
    }
    request.body = buffer.substr(0, length);
    buffer.erase(0, length);
    return true;
}

void ScriptServer::serve(int fd, int number) {
    ServerConn conn;
    conn.server_ = this;
    conn.fd_ = fd;
    const auto finish = [&] {
        if (conn.ssl_) {
            if (!conn.reset_ && !conn.skip_notify_)
                SSL_shutdown(conn.ssl_);
            SSL_free(conn.ssl_);
        }
        if (conn.reset_) {
            linger l{1, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
        {
            std::lock_guard lock(mutex_);
            open_fds_.erase(fd);
        }
        ::close(fd);
    };
    if (mode_ == Mode::reset) {
        conn.reset_ = true;
        finish();
        return;
    }
    if (mode_ == Mode::silent) {
        conn.pause(std::chrono::hours(1));
        finish();
        return;
    }
    if (tls_) {
        conn.ssl_ = SSL_new(tls_);
        SSL_set_fd(conn.ssl_, fd);
        if (SSL_accept(conn.ssl_) != 1) {
            ERR_clear_error();
            finish();
            return;
        }
    }
    std::string buffer;
    while (!stopping_.load()) {
        SeenRequest request;
        if (!read_request(conn, buffer, request))
            break;
        request.connection = number;
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(request);
        }
        handler_(request, conn);
        if (conn.close_)
            break;
    }
    ERR_clear_error();
    finish();
}

std::string ScriptServer::response(int status, std::string_view body, std::string_view content_type,
                                   std::string_view extra_headers) {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
    if (!content_type.empty())
        out += "Content-Type: " + std::string(content_type) + "\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    out += extra_headers;
    out += "\r\n";
    out += body;
    return out;
}

std::string ScriptServer::chunked_head(int status, std::string_view content_type,
                                       std::string_view extra_headers) {
    return "HTTP/1.1 " + std::to_string(status) + " " + reason(status) +
           "\r\nContent-Type: " + std::string(content_type) + "\r\nTransfer-Encoding: chunked\r\n" +
           std::string(extra_headers) + "\r\n";
}

std::string ScriptServer::chunk(std::string_view data) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    return size + std::string(data) + "\r\n";
}

std::string ScriptServer::openai_reply(std::string_view content, std::string_view extra_message,
                                       std::string_view finish) {
    std::string escaped;
    for (char c : content) {
        if (c == '"' || c == '\\')
            escaped.push_back('\\');
        if (c == '\n') {
            escaped += "\\n";
            continue;
        }
        escaped.push_back(c);
    }
    return R"({"id":"chatcmpl-1","object":"chat.completion","model":"test-model","choices":[{"index":0,"message":{"role":"assistant","content":")" +
           escaped + "\"" + (extra_message.empty() ? "" : ",") + std::string(extra_message) +
           R"(},"finish_reason":")" + std::string(finish) +
           R"("}],"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18,"completion_tokens_details":{"reasoning_tokens":3}}})";
}

} // namespace kerntune::testing
