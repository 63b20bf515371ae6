// The structured-output ladder against scripted servers: each rung, stepping down on capability
// errors, the remembered rung, one repair request, pinned modes, and bad tool calls.
#include "client_fixture.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

using namespace kerntune::llm;
using namespace kerntune::testing;
namespace json = boost::json;
using C = LlmError::Category;

namespace {

const json::value schema = json::parse(R"({
    "type": "object",
    "properties": {"block_size": {"type": "integer", "minimum": 1}, "name": {"type": "string"}},
    "required": ["block_size", "name"], "additionalProperties": false})");

std::string tool_reply(std::string_view arguments_json_value) {
    return ok_json(
        R"({"choices":[{"message":{"content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"reply","arguments":)" +
        std::string(arguments_json_value) + R"(}}]},"finish_reason":"tool_calls"}]})");
}

std::string capability_error(std::string_view what) {
    return ScriptServer::response(400, R"({"error":{"message":")" + std::string(what) +
                                           R"(","type":"invalid_request_error","code":400}})");
}

std::string mode_of(const SeenRequest& request) {
    const auto body = body_of(request);
    if (body.as_object().contains("tools"))
        return "tool";
    if (const auto* format = body.as_object().if_contains("response_format"))
        return std::string(format->at("type").as_string());
    return "prompt";
}

} // namespace

BOOST_AUTO_TEST_SUITE(llm_structured)

BOOST_AUTO_TEST_CASE(json_schema_is_the_first_rung) {
    ScriptServer server(
        always(ok_json(ScriptServer::openai_reply(R"({"block_size": 32, "name": "a"})"))));
    Client client(test_config(server));
    const auto result = client.chat_structured(ask("give"), schema);
    BOOST_TEST(json::serialize(result.value) == R"({"block_size":32,"name":"a"})");
    BOOST_TEST((result.mode == StructuredMode::json_schema));
    BOOST_TEST(result.calls == 1);
    const auto body = body_of(server.requests().front());
    const auto& format = body.at("response_format");
    BOOST_TEST(format.at("type").as_string() == "json_schema");
    BOOST_TEST(format.at("json_schema").at("name").as_string() == "reply");
    BOOST_TEST(format.at("json_schema").at("schema") == schema);
}

BOOST_AUTO_TEST_CASE(capability_errors_step_down_and_the_working_rung_is_remembered) {
    ScriptServer server([](const SeenRequest& r, ServerConn& c) {
        const std::string mode = mode_of(r);
        if (mode == "json_schema")
            c.send(capability_error(
                R"(\"response_format\" must be one of \"text\" or \"json_object\")"));
        else if (mode == "json_object")
            c.send(ok_json(ScriptServer::openai_reply(R"({"block_size": 64, "name": "b"})")));
        else
            c.send(ScriptServer::response(500, "{}"));
    });
    Client client(test_config(server));
    auto result = client.chat_structured(ask("give"), schema);
    BOOST_TEST((result.mode == StructuredMode::json_object));
    BOOST_TEST((client.structured_mode() == StructuredMode::json_object));
    // The json_object rung carries the schema in the prompt (and the word JSON).
    const auto second = body_of(server.requests()[1]);
    const std::string system = std::string(second.at("messages").at(0).at("content").as_string());
    BOOST_TEST(system.find("JSON Schema") != std::string::npos);
    BOOST_TEST(system.find("block_size") != std::string::npos);
    // The next call starts at the remembered rung.
    result = client.chat_structured(ask("again"), schema);
    BOOST_TEST(server.requests().size() == 3u);
    BOOST_TEST(mode_of(server.requests()[2]) == "json_object");
}

BOOST_AUTO_TEST_CASE(an_invalid_reply_gets_one_repair_request_with_the_validator_message) {
    ScriptServer server(in_order({
        ok_json(ScriptServer::openai_reply(R"({"block_size": 0, "name": "c"})")),
        ok_json(ScriptServer::openai_reply(R"({"block_size": 16, "name": "c"})")),
    }));
    Client client(test_config(server));
    const auto result = client.chat_structured(ask("give"), schema);
    BOOST_TEST(result.value.at("block_size").as_int64() == 16);
    BOOST_TEST(result.calls == 2);
    const auto repair = body_of(server.requests()[1]);
    const auto& messages = repair.at("messages").as_array();
    BOOST_TEST(messages[messages.size() - 2].at("role").as_string() == "assistant");
    const std::string feedback(messages.back().at("content").as_string());
    BOOST_TEST(feedback.find("block_size") != std::string::npos);
    BOOST_TEST(feedback.find("does not match the schema") != std::string::npos);
    BOOST_TEST(result.last.usage.prompt_tokens == 22); // summed over both calls
}

BOOST_AUTO_TEST_CASE(the_tool_rung_reads_every_shape_of_arguments) {
    for (const char* arguments : {
             R"("{\"block_size\":8,\"name\":\"t\"}")", // a JSON string, as specified
             R"({"block_size":8,"name":"t"})",         // an object instead of a string
             R"("\"{\\\"block_size\\\":8,\\\"name\\\":\\\"t\\\"}\"")", // double-encoded
         }) {
        ScriptServer server(always(tool_reply(arguments)));
        auto config = test_config(server);
        config.structured_mode = StructuredMode::tool;
        Client client(config);
        const auto result = client.chat_structured(ask("give"), schema);
        BOOST_TEST(result.value.at("block_size").as_int64() == 8);
        const auto body = body_of(server.requests().front());
        BOOST_TEST(body.at("tool_choice").at("function").at("name").as_string() == "reply");
        BOOST_TEST(!body.as_object().contains("response_format"));
    }
}

