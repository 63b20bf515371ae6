// The Beast transport against the scripted loopback server: framing, keep-alive, timeouts,
// caps, cancellation, concurrency, TLS verification and CONNECT proxies.
#include "connect_proxy.hpp"
#include "script_server.hpp"
#include "test_pki.hpp"

#include "core/net/http_client.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

using namespace std::chrono_literals;
using kerntune::net::CancelToken;
using kerntune::net::HttpClient;
using kerntune::net::HttpOptions;
using kerntune::net::HttpRequest;
using kerntune::net::NetError;
using kerntune::testing::ConnectProxy;
using kerntune::testing::ScriptServer;
using kerntune::testing::SeenRequest;
using kerntune::testing::ServerConn;
using Code = kerntune::net::NetError::Code;
using Clock = std::chrono::steady_clock;

namespace {

HttpOptions fast_options() {
    HttpOptions o;
    o.connect_timeout = 2s;
    o.first_byte_timeout = 2s;
    o.idle_timeout = 2s;
    o.total_timeout = 5s;
    return o;
}

HttpRequest post(const ScriptServer& server, std::string body = "{}") {
    HttpRequest r;
    r.method = "POST";
    r.url = kerntune::net::parse_url(server.url(""));
    r.target = "/v1/chat/completions";
    r.headers = {{"Content-Type", "application/json"}};
    r.body = std::move(body);
    return r;
}

Code code_of(HttpClient& client, const HttpRequest& request, const CancelToken* cancel = nullptr) {
    try {
        client.send(request, cancel);
    } catch (const NetError& e) {
        BOOST_TEST_MESSAGE(e.what());
        return e.code();
    }
    BOOST_FAIL("the request did not fail");
    return Code::protocol;
}

ScriptServer::Handler answer(std::string body) {
    return [body](const SeenRequest&, ServerConn& c) { c.send(ScriptServer::response(200, body)); };
}

} // namespace

BOOST_AUTO_TEST_SUITE(llm_transport)

BOOST_AUTO_TEST_CASE(a_post_round_trip_carries_headers_and_body) {
    ScriptServer server(answer(R"({"ok":true})"));
    HttpClient client(fast_options());
    const auto response = client.send(post(server, R"({"x":1})"));
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.body == R"({"ok":true})");
    BOOST_TEST(response.header("CONTENT-TYPE").value_or("") == "application/json");
    const auto seen = server.requests();
    BOOST_REQUIRE(seen.size() == 1u);
    BOOST_TEST(seen[0].body == R"({"x":1})");
    BOOST_TEST(seen[0].target == "/v1/chat/completions");
    BOOST_TEST(seen[0].headers.at("host") == "127.0.0.1:" + std::to_string(server.port()));
}

BOOST_AUTO_TEST_CASE(kept_alive_connections_are_reused) {
    ScriptServer server(answer("{}"));
    HttpClient client(fast_options());
    for (int i = 0; i < 5; ++i)
        BOOST_TEST(client.send(post(server)).status == 200);
    BOOST_TEST(client.connections_opened() == 1u);
    BOOST_TEST(server.connections() == 1);
}

BOOST_AUTO_TEST_CASE(a_pooled_connection_the_server_closed_is_replaced_silently) {
    ScriptServer server([](const SeenRequest&, ServerConn& c) {
        c.send(ScriptServer::response(200, "{}"));
        c.close(); // no "Connection: close": the client only learns on its next request
    });
    HttpClient client(fast_options());
    BOOST_TEST(client.send(post(server)).status == 200);
    std::this_thread::sleep_for(20ms);
    BOOST_TEST(client.send(post(server)).status == 200);
    BOOST_TEST(server.connections() == 2);
}

BOOST_AUTO_TEST_CASE(a_refused_connection_is_a_connect_error) {
    std::uint16_t port = 0;
    {
        ScriptServer gone(answer("{}"));
        port = gone.port();
    }
    HttpClient client(fast_options());
    HttpRequest r;
    r.url = kerntune::net::parse_url("http://127.0.0.1:" + std::to_string(port));
    r.target = "/";
    BOOST_TEST((code_of(client, r) == Code::connect));
}

BOOST_AUTO_TEST_CASE(a_silent_server_times_out_at_the_first_byte) {
    ScriptServer server(nullptr, nullptr, ScriptServer::Mode::silent);
    auto options = fast_options();
    options.first_byte_timeout = 200ms;
    HttpClient client(options);
    const auto start = Clock::now();
    BOOST_TEST((code_of(client, post(server)) == Code::timeout_first_byte));
    BOOST_TEST((Clock::now() - start < 1500ms));
}

