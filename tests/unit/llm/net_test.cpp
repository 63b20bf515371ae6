// URLs, NO_PROXY, cancel tokens and transcript keys.
#include "core/llm/transcript.hpp"
#include "core/net/cancel.hpp"
#include "core/net/proxy.hpp"
#include "core/net/url.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <thread>

using namespace kerntune::net;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(llm_net)

BOOST_AUTO_TEST_CASE(urls_parse_with_defaults_and_ipv6) {
    auto u = parse_url("https://API.example.com/v1/");
    BOOST_TEST(u.host == "api.example.com");
    BOOST_TEST(u.port == 443);
    BOOST_TEST(u.path == "/v1");
    BOOST_TEST(u.target("/models") == "/v1/models");
    BOOST_TEST(u.host_header() == "api.example.com");
    u = parse_url("http://[::1]:8080");
    BOOST_TEST(u.host == "::1");
    BOOST_TEST(u.authority() == "[::1]:8080");
    BOOST_TEST(u.target("/x") == "/x");
    u = parse_url("http://us%40er:p%3Ass@proxy:3128");
    BOOST_TEST(u.userinfo == "us@er:p:ss");
    BOOST_CHECK_THROW(parse_url("localhost:8000/v1"), std::invalid_argument);
    BOOST_CHECK_THROW(parse_url("ftp://x"), std::invalid_argument);
    BOOST_CHECK_THROW(parse_url("http://x:99999"), std::invalid_argument);
    BOOST_CHECK_THROW(parse_url("http://:80"), std::invalid_argument);
    BOOST_TEST(is_ip_literal("127.0.0.1"));
    BOOST_TEST(is_ip_literal("::1"));
    BOOST_TEST(!is_ip_literal("localhost"));
}

BOOST_AUTO_TEST_CASE(no_proxy_matches_like_curl) {
    const std::vector<std::string> list{"localhost", ".internal.example", "10.0.0.1",
                                        "svc.example:8443"};
    BOOST_TEST(no_proxy_matches(list, "localhost", 80));
    BOOST_TEST(no_proxy_matches(list, "a.internal.example", 443));
    BOOST_TEST(no_proxy_matches(list, "internal.example", 443));
    BOOST_TEST(!no_proxy_matches(list, "notinternal.example", 443));
    BOOST_TEST(no_proxy_matches(list, "10.0.0.1", 1));
    BOOST_TEST(no_proxy_matches(list, "svc.example", 8443));
    BOOST_TEST(!no_proxy_matches(list, "svc.example", 443));
    BOOST_TEST(no_proxy_matches({"*"}, "anything", 1));
}

BOOST_AUTO_TEST_CASE(proxies_come_from_the_environment) {
    ::setenv("HTTPS_PROXY", "proxy.corp:3128", 1);
    ::setenv("NO_PROXY", "localhost, .corp", 1);
    ::unsetenv("https_proxy");
    ::unsetenv("no_proxy");
    const auto config = ProxyConfig::from_environment();
    ::unsetenv("HTTPS_PROXY");
    ::unsetenv("NO_PROXY");
    BOOST_REQUIRE(config.https_proxy.has_value());
    BOOST_TEST(config.https_proxy->host == "proxy.corp");
    BOOST_TEST(config.https_proxy->port == 3128);
    BOOST_TEST(config.proxy_for(parse_url("https://api.openai.com/v1")).has_value());
    BOOST_TEST(!config.proxy_for(parse_url("https://llm.corp/v1")).has_value());
    BOOST_TEST(!config.proxy_for(parse_url("https://localhost/v1")).has_value());
}

BOOST_AUTO_TEST_CASE(cancel_tokens_wake_waiters_and_run_callbacks_once) {
    CancelToken token;
    int calls = 0;
    {
        auto registration = token.on_cancel([&] { ++calls; });
        BOOST_TEST(token.wait_for(1ms));
        std::thread t([&] { token.cancel(); });
        BOOST_TEST(!token.wait_for(10s));
        t.join();
        token.cancel();
    }
    BOOST_TEST(calls == 1);
    BOOST_TEST(token.cancelled());
    auto late = token.on_cancel([&] { ++calls; }); // already cancelled: runs at once
    BOOST_TEST(calls == 2);
}

BOOST_AUTO_TEST_CASE(request_keys_ignore_key_order_and_whitespace_and_headers) {
    HttpRequest a;
    a.target = "/v1/chat/completions";
    a.body = R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";
    HttpRequest b = a;
    b.body = R"({ "messages" : [ {"content":"hi", "role":"user"} ], "model":"m" })";
    b.headers = {{"Authorization", "Bearer other"}};
    BOOST_TEST(kerntune::llm::request_key(a) == kerntune::llm::request_key(b));
    b.body = R"({"model":"m","messages":[{"role":"user","content":"hi!"}]})";
    BOOST_TEST(kerntune::llm::request_key(a) != kerntune::llm::request_key(b));
}

BOOST_AUTO_TEST_SUITE_END()
