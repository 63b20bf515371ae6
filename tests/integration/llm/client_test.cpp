// The client against scripted servers: each dialect's replies and each group of bad inputs in
// the notes (section 9) ends in an answer, a retry or a clear error, within its timeout.
#include "client_fixture.hpp"

#include "core/llm/client.hpp"
#include "core/llm/dialect.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

using namespace kerntune::llm;
using namespace kerntune::testing;
using namespace std::chrono_literals;
namespace json = boost::json;
using C = LlmError::Category;

namespace {

LlmError failure(Client& client, const ChatRequest& request = ask("hi")) {
    try {
        client.chat(request);
    } catch (const LlmError& e) {
        BOOST_TEST_MESSAGE(e.what());
        BOOST_TEST(std::string(e.what()).find(test_key) == std::string::npos);
        return e;
    }
    BOOST_FAIL("the call did not fail");
    return LlmError(C::protocol, "");
}

std::string reply_with(std::string_view body_json) {
    return ok_json(body_json);
}

} // namespace

BOOST_AUTO_TEST_SUITE(llm_client)

BOOST_AUTO_TEST_CASE(an_openai_reply_is_read_with_usage_and_the_request_is_well_formed) {
    ScriptServer server(always(ok_json(ScriptServer::openai_reply("Hello."))));
    Client client(test_config(server));
    auto request = ask("hi");
    request.temperature = 0.2;
    request.max_tokens = 64;
    const ChatResult r = client.chat(request);
    BOOST_TEST(r.content == "Hello.");
    BOOST_TEST((r.finish == Finish::stop));
    BOOST_TEST(r.usage.prompt_tokens == 11);
    BOOST_TEST(r.usage.completion_tokens == 7);
    BOOST_TEST(r.usage.reasoning_tokens == 3);
    BOOST_TEST(r.attempts == 1);
    const auto seen = server.requests();
    BOOST_REQUIRE(seen.size() == 1u);
    BOOST_TEST(seen[0].target == "/v1/chat/completions");
    BOOST_TEST(seen[0].headers.at("authorization") == std::string("Bearer ") + test_key);
    const auto body = body_of(seen[0]);
    BOOST_TEST(body.at("model").as_string() == "test-model");
    BOOST_TEST(body.at("max_tokens").as_int64() == 64); // a local server gets max_tokens
    BOOST_TEST(body.at("temperature").as_double() == 0.2);
    BOOST_TEST(body.at("messages").as_array().size() == 2u);
    const auto totals = client.totals();
    BOOST_TEST(totals.calls == 1);
    BOOST_TEST(totals.prompt_tokens == 11);
}

BOOST_AUTO_TEST_CASE(openai_itself_gets_max_completion_tokens_and_no_temperature_for_o_models) {
    LlmConfig config;
    config.base_url = "https://api.openai.com/v1";
    config.model = "o3-mini";
    const Endpoint endpoint = make_endpoint(config);
    BOOST_TEST(endpoint.official_openai);
    auto request = ask("hi");
    request.max_tokens = 100;
    request.temperature = 0.5;
    auto body = build_body(config, endpoint, request, false);
    BOOST_TEST(body.contains("max_completion_tokens"));
    BOOST_TEST(!body.contains("max_tokens"));
    BOOST_TEST(!body.contains("temperature"));
    config.model = "gpt-4o";
    body = build_body(config, make_endpoint(config), request, false);
    BOOST_TEST(body.contains("temperature"));
    config.token_field = TokenField::max_tokens;
    body = build_body(config, make_endpoint(config), request, false);
    BOOST_TEST(body.contains("max_tokens"));
}

BOOST_AUTO_TEST_CASE(reasoning_comes_from_either_field_and_from_think_tags) {
    ScriptServer server(in_order({
        ok_json(ScriptServer::openai_reply("Answer A", R"("reasoning_content":"Thought A")")),
        ok_json(ScriptServer::openai_reply("Answer B", R"("reasoning":"Thought B")")),
        ok_json(ScriptServer::openai_reply("<think>Thought C</think>\n\nAnswer C")),
        ok_json(ScriptServer::openai_reply("Thought D without an opening tag</think>Answer D")),
        ok_json(ScriptServer::openai_reply("Answer E<think>unclosed")),
    }));
    Client client(test_config(server));
    for (const char* letter : {"A", "B", "C", "D", "E"}) {
        const auto r = client.chat(ask("hi"));
        BOOST_TEST(r.content == std::string("Answer ") + letter);
        BOOST_TEST(r.reasoning.find(letter == std::string("E") ? "unclosed" : "Thought") == 0u);
    }
}

