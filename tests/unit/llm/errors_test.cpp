// Error bodies of every server, the retry decision, and Retry-After.
#include "core/llm/errors.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

using namespace kerntune::llm;
using namespace std::chrono_literals;
using C = LlmError::Category;
using kerntune::net::HttpResponse;

namespace {

HttpResponse reply(int status, std::string body, kerntune::net::Headers headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    if (!r.header("content-type"))
        r.headers.emplace_back("Content-Type", "application/json");
    return r;
}

LlmError error_of(const HttpResponse& r) {
    auto e = error_from_response(r, "the server", 120s);
    BOOST_REQUIRE(e.has_value());
    BOOST_TEST_MESSAGE(e->what());
    return *e;
}

} // namespace

BOOST_AUTO_TEST_SUITE(llm_errors)

BOOST_AUTO_TEST_CASE(every_error_shape_is_read) {
    auto e = error_of(reply(
        401,
        R"({"error":{"message":"Incorrect API key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})"));
    BOOST_TEST((e.category() == C::auth));
    BOOST_TEST(!e.retryable);
    BOOST_TEST(std::string(e.what()).find("Incorrect API key") != std::string::npos);
    BOOST_TEST(std::string(e.what()).find("KERNTUNE_API_KEY") != std::string::npos);

    e = error_of(reply(
        400,
        R"({"object":"error","message":"bad temperature","type":"BadRequestError","param":null,"code":400})"));
    BOOST_TEST((e.category() == C::bad_request));
    BOOST_TEST(e.code == "400");

    e = error_of(reply(
        400,
        R"j({"error":{"code":400,"message":"request (5000 tokens) exceeds the available context size (4096 tokens)","type":"exceed_context_size_error","n_prompt_tokens":5000,"n_ctx":4096}})j"));
    BOOST_TEST((e.category() == C::context_length));
    BOOST_TEST(!e.retryable);

    e = error_of(reply(
        503, R"({"error":{"code":503,"message":"Loading model","type":"unavailable_error"}})"));
    BOOST_TEST((e.category() == C::overloaded));
    BOOST_TEST(e.retryable);

    e = error_of(reply(
        404,
        R"({"error":{"message":"model 'llama9' not found","type":"not_found_error","code":null}})"));
    BOOST_TEST((e.category() == C::not_found));
    BOOST_TEST(std::string(e.what()).find("--model") != std::string::npos);

    e = error_of(reply(
        529,
        R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"})"));
    BOOST_TEST((e.category() == C::overloaded));
    BOOST_TEST(e.retryable);

    e = error_of(reply(500, R"({"error":"something broke"})"));
    BOOST_TEST(std::string(e.what()).find("something broke") != std::string::npos);
    BOOST_TEST(e.retryable);

    e = error_of(reply(422, R"({"detail":[{"loc":["body","messages"],"msg":"field required"}]})"));
    BOOST_TEST((e.category() == C::bad_request));
    BOOST_TEST(std::string(e.what()).find("field required") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(quota_and_spend_limits_are_never_retried) {
    auto e = error_of(reply(
        429,
        R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}})"));
    BOOST_TEST((e.category() == C::quota));
    BOOST_TEST(!e.retryable);
    e = error_of(reply(
        429,
        R"({"type":"error","error":{"type":"rate_limit_error","message":"limit","details":{"error_code":"enforced_spend_limit_reached"}}})"));
    BOOST_TEST((e.category() == C::quota));
    BOOST_TEST(!e.retryable);
    e = error_of(reply(
        429,
        R"({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}})"));
    BOOST_TEST((e.category() == C::rate_limited));
    BOOST_TEST(e.retryable);
}

BOOST_AUTO_TEST_CASE(capability_errors_let_the_ladder_step_down) {
    auto e = error_of(reply(
        400,
        R"({"error":{"code":400,"message":"\"response_format\" must be one of \"text\" or \"json_object\"","type":"invalid_request_error"}})"));
    BOOST_TEST((e.category() == C::capability));
    e = error_of(reply(
        400,
        R"({"object":"error","message":"\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set","type":"BadRequestError","code":400})"));
    BOOST_TEST((e.category() == C::capability));
}

