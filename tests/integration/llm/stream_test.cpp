// Streaming over real sockets: SSE framing, usage and tool fragments, truncation, errors in the
// middle of a stream, Anthropic's named events.
#include "client_fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace kerntune::llm;
using namespace kerntune::testing;
using namespace std::chrono_literals;
using C = LlmError::Category;

namespace {

std::string chunk_json(std::string_view delta, std::string_view finish = "null") {
    return R"({"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":)" +
           std::string(delta) + R"(,"finish_reason":)" + std::string(finish) + "}]}";
}

// An event stream sent as one chunked body, each event its own chunk.
ScriptServer::Handler sse(std::vector<std::string> events, std::size_t trickle = 0) {
    return [events = std::move(events), trickle](const SeenRequest&, ServerConn& c) {
        c.send(ScriptServer::chunked_head(200, "text/event-stream"));
        for (const auto& e : events) {
            if (trickle)
                c.trickle(ScriptServer::chunk(e), trickle, 0ms);
            else
                c.send(ScriptServer::chunk(e));
        }
        c.send(ScriptServer::chunk(""));
    };
}

LlmConfig streaming(const ScriptServer& server, std::string* progress = nullptr,
                    Dialect dialect = Dialect::openai) {
    auto config = test_config(server, nullptr, dialect);
    config.stream = true;
    if (progress)
        config.progress = [progress](std::string_view delta, bool reasoning) {
            *progress += (reasoning ? "R:" : "C:") + std::string(delta) + "|";
        };
    return config;
}

LlmError stream_failure(Client& client) {
    try {
        client.chat(ask("hi"));
    } catch (const LlmError& e) {
        BOOST_TEST_MESSAGE(e.what());
        return e;
    }
    BOOST_FAIL("the stream did not fail");
    return LlmError(C::protocol, "");
}

const std::vector<std::string> good_stream = {
    ": ping\n\n",
    "data: " + chunk_json(R"({"role":"assistant","content":""})") + "\n\n",
    "data: " + chunk_json(R"({"reasoning_content":"think "})") + "\n\n",
    "data: " + chunk_json(R"({"reasoning":"more"})") + "\n\n",
    "data: " + chunk_json(R"({"content":"Hel"})") + "\n\n",
    "data: " + chunk_json(R"({"content":"lo"})", "\"stop\"") + "\n\n",
    R"(data: {"id":"c1","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"completion_tokens_details":{"reasoning_tokens":1}}})"
    "\n\n",
    "data: [DONE]\n\n",
};

} // namespace

BOOST_AUTO_TEST_SUITE(llm_stream)

BOOST_AUTO_TEST_CASE(a_stream_is_assembled_with_usage_and_progress) {
    ScriptServer server(sse(good_stream));
    std::string progress;
    Client client(streaming(server, &progress));
    const auto r = client.chat(ask("hi"));
    BOOST_TEST(r.content == "Hello");
    BOOST_TEST(r.reasoning == "think more");
    BOOST_TEST((r.finish == Finish::stop));
    BOOST_TEST(r.usage.prompt_tokens == 5);
    BOOST_TEST(r.usage.reasoning_tokens == 1);
    BOOST_TEST(progress == "R:think |R:more|C:Hel|C:lo|");
    const auto body = body_of(server.requests().front());
    BOOST_TEST(body.at("stream").as_bool());
    BOOST_TEST(body.at("stream_options").at("include_usage").as_bool());
    BOOST_TEST(server.requests().front().headers.at("accept") == "text/event-stream");
}

BOOST_AUTO_TEST_CASE(byte_by_byte_crlf_streams_parse_the_same) {
    std::vector<std::string> crlf;
    for (auto e : good_stream) {
        std::string out;
        for (char c : e)
            out += c == '\n' ? std::string("\r\n") : std::string(1, c);
        crlf.push_back(out);
    }
    ScriptServer server(sse(crlf, 1));
    Client client(streaming(server));
    const auto r = client.chat(ask("hi"));
    BOOST_TEST(r.content == "Hello");
    BOOST_TEST(r.usage.completion_tokens == 2);
}