BOOST_AUTO_TEST_CASE(the_think_pattern_is_configurable) {
    ScriptServer server(always(ok_json(ScriptServer::openai_reply("[R]plan[/R]done"))));
    auto config = test_config(server);
    config.think = ThinkTags{"[R]", "[/R]"};
    Client client(config);
    const auto r = client.chat(ask("hi"));
    BOOST_TEST(r.content == "done");
    BOOST_TEST(r.reasoning == "plan");
}

BOOST_AUTO_TEST_CASE(odd_but_usable_bodies_are_read) {
    ScriptServer server(in_order({
        // content as an array of parts
        reply_with(
            R"({"choices":[{"message":{"content":[{"type":"text","text":"part1 "},{"type":"text","text":"part2"}]},"finish_reason":"stop"}]})"),
        // unknown finish_reason, no usage, no id
        reply_with(
            R"({"choices":[{"message":{"content":"x"},"finish_reason":"eos_token_weird"}]})"),
        // finish_reason null at the end, bigints and 1e999 in usage
        reply_with(
            R"({"choices":[{"message":{"content":"y"},"finish_reason":null}],"usage":{"prompt_tokens":123456789012345678901234567890,"completion_tokens":1e999}})"),
        // invalid UTF-8 and a lone surrogate in the content
        reply_with("{\"choices\":[{\"message\":{\"content\":\"bad \xFF byte "
                   "\\ud800\"},\"finish_reason\":\"stop\"}]}"),
    }));
    Client client(test_config(server));
    BOOST_TEST(client.chat(ask("1")).content == "part1 part2");
    auto r = client.chat(ask("2"));
    BOOST_TEST((r.finish == Finish::other));
    BOOST_TEST(r.finish_raw == "eos_token_weird");
    BOOST_TEST(!r.usage.reported);
    r = client.chat(ask("3"));
    BOOST_TEST(r.content == "y");
    BOOST_TEST(r.finish_raw.empty());
    r = client.chat(ask("4"));
    BOOST_TEST(r.content == "bad \xEF\xBF\xBD byte \xEF\xBF\xBD");
}

BOOST_AUTO_TEST_CASE(replies_without_an_answer_are_clear_errors) {
    ScriptServer server(in_order({
        reply_with(
            R"({"choices":[{"message":{"content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}]})"),
        reply_with(
            R"({"choices":[{"message":{"content":"","reasoning_content":"long thoughts"},"finish_reason":"length"}]})"),
        reply_with(R"({"choices":[{"message":{"content":null},"finish_reason":"stop"}]})"),
    }));
    Client client(test_config(server));
    auto e = failure(client);
    BOOST_TEST((e.category() == C::content));
    BOOST_TEST(std::string(e.what()).find("refused") != std::string::npos);
    BOOST_TEST((e.kind() == kerntune::ErrorKind::wrong_structure));
    e = failure(client);
    BOOST_TEST(std::string(e.what()).find("token limit") != std::string::npos);
    e = failure(client);
    BOOST_TEST(std::string(e.what()).find("empty answer") != std::string::npos);
    BOOST_TEST(server.requests().size() == 3u); // none of these is retried
}