BOOST_AUTO_TEST_CASE(a_stall_in_the_body_is_an_idle_timeout) {
    ScriptServer server([](const SeenRequest&, ServerConn& c) {
        c.send("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n0123456789");
        c.pause(3s);
    });
    auto options = fast_options();
    options.idle_timeout = 200ms;
    HttpClient client(options);
    const auto start = Clock::now();
    BOOST_TEST((code_of(client, post(server)) == Code::timeout_idle));
    BOOST_TEST((Clock::now() - start < 1500ms));
}

BOOST_AUTO_TEST_CASE(a_slow_loris_passes_the_idle_timer_but_not_the_total_one) {
    const std::string body(64, 'x');
    ScriptServer server([&](const SeenRequest&, ServerConn& c) {
        c.trickle(ScriptServer::response(200, body, "text/plain"), 4, 30ms);
    });
    auto options = fast_options();
    options.idle_timeout = 200ms;
    options.total_timeout = 400ms; // the reply takes ~27 pieces * 30 ms
    HttpClient client(options);
    const auto start = Clock::now();
    BOOST_TEST((code_of(client, post(server)) == Code::timeout_total));
    BOOST_TEST((Clock::now() - start < 1500ms));

    options.total_timeout = 5s; // the same trickle passes when only the idle timer applies
    HttpClient patient(options);
    BOOST_TEST(patient.send(post(server)).body == body);
}