BOOST_AUTO_TEST_CASE(an_error_inside_a_200_is_an_error) {
    auto e = error_of(reply(
        200,
        R"({"object":"error","message":"This model's maximum context length is 4096 tokens","type":"BadRequestError","code":400})"));
    BOOST_TEST((e.category() == C::context_length));
    e = error_of(reply(200, R"({"error":{"message":"internal","type":"server_error"}})"));
    BOOST_TEST(e.retryable);
    BOOST_TEST(!error_from_response(reply(200, R"({"choices":[]})"), "s", 120s));
    BOOST_TEST(!error_from_response(reply(200, ""), "s", 120s));
}

BOOST_AUTO_TEST_CASE(html_and_empty_error_bodies_say_what_answered) {
    auto e = error_of(
        reply(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
              {{"Content-Type", "text/html"}}));
    BOOST_TEST(e.retryable);
    BOOST_TEST(std::string(e.what()).find("HTML page (\"502 Bad Gateway\")") != std::string::npos);
    e = error_of(
        reply(401, "<!DOCTYPE html><title>Login</title>", {{"Content-Type", "text/html"}}));
    BOOST_TEST((e.category() == C::auth));
    e = error_of(reply(504, ""));
    BOOST_TEST(std::string(e.what()).find("empty body") != std::string::npos);
    e = error_of(reply(302, "", {{"Location", "https://elsewhere/v1"}}));
    BOOST_TEST(!e.retryable);
    BOOST_TEST(std::string(e.what()).find("https://elsewhere/v1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(x_should_retry_overrides_the_status) {
    auto e = error_of(reply(500, "{}", {{"x-should-retry", "false"}}));
    BOOST_TEST(!e.retryable);
    e = error_of(reply(400, R"({"error":{"message":"try again"}})", {{"x-should-retry", "true"}}));
    BOOST_TEST(e.retryable);
}

BOOST_AUTO_TEST_CASE(retry_after_in_every_form) {
    const auto at = [](kerntune::net::Headers h) { return parse_retry_after(reply(429, "", h)); };
    BOOST_TEST(at({{"retry-after", "3"}}).value().count() == 3000);
    BOOST_TEST(at({{"retry-after", "1.5"}}).value().count() == 1500);
    BOOST_TEST(at({{"retry-after-ms", "250"}, {"retry-after", "9"}}).value().count() == 250);
    BOOST_TEST(!at({{"retry-after", "-1"}}));
    BOOST_TEST(!at({{"retry-after", "soon"}}));
    BOOST_TEST(!at({}));
    const auto now = std::chrono::system_clock::from_time_t(1445412480); // 07:28:00 GMT
    auto r = reply(429, "", {{"Retry-After", "Wed, 21 Oct 2015 07:28:10 GMT"}});
    BOOST_TEST(parse_retry_after(r, now).value().count() == 10000);
    r = reply(429, "", {{"Retry-After", "Wed, 21 Oct 2015 07:27:00 GMT"}});
    BOOST_TEST(parse_retry_after(r, now).value().count() == 0);
    // A hint past the cap stops the retries and says so.
    auto e = error_of(reply(429, "{}", {{"retry-after", "86400"}}));
    BOOST_TEST(!e.retryable);
    BOOST_TEST(std::string(e.what()).find("retry-after cap") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(categories_map_to_error_kinds) {
    BOOST_TEST((kind_of(C::timeout) == kerntune::ErrorKind::timeout));
    BOOST_TEST((kind_of(C::cancelled) == kerntune::ErrorKind::cancelled));
    BOOST_TEST((kind_of(C::schema) == kerntune::ErrorKind::wrong_structure));
    BOOST_TEST((kind_of(C::auth) == kerntune::ErrorKind::llm_unavailable));
}

BOOST_AUTO_TEST_SUITE_END()