BOOST_AUTO_TEST_CASE(tool_call_fragments_are_joined_per_index) {
    ScriptServer server(sse({
        "data: " +
            chunk_json(
                R"({"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"reply","arguments":""}}]})") +
            "\n\n",
        "data: " +
            chunk_json(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"a\":"}}]})") +
            "\n\n",
        "data: " +
            chunk_json(
                R"({"tool_calls":[{"index":1,"id":"call_2","function":{"name":"other","arguments":"{}"}}]})") +
            "\n\n",
        "data: " +
            chunk_json(R"({"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]})",
                       "\"tool_calls\"") +
            "\n\n",
        "data: [DONE]\n\n",
    }));
    Client client(streaming(server));
    const auto r = client.chat(ask("hi"));
    BOOST_REQUIRE(r.tool_calls.size() == 2u);
    BOOST_TEST(r.tool_calls[0].id == "call_1");
    BOOST_TEST(r.tool_calls[0].name == "reply");
    BOOST_TEST(r.tool_calls[0].arguments == R"({"a":1})");
    BOOST_TEST(r.tool_calls[1].name == "other");
    BOOST_TEST((r.finish == Finish::tool_calls));
}

BOOST_AUTO_TEST_CASE(end_of_stream_oddities) {
    // Duplicate [DONE] and data after it are ignored; chunks without delta are fine.
    ScriptServer server(sse({
        "data: " + chunk_json(R"({"content":"ok"})") + "\n\n",
        R"(data: {"choices":[{"index":0,"finish_reason":"stop"}]})"
        "\n\n",
        "data: [DONE]\n\n",
        "data: [DONE]\n\n",
        "data: " + chunk_json(R"({"content":"late"})") + "\n\n",
    }));
    Client client(streaming(server));
    const auto r = client.chat(ask("hi"));
    BOOST_TEST(r.content == "ok");
    BOOST_TEST(!r.usage.reported);
}

