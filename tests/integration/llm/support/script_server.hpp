#pragma once
// A scripted HTTP/1.1 server on 127.0.0.1:0 for the LLM client's tests. Each request goes to a
// handler that writes whatever bytes it likes (valid responses, truncated ones, HTML, SSE),
// pauses, trickles, closes or resets. Plain TCP or TLS (a certificate made by the test). Raw
// POSIX sockets and OpenSSL, so nothing in it depends on the code under test.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace kerntune::testing {

struct SeenRequest {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;
    int connection = 0; // which accepted connection carried it (1-based)
};

class ScriptServer;

// One accepted connection, as a handler sees it.
class ServerConn {
public:
    // Writes bytes; false once the peer is gone.
    bool send(std::string_view bytes);
    // Writes `bytes` a few at a time with `gap` between pieces.
    bool trickle(std::string_view bytes, std::size_t piece, std::chrono::milliseconds gap);
    // Sleeps, waking early when the server stops.
    void pause(std::chrono::milliseconds duration);
    // Ends the connection after the handler (FIN), or at once with an RST.
    void close() { close_ = true; }
    void reset();
    // Ends the connection after the handler with a TCP FIN but no TLS close_notify.
    void close_without_tls_notify() {
        skip_notify_ = true;
        close_ = true;
    }
    bool stopping() const;

private:
    friend class ScriptServer;
    ScriptServer* server_ = nullptr;
    int fd_ = -1;
    SSL* ssl_ = nullptr;
    bool close_ = false;
    bool reset_ = false;
    bool skip_notify_ = false;
};

class ScriptServer {
public:
    using Handler = std::function<void(const SeenRequest&, ServerConn&)>;
    struct Tls {
        std::string cert_pem; // the server's certificate (chain)
        std::string key_pem;
    };
    enum class Mode {
        http,   // answer requests
        silent, // accept, then never read or write (stalled server / hanging handshake)
        reset,  // accept, then RST at once
    };

    explicit ScriptServer(Handler handler, const Tls* tls = nullptr, Mode mode = Mode::http);
    ~ScriptServer();
    ScriptServer(const ScriptServer&) = delete;
    ScriptServer& operator=(const ScriptServer&) = delete;

    std::uint16_t port() const { return port_; }
    // "http://127.0.0.1:PORT/v1" (https with TLS); `host` may be "localhost".
    std::string url(std::string_view path = "/v1", std::string_view host = "127.0.0.1") const;
    std::vector<SeenRequest> requests() const;
    int connections() const { return connections_.load(); }
    // Stops accepting, wakes every pause and closes every connection; joins the threads.
    void stop();

    // Response builders.
    static std::string response(int status, std::string_view body,
                                std::string_view content_type = "application/json",
                                std::string_view extra_headers = "");
    static std::string chunked_head(int status, std::string_view content_type,
                                    std::string_view extra_headers = "");
    static std::string chunk(std::string_view data);
    // A chat.completions reply with `content` (and optional extra message fields as JSON text).
    static std::string openai_reply(std::string_view content, std::string_view extra_message = "",
                                    std::string_view finish = "stop");

private:
    friend class ServerConn;
    void accept_loop();
    void serve(int fd, int number);
    bool read_request(ServerConn& conn, std::string& buffer, SeenRequest& request);
    int receive(ServerConn& conn, char* data, int size);

    Handler handler_;
    Mode mode_;
    SSL_CTX* tls_ = nullptr;
    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    mutable std::mutex mutex_;
    std::vector<SeenRequest> requests_;
    std::set<int> open_fds_;
    std::vector<std::thread> threads_;
    std::thread acceptor_;
};

} // namespace kerntune::testing