BOOST_AUTO_TEST_CASE(bodies_without_choices_are_retried_then_reported) {
    for (const char* body : {R"({"choices":[]})", R"({"choices":null})", R"({})", "null", ""}) {
        ScriptServer server(always(ok_json(body)));
        Client client(test_config(server));
        const auto e = failure(client);
        BOOST_TEST((e.category() == C::protocol));
        BOOST_TEST(server.requests().size() == 3u); // 1 + max_retries
    }
    ScriptServer no_content(always("HTTP/1.1 204 No Content\r\n\r\n"));
    Client client(test_config(no_content));
    BOOST_TEST(std::string(failure(client).what()).find("empty body") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_retried_call_succeeds_when_the_server_recovers) {
    ScriptServer server(in_order({
        ScriptServer::response(
            503, R"({"error":{"code":503,"message":"Loading model","type":"unavailable_error"}})"),
        ScriptServer::response(429,
                               R"({"error":{"message":"slow down","code":"rate_limit_exceeded"}})",
                               "application/json", "Retry-After: 0.05\r\n"),
        ok_json(ScriptServer::openai_reply("finally")),
    }));
    LogCapture log;
    Client client(test_config(server, &log));
    const auto r = client.chat(ask("hi"));
    BOOST_TEST(r.content == "finally");
    BOOST_TEST(r.attempts == 3);
    BOOST_TEST(log.all().find("retrying") != std::string::npos);
    BOOST_TEST(client.totals().http_requests == 3);
}

BOOST_AUTO_TEST_CASE(every_retryable_status_is_retried_and_the_rest_fail_fast) {
    for (int status : {408, 409, 429, 500, 502, 503, 504, 529}) {
        ScriptServer server(always(ScriptServer::response(status, R"({"error":{"message":"x"}})")));
        Client client(test_config(server));
        failure(client);
        BOOST_TEST(server.requests().size() == 3u, "status " << status);
    }
    for (int status : {400, 401, 403, 404, 413, 422}) {
        ScriptServer server(always(ScriptServer::response(status, R"({"error":{"message":"x"}})")));
        Client client(test_config(server));
        failure(client);
        BOOST_TEST(server.requests().size() == 1u, "status " << status);
    }
}

BOOST_AUTO_TEST_CASE(server_hints_decide_about_retries) {
    {
        ScriptServer server(always(
            ScriptServer::response(500, "{}", "application/json", "x-should-retry: false\r\n")));
        Client client(test_config(server));
        failure(client);
        BOOST_TEST(server.requests().size() == 1u);
    }
    {
        ScriptServer server(always(ScriptServer::response(
            429,
            R"({"error":{"message":"quota","type":"insufficient_quota","code":"insufficient_quota"}})")));
        Client client(test_config(server));
        const auto e = failure(client);
        BOOST_TEST((e.category() == C::quota));
        BOOST_TEST(server.requests().size() == 1u);
    }
    {
        ScriptServer server(
            always(ScriptServer::response(429, "{}", "application/json", "Retry-After: 3600\r\n")));
        Client client(test_config(server));
        const auto e = failure(client);
        BOOST_TEST(std::string(e.what()).find("3600 s") != std::string::npos);
        BOOST_TEST(server.requests().size() == 1u);
    }
    {
        // Garbage and negative Retry-After values fall back to backoff.
        ScriptServer server(in_order({
            ScriptServer::response(429, "{}", "application/json", "Retry-After: soon\r\n"),
            ScriptServer::response(429, "{}", "application/json", "Retry-After: -5\r\n"),
            ok_json(ScriptServer::openai_reply("ok")),
        }));
        Client client(test_config(server));
        BOOST_TEST(client.chat(ask("hi")).attempts == 3);
    }
}

BOOST_AUTO_TEST_CASE(html_pages_say_what_answered) {
    {
        ScriptServer portal(always(ScriptServer::response(
            200, "<html><title>Hotel WiFi login</title></html>", "text/html")));
        Client client(test_config(portal));
        const auto e = failure(client);
        BOOST_TEST(std::string(e.what()).find("HTML page") != std::string::npos);
        BOOST_TEST(portal.requests().size() == 1u);
    }
    {
        ScriptServer gateway(always(ScriptServer::response(
            502, "<html><head><title>502 Bad Gateway</title></head></html>", "text/html")));
        Client client(test_config(gateway));
        const auto e = failure(client);
        BOOST_TEST(std::string(e.what()).find("502 Bad Gateway") != std::string::npos);
        BOOST_TEST(gateway.requests().size() == 3u);
    }
}

BOOST_AUTO_TEST_CASE(an_error_inside_a_200_is_not_an_answer) {
    ScriptServer server(always(ok_json(
        R"({"object":"error","message":"This model's maximum context length is 2048 tokens. However, you requested 4000 tokens","type":"BadRequestError","param":null,"code":400})")));
    Client client(test_config(server));
    const auto e = failure(client);
    BOOST_TEST((e.category() == C::context_length));
    BOOST_TEST(server.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_key_never_leaks_into_errors_even_when_the_server_echoes_it) {
    ScriptServer server(always(ScriptServer::response(
        401, std::string(R"({"error":{"message":"Incorrect API key provided: )") + test_key +
                 R"(","type":"invalid_request_error","code":"invalid_api_key"}})")));
    Client client(test_config(server));
    const auto e = failure(client); // failure() checks the key is absent
    BOOST_TEST(std::string(e.what()).find("[REDACTED]") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(transport_failures_are_retried_then_reported) {
    std::uint16_t port = 0;
    {
        ScriptServer gone(always(""));
        port = gone.port();
    }
    ScriptServer placeholder(always(""));
    auto config = test_config(placeholder);
    config.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
    Client client(config);
    const auto e = failure(client);
    BOOST_TEST((e.category() == C::transport));
    BOOST_TEST((e.kind() == kerntune::ErrorKind::llm_unavailable));

    // A truncated body the first time, a good one the second.
    ScriptServer flaky(in_order({"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"choi",
                                 ok_json(ScriptServer::openai_reply("whole"))}));
    Client retrying(test_config(flaky));
    BOOST_TEST(retrying.chat(ask("hi")).content == "whole");
}

BOOST_AUTO_TEST_CASE(stalls_end_within_their_timeouts) {
    ScriptServer silent(nullptr, nullptr, ScriptServer::Mode::silent);
    auto config = test_config(silent);
    config.http.first_byte_timeout = 150ms;
    config.retry.max_retries = 1;
    Client client(config);
    const auto start = std::chrono::steady_clock::now();
    const auto e = failure(client);
    BOOST_TEST((e.category() == C::timeout));
    BOOST_TEST((e.kind() == kerntune::ErrorKind::timeout));
    BOOST_TEST((std::chrono::steady_clock::now() - start < 2s));
}

BOOST_AUTO_TEST_CASE(oversized_compressed_redirected_and_deep_bodies_are_refused) {
    {
        ScriptServer server(always(ok_json(ScriptServer::openai_reply(std::string(200'000, 'x')))));
        auto config = test_config(server);
        config.http.max_response_bytes = 100'000;
        Client client(config);
        BOOST_TEST((failure(client).category() == C::too_large));
        BOOST_TEST(server.requests().size() == 1u);
    }
    {
        ScriptServer server(always(ScriptServer::response(
            200, "\x1f\x8b\x08\x00garbage", "application/json", "Content-Encoding: gzip\r\n")));
        Client client(test_config(server));
        BOOST_TEST(std::string(failure(client).what()).find("gzip") != std::string::npos);
    }
    {
        ScriptServer server(
            always(ScriptServer::response(302, "", "", "Location: http://elsewhere/v1\r\n")));
        Client client(test_config(server));
        BOOST_TEST(std::string(failure(client).what()).find("redirect") != std::string::npos);
        BOOST_TEST(server.requests().size() == 1u);
    }
    {
        ScriptServer server(always(ok_json(std::string(5000, '[') + std::string(5000, ']'))));
        Client client(test_config(server));
        BOOST_TEST((failure(client).category() == C::protocol));
    }
}

BOOST_AUTO_TEST_CASE(duplicate_and_odd_headers_do_not_matter) {
    ScriptServer server(always(ScriptServer::response(
        200, ScriptServer::openai_reply("fine"), "application/json",
        "X-Request-Id: req-1\r\nX-Request-Id: req-2\r\nx-ratelimit-remaining-requests: -1\r\n")));
    Client client(test_config(server));
    const auto r = client.chat(ask("hi"));
    BOOST_TEST(r.content == "fine");
    BOOST_TEST(r.request_id == "req-1");
}

BOOST_AUTO_TEST_CASE(anthropic_messages_are_spoken) {
    ScriptServer server(in_order({
        ScriptServer::response(
            529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"),
        ok_json(
            R"({"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[{"type":"thinking","thinking":"Let me see."},{"type":"text","text":"Hi there."}],"stop_reason":"end_turn","usage":{"input_tokens":20,"output_tokens":5}})"),
    }));
    Client client(test_config(server, nullptr, Dialect::anthropic));
    const auto r = client.chat(ask("hello"));
    BOOST_TEST(r.content == "Hi there.");
    BOOST_TEST(r.reasoning == "Let me see.");
    BOOST_TEST((r.finish == Finish::stop));
    BOOST_TEST(r.usage.prompt_tokens == 20);
    BOOST_TEST(r.usage.completion_tokens == 5);
    BOOST_TEST(r.attempts == 2);
    const auto seen = server.requests();
    BOOST_TEST(seen.back().target == "/v1/messages");
    BOOST_TEST(seen.back().headers.at("x-api-key") == test_key);
    BOOST_TEST(seen.back().headers.at("anthropic-version") == "2023-06-01");
    BOOST_TEST(!seen.back().headers.contains("authorization"));
    const auto body = body_of(seen.back());
    BOOST_TEST(body.at("system").as_string() == "You are terse.");
    BOOST_TEST(body.at("messages").as_array().size() == 1u);
    BOOST_TEST(body.at("max_tokens").as_int64() > 0);
}

BOOST_AUTO_TEST_CASE(the_models_probe_checks_endpoint_and_model) {
    ScriptServer server(always(ok_json(
        R"({"object":"list","data":[{"id":"test-model","object":"model"},{"id":"other","object":"model"}]})")));
    Client client(test_config(server));
    BOOST_TEST(client.list_models().size() == 2u);
    BOOST_CHECK_NO_THROW(client.probe());
    BOOST_TEST(server.requests().back().target == "/v1/models");
    BOOST_TEST(server.requests().back().method == "GET");

    auto config = test_config(server);
    config.model = "missing-model";
    Client wrong_model(config);
    try {
        wrong_model.probe();
        BOOST_FAIL("probe passed");
    } catch (const LlmError& e) {
        const std::string what = e.what();
        BOOST_TEST(what.find("missing-model") != std::string::npos);
        BOOST_TEST(what.find("test-model, other") != std::string::npos);
        BOOST_TEST(what.find("--model") != std::string::npos);
    }

    ScriptServer no_models(always(ScriptServer::response(404, "not found", "text/plain")));
    Client lost(test_config(no_models));
    try {
        lost.probe();
        BOOST_FAIL("probe passed");
    } catch (const LlmError& e) {
        BOOST_TEST(std::string(e.what()).find("/v1") != std::string::npos);
    }

    // llama-server offers one model under any name.
    ScriptServer llama(always(ok_json(
        R"({"data":[{"id":"/models/qwen.gguf","owned_by":"llamacpp","meta":{"n_ctx_train":4096}}]})")));
    Client any_name(test_config(llama));
    BOOST_CHECK_NO_THROW(any_name.probe());
}

BOOST_AUTO_TEST_CASE(usage_is_summed_per_run) {
    ScriptServer server(in_order({ok_json(ScriptServer::openai_reply("a")),
                                  ScriptServer::response(400, R"({"error":{"message":"bad"}})"),
                                  ok_json(ScriptServer::openai_reply("b"))}));
    Client client(test_config(server));
    client.chat(ask("1"));
    failure(client);
    client.chat(ask("3"));
    const auto totals = client.totals();
    BOOST_TEST(totals.calls == 3);
    BOOST_TEST(totals.failed_calls == 1);
    BOOST_TEST(totals.prompt_tokens == 22);
    BOOST_TEST(totals.completion_tokens == 14);
    BOOST_TEST(totals.reasoning_tokens == 6);
    const auto json_totals = to_json(totals);
    BOOST_TEST(json_totals.contains("wall_ms"));
}

BOOST_AUTO_TEST_CASE(cancelling_stops_the_call_and_its_backoff) {
    ScriptServer server(
        always(ScriptServer::response(503, "{}", "application/json", "Retry-After: 1\r\n")));
    auto config = test_config(server);
    config.retry.max_retries = 5;
    Client client(config);
    kerntune::net::CancelToken cancel;
    std::thread canceller([&] {
        std::this_thread::sleep_for(150ms);
        cancel.cancel();
    });
    const auto start = std::chrono::steady_clock::now();
    try {
        client.chat(ask("hi"), &cancel);
        BOOST_FAIL("no error");
    } catch (const LlmError& e) {
        BOOST_TEST((e.category() == C::cancelled));
        BOOST_TEST((e.kind() == kerntune::ErrorKind::cancelled));
    }
    BOOST_TEST((std::chrono::steady_clock::now() - start < 900ms));
    canceller.join();
}

BOOST_AUTO_TEST_SUITE_END()