BOOST_AUTO_TEST_CASE(a_stream_without_done_is_truncated_and_not_retried_after_output) {
    ScriptServer server(sse({"data: " + chunk_json(R"({"content":"partial"})") + "\n\n"}));
    Client client(streaming(server));
    const auto e = stream_failure(client);
    BOOST_TEST((e.category() == C::protocol));
    BOOST_TEST(std::string(e.what()).find("truncated") != std::string::npos);
    BOOST_TEST(server.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_stream_cut_before_any_output_is_retried) {
    // The first connection ends without the last chunk; the second request gets a good stream.
    ScriptServer::Handler first_bad = [calls = std::make_shared<int>(0)](const SeenRequest& r,
                                                                         ServerConn& c) {
        if ((*calls)++ == 0) {
            c.send(ScriptServer::chunked_head(200, "text/event-stream") +
                   ScriptServer::chunk(": ping\n\n"));
            c.close();
            return;
        }
        sse(good_stream)(r, c);
    };
    ScriptServer flaky(first_bad);
    Client client(streaming(flaky));
    const auto r = client.chat(ask("hi"));
    BOOST_TEST(r.content == "Hello");
    BOOST_TEST(r.attempts == 2);
}

BOOST_AUTO_TEST_CASE(errors_in_the_middle_of_a_stream_in_every_framing) {
    const std::vector<std::vector<std::string>> streams = {
        {"data: " + chunk_json(R"({"content":"a"})") + "\n\n",
         R"(data: {"error":{"message":"The server had an error","type":"server_error"}})"
         "\n\n"},
        {"error: {\"code\":500,\"message\":\"llama.cpp old error field\"}\n\n"},
        {"{\"error\":{\"message\":\"unframed proxy error\",\"code\":502}}\n"},
        {"data: {not json\n\n"},
    };
    for (const auto& events : streams) {
        ScriptServer server(sse(events));
        auto config = streaming(server);
        config.retry.max_retries = 0;
        Client client(config);
        const auto e = stream_failure(client);
        BOOST_TEST(std::string(e.what()).size() > 10u);
    }
}

BOOST_AUTO_TEST_CASE(plain_json_and_json_errors_answer_a_stream_request) {
    ScriptServer plain(always(ok_json(ScriptServer::openai_reply("not streamed"))));
    Client client(streaming(plain));
    BOOST_TEST(client.chat(ask("hi")).content == "not streamed");

    ScriptServer error(always(ScriptServer::response(401, R"({"error":{"message":"no key"}})")));
    Client refused(streaming(error));
    BOOST_TEST((stream_failure(refused).category() == C::auth));
}

BOOST_AUTO_TEST_CASE(endless_pings_hit_the_idle_timer_only_if_they_stop) {
    ScriptServer server([](const SeenRequest&, ServerConn& c) {
        c.send(ScriptServer::chunked_head(200, "text/event-stream"));
        for (int i = 0; i < 5; ++i) {
            c.send(ScriptServer::chunk(": ping\n\n"));
            c.pause(50ms);
        }
        c.pause(2s); // then silence
    });
    auto config = streaming(server);
    config.http.idle_timeout = 200ms;
    config.retry.max_retries = 0;
    Client client(config);
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST((stream_failure(client).category() == C::timeout));
    BOOST_TEST((std::chrono::steady_clock::now() - start < 1500ms));
}

BOOST_AUTO_TEST_CASE(think_tags_in_streamed_content_are_split_at_the_end) {
    ScriptServer server(sse({
        "data: " + chunk_json(R"({"content":"<thi"})") + "\n\n",
        "data: " + chunk_json(R"({"content":"nk>plan</th"})") + "\n\n",
        "data: " + chunk_json(R"({"content":"ink>answer"})", "\"stop\"") + "\n\n",
        "data: [DONE]\n\n",
    }));
    Client client(streaming(server));
    const auto r = client.chat(ask("hi"));
    BOOST_TEST(r.content == "answer");
    BOOST_TEST(r.reasoning == "plan");
}

BOOST_AUTO_TEST_CASE(anthropic_named_events_are_assembled) {
    ScriptServer server(sse({
        "event: message_start\ndata: "
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\","
        "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n",
        "event: ping\ndata: {\"type\":\"ping\"}\n\n",
        "event: content_block_start\ndata: "
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\","
        "\"thinking\":\"\"}}\n\n",
        "event: content_block_delta\ndata: "
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\","
        "\"thinking\":\"hmm\"}}\n\n",
        "event: content_block_start\ndata: "
        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\","
        "\"text\":\"\"}}\n\n",
        "event: content_block_delta\ndata: "
        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":"
        "\"Hi\"}}\n\n",
        "event: brand_new_event\ndata: {\"type\":\"brand_new_event\"}\n\n",
        "event: content_block_start\ndata: "
        "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\","
        "\"id\":\"tu_1\",\"name\":\"reply\",\"input\":{}}}\n\n",
        "event: content_block_delta\ndata: "
        "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\","
        "\"partial_json\":\"{\\\"a\\\":\"}}\n\n",
        "event: content_block_delta\ndata: "
        "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\","
        "\"partial_json\":\"2}\"}}\n\n",
        "event: message_delta\ndata: "
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_"
        "tokens\":9}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    }));
    Client client(streaming(server, nullptr, Dialect::anthropic));
    const auto r = client.chat(ask("hi"));
    BOOST_TEST(r.content == "Hi");
    BOOST_TEST(r.reasoning == "hmm");
    BOOST_REQUIRE(r.tool_calls.size() == 1u);
    BOOST_TEST(r.tool_calls[0].arguments == R"({"a":2})");
    BOOST_TEST((r.finish == Finish::tool_calls));
    BOOST_TEST(r.usage.prompt_tokens == 12);
    BOOST_TEST(r.usage.completion_tokens == 9);

    ScriptServer overloaded(sse({
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\"}}\n\n",
        "event: error\ndata: "
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"
        "\n\n",
    }));
    auto config = streaming(overloaded, nullptr, Dialect::anthropic);
    Client failing(config);
    const auto e = stream_failure(failing);
    BOOST_TEST((e.category() == C::overloaded));
    BOOST_TEST(overloaded.requests().size() == 3u); // nothing was delivered, so it was retried

    ScriptServer no_stop(sse({
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\"}}\n\n",
        "event: content_block_delta\ndata: "
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
        "\"cut\"}}\n\n",
    }));
    Client truncated(streaming(no_stop, nullptr, Dialect::anthropic));
    BOOST_TEST(std::string(stream_failure(truncated).what()).find("message_stop") !=
               std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
