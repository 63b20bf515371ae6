// kerntune.llm/1 over the client, and `kerntune llm chat` end to end (record, then replay with
// the server stopped).
#include "client_fixture.hpp"

#include "host/cli/commands.hpp"
#include "host/services/host_api.hpp"
#include "host/services/llm_service.hpp"
#include "tests/support/service_call.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace kerntune::testing;
namespace json = boost::json;
using kerntune::host::LlmSetup;

namespace {

using Call = ServiceCall;

Call call(const kt_llm_api* api, kt_llm* llm, std::string_view request,
          std::string_view schema = "") {
    kt_buffer* reply = nullptr;
    kt_error* error = schema.empty() ? api->chat(llm, request.data(), request.size(), &reply)
                                     : api->chat_structured(llm, request.data(), request.size(),
                                                            schema.data(), schema.size(), &reply);
    return service_call_outcome(error, reply);
}

struct Captured {
    int code = 0;
    std::string out;
    std::string err;
};

Captured run_cli(std::vector<std::string> args) {
    args.insert(args.begin(), "kerntune");
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    std::ostringstream out, err;
    auto* old_out = std::cout.rdbuf(out.rdbuf());
    auto* old_err = std::cerr.rdbuf(err.rdbuf());
    Captured c;
    c.code = kerntune::cli::run(static_cast<int>(argv.size()), argv.data());
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    c.out = out.str();
    c.err = err.str();
    return c;
}

ScriptServer::Handler endpoint() {
    return [](const SeenRequest& r, ServerConn& c) {
        if (r.target == "/v1/models") {
            c.send(ok_json(R"({"data":[{"id":"test-model"}]})"));
            return;
        }
        const auto body = body_of(r);
        if (body.as_object().contains("response_format"))
            c.send(ok_json(ScriptServer::openai_reply(R"({"n": 3})")));
        else if (r.headers.count("authorization") &&
                 r.headers.at("authorization") != std::string("Bearer ") + test_key)
            c.send(ScriptServer::response(401, R"({"error":{"message":"wrong key"}})"));
        else
            c.send(ok_json(ScriptServer::openai_reply("<think>hmm</think>Hello from the test")));
    };
}

} // namespace

BOOST_AUTO_TEST_SUITE(llm_service)

BOOST_AUTO_TEST_CASE(the_table_answers_chat_and_structured_calls) {
    ScriptServer server(endpoint());
    kerntune::host::register_llm_service();
    const auto* api =
        static_cast<const kt_llm_api*>(kerntune::host::host_api()->get_service(KT_SERVICE_LLM));
    BOOST_REQUIRE(api == kerntune::host::llm_table());
    LlmSetup setup;
    setup.config = test_config(server);
    auto llm = kerntune::host::make_llm(std::move(setup)); // probes /v1/models

    auto r =
        call(api, llm.get(),
             R"({"messages":[{"role":"user","content":"hi"}],"temperature":0.1,"max_tokens":50})");
    BOOST_REQUIRE_MESSAGE(r.ok, r.text);
    const auto reply = json::parse(r.text);
    BOOST_TEST(reply.at("content").as_string() == "Hello from the test");
    BOOST_TEST(reply.at("reasoning").as_string() == "hmm");
    BOOST_TEST(reply.at("usage").at("prompt_tokens").as_int64() == 11);
    BOOST_TEST(reply.at("usage").as_object().contains("wall_ms"));

    r = call(api, llm.get(), R"({"messages":[{"role":"user","content":"n?"}]})",
             R"({"type":"object","required":["n"],"properties":{"n":{"type":"integer"}}})");
    BOOST_REQUIRE_MESSAGE(r.ok, r.text);
    BOOST_TEST(r.text == R"({"n":3})");

    for (const char* bad : {"not json", "[]", R"({"messages":[]})",
                            R"({"messages":[{"role":"wizard","content":"x"}]})",
                            R"({"messages":[{"role":"user","content":"x"}],"max_tokens":-1})"}) {
        r = call(api, llm.get(), bad);
        BOOST_TEST(!r.ok);
        BOOST_TEST(r.kind == KT_ERROR_INVALID_ARGUMENT, bad << ": " << r.text);
    }
    r = call(api, llm.get(), R"({"messages":[{"role":"user","content":"x"}]})", "{broken");
    BOOST_TEST(r.kind == KT_ERROR_INVALID_ARGUMENT);
    r = call(api, nullptr, R"({"messages":[{"role":"user","content":"x"}]})");
    BOOST_TEST(r.kind == KT_ERROR_LLM_UNAVAILABLE);
    BOOST_TEST(r.text.find("no LLM is configured") != std::string::npos, r.text);
    r = call(api, llm.get(), R"({"messages":[{"role":"user","content":"x"}]})",
             R"({"type":"object","required":["missing"]})");
    BOOST_TEST(r.kind == KT_ERROR_WRONG_STRUCTURE);

    kerntune::host::cancel_llm(*llm);
    r = call(api, llm.get(), R"({"messages":[{"role":"user","content":"hi"}]})");
    BOOST_TEST(r.kind == KT_ERROR_CANCELLED);
    kt_error* null_handle = api->chat(nullptr, "{}", 2, nullptr);
    BOOST_TEST(null_handle != nullptr);
    kerntune::host::host_api()->error_free(null_handle);
}