BOOST_AUTO_TEST_CASE(a_body_over_the_cap_is_refused) {
    const std::string big(300'000, 'a');
    ScriptServer server(answer(big));
    auto options = fast_options();
    options.max_response_bytes = 100'000;
    HttpClient client(options);
    BOOST_TEST((code_of(client, post(server)) == Code::too_large));
    // Also when the body is chunked and has no length up front.
    ScriptServer chunked([&](const SeenRequest&, ServerConn& c) {
        c.send(ScriptServer::chunked_head(200, "application/json"));
        for (int i = 0; i < 10; ++i)
            c.send(ScriptServer::chunk(std::string(30'000, 'b')));
        c.send(ScriptServer::chunk(""));
    });
    BOOST_TEST((code_of(client, post(chunked)) == Code::too_large));
}

BOOST_AUTO_TEST_CASE(huge_headers_are_refused) {
    ScriptServer server([](const SeenRequest&, ServerConn& c) {
        c.send(ScriptServer::response(200, "{}", "application/json",
                                      "X-Junk: " + std::string(100'000, 'j') + "\r\n"));
    });
    HttpClient client(fast_options());
    BOOST_TEST((code_of(client, post(server)) == Code::too_large));
}

BOOST_AUTO_TEST_CASE(a_body_shorter_than_its_length_is_truncated) {
    ScriptServer server([](const SeenRequest&, ServerConn& c) {
        c.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"choices\":");
        c.close();
    });
    HttpClient client(fast_options());
    BOOST_TEST((code_of(client, post(server)) == Code::truncated));
}

BOOST_AUTO_TEST_CASE(a_chunked_body_without_its_last_chunk_is_truncated) {
    ScriptServer server([](const SeenRequest&, ServerConn& c) {
        c.send(ScriptServer::chunked_head(200, "application/json") + ScriptServer::chunk("{\"a\""));
        c.close();
    });
    HttpClient client(fast_options());
    BOOST_TEST((code_of(client, post(server)) == Code::truncated));
}

BOOST_AUTO_TEST_CASE(a_body_delimited_by_eof_is_read_whole) {
    ScriptServer server([](const SeenRequest&, ServerConn& c) {
        c.send("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"eof\":1}");
        c.close();
    });
    HttpClient client(fast_options());
    BOOST_TEST(client.send(post(server)).body == "{\"eof\":1}");
}

BOOST_AUTO_TEST_CASE(an_rst_at_accept_is_a_closed_connection) {
    ScriptServer server(nullptr, nullptr, ScriptServer::Mode::reset);
    HttpClient client(fast_options());
    const auto code = code_of(client, post(server));
    BOOST_TEST((code == Code::closed || code == Code::connect));
}

BOOST_AUTO_TEST_CASE(garbage_instead_of_http_is_a_protocol_error) {
    ScriptServer server([](const SeenRequest&, ServerConn& c) {
        c.send("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        c.close();
    });
    HttpClient client(fast_options());
    BOOST_TEST((code_of(client, post(server)) == Code::protocol));
}

BOOST_AUTO_TEST_CASE(cancellation_stops_a_waiting_call_at_once) {
    ScriptServer server(nullptr, nullptr, ScriptServer::Mode::silent);
    auto options = fast_options();
    options.first_byte_timeout = 10s;
    options.total_timeout = 10s;
    HttpClient client(options);
    CancelToken cancel;
    std::thread canceller([&] {
        std::this_thread::sleep_for(100ms);
        cancel.cancel();
    });
    const auto start = Clock::now();
    BOOST_TEST((code_of(client, post(server), &cancel) == Code::cancelled));
    BOOST_TEST((Clock::now() - start < 2s));
    canceller.join();
    // Cancelled before it starts: fails without connecting.
    BOOST_TEST((code_of(client, post(server), &cancel) == Code::cancelled));
}

BOOST_AUTO_TEST_CASE(sixteen_threads_share_one_client) {
    std::atomic<int> in_flight{0};
    std::atomic<int> most{0};
    ScriptServer server([&](const SeenRequest& r, ServerConn& c) {
        const int now = ++in_flight;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        c.pause(20ms);
        --in_flight;
        c.send(ScriptServer::response(200, r.body));
    });
    HttpClient client(fast_options());
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 4; ++i) {
                const std::string body =
                    "{\"t\":" + std::to_string(t) + ",\"i\":" + std::to_string(i) + "}";
                if (client.send(post(server, body)).body == body)
                    ++good;
            }
        });
    for (auto& t : threads)
        t.join();
    BOOST_TEST(good.load() == 64);
    BOOST_TEST(most.load() > 1); // requests really were in flight together
    BOOST_TEST(client.connections_opened() <= 16u + 8u);
}

BOOST_AUTO_TEST_CASE(a_stream_handler_gets_the_body_as_it_arrives) {
    ScriptServer server([](const SeenRequest&, ServerConn& c) {
        c.send(ScriptServer::chunked_head(200, "text/event-stream"));
        for (int i = 0; i < 3; ++i) {
            c.send(ScriptServer::chunk("data: " + std::to_string(i) + "\n\n"));
            c.pause(30ms);
        }
        c.send(ScriptServer::chunk(""));
    });
    HttpClient client(fast_options());
    std::vector<std::string> pieces;
    kerntune::net::StreamHandler handler;
    handler.accept = [](const kerntune::net::HttpResponse& head) { return head.status == 200; };
    handler.on_data = [&](std::string_view bytes) {
        pieces.emplace_back(bytes);
        return true;
    };
    const auto response = client.send(post(server), nullptr, &handler);
    BOOST_TEST(response.streamed);
    BOOST_TEST(response.body.empty());
    BOOST_TEST(pieces.size() >= 3u);
    std::string all;
    for (const auto& p : pieces)
        all += p;
    BOOST_TEST(all == "data: 0\n\ndata: 1\n\ndata: 2\n\n");
    // A reader that stops the stream ends the call.
    handler.on_data = [](std::string_view) { return false; };
    try {
        client.send(post(server), nullptr, &handler);
        BOOST_FAIL("no error");
    } catch (const NetError& e) {
        BOOST_TEST((e.code() == Code::aborted));
    }
}

BOOST_AUTO_TEST_CASE(tls_verification_fails_without_the_ca_and_passes_with_it) {
    const auto pki = kerntune::testing::make_test_pki({"localhost"}, {"127.0.0.1"});
    const ScriptServer::Tls tls{pki.server_cert_pem, pki.server_key_pem};
    ScriptServer server(answer(R"({"tls":true})"), &tls);
    const std::string ca_file = kerntune::testing::write_temp_file("ca", pki.ca_pem);

    HttpClient untrusting(fast_options());
    auto request = post(server);
    try {
        untrusting.send(request);
        BOOST_FAIL("verification passed without the CA");
    } catch (const NetError& e) {
        BOOST_TEST((e.code() == Code::tls));
        BOOST_TEST(std::string(e.what()).find("certificate verification failed") !=
                   std::string::npos);
    }

    auto options = fast_options();
    options.ca_file = ca_file;
    HttpClient trusting(options);
    BOOST_TEST(trusting.send(request).body == R"({"tls":true})"); // IP SAN
    request.url = kerntune::net::parse_url(server.url("", "localhost"));
    BOOST_TEST(trusting.send(request).status == 200); // DNS SAN, with SNI
    BOOST_TEST(trusting.connections_opened() == 2u);
    std::filesystem::remove(ca_file);
}

BOOST_AUTO_TEST_CASE(tls_without_close_notify_is_benign_only_after_a_complete_body) {
    const auto pki = kerntune::testing::make_test_pki();
    const ScriptServer::Tls tls{pki.server_cert_pem, pki.server_key_pem};
    const std::string ca_file = kerntune::testing::write_temp_file("ca", pki.ca_pem);
    auto options = fast_options();
    options.ca_file = ca_file;
    HttpClient client(options);
    ScriptServer complete(
        [](const SeenRequest&, ServerConn& c) {
            c.send("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"until\":\"eof\"}");
            c.close_without_tls_notify();
        },
        &tls);
    BOOST_TEST(client.send(post(complete)).body == "{\"until\":\"eof\"}");
    ScriptServer cut(
        [](const SeenRequest&, ServerConn& c) {
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"cut");
            c.close_without_tls_notify();
        },
        &tls);
    BOOST_TEST((code_of(client, post(cut)) == Code::truncated));
    std::filesystem::remove(ca_file);
}

BOOST_AUTO_TEST_CASE(tls_refuses_a_certificate_for_another_host) {
    const auto pki = kerntune::testing::make_test_pki({"other.example"}, {});
    const ScriptServer::Tls tls{pki.server_cert_pem, pki.server_key_pem};
    ScriptServer server(answer("{}"), &tls);
    const std::string ca_file = kerntune::testing::write_temp_file("ca", pki.ca_pem);
    auto options = fast_options();
    options.ca_file = ca_file;
    HttpClient client(options);
    BOOST_TEST((code_of(client, post(server)) == Code::tls));
    std::filesystem::remove(ca_file);
}

BOOST_AUTO_TEST_CASE(a_tls_handshake_that_hangs_is_a_connect_timeout) {
    const auto pki = kerntune::testing::make_test_pki();
    const ScriptServer::Tls tls{pki.server_cert_pem, pki.server_key_pem};
    ScriptServer server(nullptr, &tls, ScriptServer::Mode::silent);
    auto options = fast_options();
    options.connect_timeout = 200ms;
    HttpClient client(options);
    BOOST_TEST((code_of(client, post(server)) == Code::timeout_connect));
}

BOOST_AUTO_TEST_CASE(a_missing_ca_file_is_reported) {
    auto options = fast_options();
    options.ca_file = "/nonexistent/ca.pem";
    BOOST_CHECK_THROW(HttpClient{options}, std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(requests_go_through_a_connect_proxy_unless_no_proxy_says_otherwise) {
    const auto pki = kerntune::testing::make_test_pki();
    const ScriptServer::Tls tls{pki.server_cert_pem, pki.server_key_pem};
    ScriptServer secure(answer(R"({"via":"tls"})"), &tls);
    ScriptServer plain(answer(R"({"via":"plain"})"));
    ConnectProxy proxy;
    const std::string ca_file = kerntune::testing::write_temp_file("ca", pki.ca_pem);
    auto options = fast_options();
    options.ca_file = ca_file;
    options.proxy.https_proxy = kerntune::net::parse_url(proxy.url());
    options.proxy.http_proxy = kerntune::net::parse_url(proxy.url());
    HttpClient client(options);
    BOOST_TEST(client.send(post(secure)).body == R"({"via":"tls"})");
    BOOST_TEST(client.send(post(plain)).body == R"({"via":"plain"})");
    auto targets = proxy.targets();
    BOOST_REQUIRE(targets.size() == 2u);
    BOOST_TEST(targets[0] == "127.0.0.1:" + std::to_string(secure.port()));
    BOOST_TEST(targets[1] == "127.0.0.1:" + std::to_string(plain.port()));

    options.proxy.no_proxy = {"127.0.0.1"};
    HttpClient direct(options);
    BOOST_TEST(direct.send(post(plain)).status == 200);
    BOOST_TEST(proxy.targets().size() == 2u);
    std::filesystem::remove(ca_file);
}

BOOST_AUTO_TEST_CASE(a_proxy_that_wants_credentials_gets_them_from_the_url) {
    ScriptServer server(answer("{}"));
    ConnectProxy proxy("Basic dXNlcjpwYXNz"); // user:pass
    auto options = fast_options();
    options.proxy.http_proxy = kerntune::net::parse_url(proxy.url());
    HttpClient anonymous(options);
    try {
        anonymous.send(post(server));
        BOOST_FAIL("the proxy let us through");
    } catch (const NetError& e) {
        BOOST_TEST((e.code() == Code::proxy));
        BOOST_TEST(std::string(e.what()).find("407") != std::string::npos);
    }
    options.proxy.http_proxy =
        kerntune::net::parse_url("http://user:pass@127.0.0.1:" + std::to_string(proxy.port()));
    HttpClient authorised(options);
    BOOST_TEST(authorised.send(post(server)).status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