BOOST_AUTO_TEST_CASE(bad_tool_calls_are_repaired_or_reported) {
    ScriptServer server(in_order({
        tool_reply(R"("this is not json")"),
        ok_json(ScriptServer::openai_reply("I would rather talk.")), // no tool call at all
    }));
    auto config = test_config(server);
    config.structured_mode = StructuredMode::tool; // pinned: no stepping down
    Client client(config);
    try {
        client.chat_structured(ask("give"), schema);
        BOOST_FAIL("no error");
    } catch (const LlmError& e) {
        BOOST_TEST((e.category() == C::schema));
        BOOST_TEST((e.kind() == kerntune::ErrorKind::wrong_structure));
        BOOST_TEST(std::string(e.what()).find("2 call(s)") != std::string::npos);
        BOOST_TEST_MESSAGE(e.what());
    }
    for (const auto& r : server.requests())
        BOOST_TEST(mode_of(r) == "tool");
}

BOOST_AUTO_TEST_CASE(free_text_with_reasoning_and_fences_is_extracted) {
    ScriptServer server(always(ok_json(ScriptServer::openai_reply(
        "<think>The user wants {block_size}. Maybe {\"x\":1}?</think>Sure, here it "
        "is:\n```json\n{\"block_size\": 128, \"name\": \"p\"}\n```"))));
    auto config = test_config(server);
    config.structured_mode = StructuredMode::prompt;
    Client client(config);
    const auto result = client.chat_structured(ask("give"), schema);
    BOOST_TEST(result.value.at("block_size").as_int64() == 128);
    BOOST_TEST(result.last.reasoning.find("The user wants") == 0u);
    BOOST_TEST(mode_of(server.requests().front()) == "prompt");
}

BOOST_AUTO_TEST_CASE(the_ladder_walks_down_to_the_last_rung) {
    ScriptServer server([](const SeenRequest& r, ServerConn& c) {
        const std::string mode = mode_of(r);
        if (mode == "json_schema")
            c.send(capability_error("json_schema is not supported with this model"));
        else if (mode == "json_object")
            c.send(capability_error("response_format json_object is not supported"));
        else if (mode == "tool")
            c.send(capability_error("\\\"auto\\\" tool choice requires --enable-auto-tool-choice"));
        else
            c.send(
                ok_json(ScriptServer::openai_reply(R"(Result: {"block_size": 4, "name": "z"})")));
    });
    LogCapture log;
    Client client(test_config(server, &log));
    const auto result = client.chat_structured(ask("give"), schema);
    BOOST_TEST((result.mode == StructuredMode::prompt));
    BOOST_TEST(result.calls == 4);
    BOOST_TEST((client.structured_mode() == StructuredMode::prompt));
    BOOST_TEST(log.all().find("does not support structured output") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_transport_error_never_steps_down) {
    ScriptServer server(always(ScriptServer::response(401, R"({"error":{"message":"bad key"}})")));
    Client client(test_config(server));
    try {
        client.chat_structured(ask("give"), schema);
        BOOST_FAIL("no error");
    } catch (const LlmError& e) {
        BOOST_TEST((e.category() == C::auth));
    }
    BOOST_TEST(server.requests().size() == 1u);
    BOOST_TEST((client.structured_mode() == StructuredMode::json_schema));
}

BOOST_AUTO_TEST_CASE(replies_that_never_fit_end_in_wrong_structure) {
    ScriptServer server(always(ok_json(ScriptServer::openai_reply(R"({"block_size": "big"})"))));
    Client client(test_config(server));
    try {
        client.chat_structured(ask("give"), schema);
        BOOST_FAIL("no error");
    } catch (const LlmError& e) {
        BOOST_TEST((e.kind() == kerntune::ErrorKind::wrong_structure));
        BOOST_TEST(std::string(e.what()).find("tried: json_schema, json_object, tool, prompt") !=
                   std::string::npos);
    }
    BOOST_TEST(server.requests().size() == 5u); // 4 rungs + 1 repair
}

BOOST_AUTO_TEST_CASE(numbers_out_of_range_and_truncated_json_are_rejected) {
    ScriptServer server(in_order({
        ok_json(ScriptServer::openai_reply(R"({"block_size": 1e999, "name": "n"})")),
        ok_json(ScriptServer::openai_reply(R"({"block_size": 2, "na)", "", "length")),
        ok_json(ScriptServer::openai_reply(R"({"block_size": 2, "name": "ok"})")),
    }));
    Client client(test_config(server));
    const auto result = client.chat_structured(ask("give"), schema);
    BOOST_TEST(result.value.at("name").as_string() == "ok");
    BOOST_TEST(result.calls == 3);
}

BOOST_AUTO_TEST_CASE(anthropic_structured_output_uses_a_forced_tool) {
    ScriptServer server([](const SeenRequest& r, ServerConn& c) {
        const auto body = body_of(r);
        if (body.as_object().contains("output_config"))
            c.send(capability_error(
                "output_config: structured outputs are not supported for this model"));
        else
            c.send(ok_json(
                R"({"type":"message","content":[{"type":"tool_use","id":"tu","name":"reply","input":{"block_size":2,"name":"claude"}}],"stop_reason":"tool_use","usage":{"input_tokens":3,"output_tokens":4}})"));
    });
    Client client(test_config(server, nullptr, Dialect::anthropic));
    const auto result = client.chat_structured(ask("give"), schema);
    BOOST_TEST((result.mode == StructuredMode::tool));
    BOOST_TEST(result.value.at("name").as_string() == "claude");
    const auto body = body_of(server.requests().back());
    BOOST_TEST(body.at("tool_choice").at("type").as_string() == "tool");
    BOOST_TEST(body.at("tools").at(0).at("input_schema") == schema);
}

BOOST_AUTO_TEST_SUITE_END()