BOOST_AUTO_TEST_CASE(an_endpoint_that_is_not_there_is_llm_unavailable) {
    std::uint16_t port = 0;
    {
        ScriptServer gone(endpoint());
        port = gone.port();
    }
    ScriptServer placeholder(endpoint());
    LlmSetup setup;
    setup.config = test_config(placeholder);
    setup.config.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
    setup.config.retry.max_retries = 0;
    try {
        kerntune::host::make_llm(std::move(setup));
        BOOST_FAIL("the probe passed");
    } catch (const kerntune::llm::LlmError& e) {
        BOOST_TEST((e.kind() == kerntune::ErrorKind::llm_unavailable));
        BOOST_TEST(std::string(e.what()).find("cannot reach") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(llm_chat_records_and_replays_from_the_command_line) {
    ::setenv("KERNTUNE_API_KEY", test_key, 1);
    const auto dir =
        std::filesystem::temp_directory_path() / ("kerntune-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string transcript = (dir / "t.jsonl").string();
    const std::string schema = (dir / "schema.json").string();
    std::ofstream(schema) << R"({"type":"object","required":["n"]})";

    Captured live, live_json, live_schema;
    {
        ScriptServer server(endpoint());
        const std::string url = server.url("/v1");
        live = run_cli({"llm", "chat", "--base-url", url, "--model", "test-model", "--record",
                        transcript, "say hello"});
        live_json = run_cli({"llm", "chat", "--base-url", url, "--model", "test-model", "--record",
                             transcript, "--json", "say hello"});
        live_schema = run_cli({"llm", "chat", "--base-url", url, "--model", "test-model",
                               "--record", transcript, "--schema", schema, "give n"});
    }
    BOOST_TEST(live.code == 0, live.err);
    BOOST_TEST(live.out == "Hello from the test\n");
    const auto full = json::parse(live_json.out);
    BOOST_TEST(full.at("usage").at("total_tokens").as_int64() == 18);
    BOOST_TEST(full.at("reasoning").as_string() == "hmm");
    BOOST_TEST(full.at("totals").at("calls").as_int64() == 1);
    BOOST_TEST(live_schema.out == "{\"n\":3}\n");

    // The server is gone; the transcript answers, whatever the port.
    const auto replayed = run_cli({"llm", "chat", "--base-url", "http://127.0.0.1:9/v1", "--model",
                                   "test-model", "--replay", transcript, "say hello"});
    BOOST_TEST(replayed.code == 0, replayed.err);
    BOOST_TEST(replayed.out == live.out);
    const auto replayed_schema =
        run_cli({"llm", "chat", "--base-url", "http://127.0.0.1:9/v1", "--model", "test-model",
                 "--replay", transcript, "--schema", schema, "give n"});
    BOOST_TEST(replayed_schema.out == live_schema.out);
    const auto unknown = run_cli({"llm", "chat", "--base-url", "http://127.0.0.1:9/v1", "--model",
                                  "test-model", "--replay", transcript, "other"});
    BOOST_TEST(unknown.code != 0);
    BOOST_TEST(unknown.err.find("no exchange in the transcript") != std::string::npos);

    std::ifstream in(transcript);
    const std::string recorded((std::istreambuf_iterator<char>(in)), {});
    BOOST_TEST(recorded.find(test_key) == std::string::npos);
    ::unsetenv("KERNTUNE_API_KEY");
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(llm_chat_reports_bad_usage_and_missing_endpoints_with_exit_codes) {
    BOOST_TEST(run_cli({"llm"}).code == 2);
    BOOST_TEST(run_cli({"llm", "chat"}).code == 2);
    BOOST_TEST(run_cli({"llm", "chat", "--bogus", "x"}).code == 2);
    BOOST_TEST(run_cli({"llm", "chat", "--max-tokens", "many", "x"}).code == 2);
    BOOST_TEST(run_cli({"llm", "chat", "--base-url", "localhost:8000", "x"}).code == 2);
    BOOST_TEST(run_cli({"llm", "--help"}).out.find("--base-url") != std::string::npos);
    std::uint16_t port = 0;
    {
        ScriptServer gone(endpoint());
        port = gone.port();
    }
    const auto unreachable =
        run_cli({"llm", "chat", "--base-url", "http://127.0.0.1:" + std::to_string(port) + "/v1",
                 "--model", "m", "--retries", "0", "hi"});
    BOOST_TEST(unreachable.code == 3);
    BOOST_TEST(unreachable.err.find("cannot reach") != std::string::npos);
    ScriptServer server(endpoint());
    const auto wrong_model =
        run_cli({"llm", "chat", "--base-url", server.url("/v1"), "--model", "nope", "hi"});
    BOOST_TEST(wrong_model.code == 3);
    BOOST_TEST(wrong_model.err.find("test-model") != std::string::npos);
    const auto models = run_cli({"llm", "models", "--base-url", server.url("/v1")});
    BOOST_TEST(models.out == "test-model\n");
}

BOOST_AUTO_TEST_SUITE_END()
