// Record and replay: a round trip through a transcript with the server stopped, a loud failure
// on an unknown request, and the secret test (the key appears in no log, transcript, error or
// report).
#include "client_fixture.hpp"

#include "core/llm/transcript.hpp"
#include "core/net/http_client.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace kerntune::llm;
using namespace kerntune::testing;
namespace json = boost::json;

namespace {

std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

const json::value schema = json::parse(R"({"type":"object","required":["n"],
    "properties":{"n":{"type":"integer"}}})");

ScriptServer::Handler scripted() {
    return [](const SeenRequest& r, ServerConn& c) {
        const auto body = body_of(r);
        if (body.as_object().contains("stream")) {
            c.send(ScriptServer::chunked_head(200, "text/event-stream"));
            c.send(ScriptServer::chunk(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"str\"}}]}\n\n"));
            c.send(ScriptServer::chunk(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"eamed \\u00e9\"},"
                "\"finish_reason\":\"stop\"}]}\r\n\r\ndata: [DONE]\n\n"));
            c.send(ScriptServer::chunk(""));
        } else if (body.as_object().contains("response_format")) {
            c.send(ok_json(ScriptServer::openai_reply(R"({"n": 7})")));
        } else {
            const std::string question(
                body.at("messages").as_array().back().at("content").as_string());
            // Servers echo odd things; one echoes the key, which must not reach the transcript.
            c.send(ok_json(ScriptServer::openai_reply("<think>hm</think>You said " + question +
                                                      " with " + test_key)));
        }
    };
}

struct Outcome {
    std::string plain;
    std::string reasoning;
    std::string streamed;
    std::string structured;
};

Outcome run_all(Client& client, LlmConfig streaming_config,
                std::shared_ptr<kerntune::net::Transport> transport) {
    Outcome o;
    auto r = client.chat(ask("one"));
    o.plain = r.content;
    o.reasoning = r.reasoning;
    o.structured = json::serialize(client.chat_structured(ask("two"), schema).value);
    streaming_config.stream = true;
    Client streaming(streaming_config, std::move(transport));
    o.streamed = streaming.chat(ask("three")).content;
    return o;
}

} // namespace

BOOST_AUTO_TEST_SUITE(llm_transcript)

BOOST_AUTO_TEST_CASE(a_recorded_run_replays_identically_with_the_server_gone) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("kerntune-transcript-" + std::to_string(::getpid()) + ".jsonl");
    std::filesystem::remove(path);
    LogCapture log;
    Outcome recorded;
    {
        ScriptServer server(scripted());
        auto config = test_config(server, &log);
        auto recorder = std::make_shared<RecordingTransport>(
            std::make_shared<kerntune::net::HttpClient>(config.http), path.string(),
            std::vector<std::string>{config.api_key});
        Client client(config, recorder);
        recorded = run_all(client, config, recorder);
        server.stop();
    }
    BOOST_TEST(recorded.plain == std::string("You said one with [REDACTED]"));
    BOOST_TEST(recorded.streamed == "streamed \xC3\xA9");

    const std::string transcript = read_all(path.string());
    BOOST_TEST(transcript.find(test_key) == std::string::npos);
    BOOST_TEST(transcript.find("Bearer") == std::string::npos);
    BOOST_TEST(transcript.find("[REDACTED]") != std::string::npos);
    std::size_t lines = 0;
    for (char c : transcript)
        lines += c == '\n';
    BOOST_TEST(lines == 3u);

    // Replay: no server at all, a different key and port, same answers.
    auto replay = std::make_shared<ReplayTransport>(path.string());
    BOOST_TEST(replay->exchanges() == 3u);
    LlmConfig config;
    config.base_url = "http://127.0.0.1:9/v1"; // nothing listens there
    config.model = "test-model";
    config.api_key = "another-key";
    config.retry.max_retries = 0;
    Client client(config, replay);
    const Outcome replayed = run_all(client, config, replay);
    BOOST_TEST(replayed.plain == "You said one with [REDACTED]");
    BOOST_TEST(replayed.reasoning == recorded.reasoning);
    BOOST_TEST(replayed.structured == recorded.structured);
    BOOST_TEST(replayed.streamed == recorded.streamed);

    // A request the transcript never saw fails loudly.
    try {
        client.chat(ask("something new"));
        BOOST_FAIL("replay answered an unknown request");
    } catch (const LlmError& e) {
        BOOST_TEST(std::string(e.what()).find("no exchange in the transcript") !=
                   std::string::npos);
    }

    BOOST_TEST(log.all().find(test_key) == std::string::npos);
    std::filesystem::remove(path);
}

BOOST_AUTO_TEST_CASE(the_key_appears_in_no_log_error_or_report) {
    // Errors that quote the key, retries that log, a proxy URL with credentials.
    ScriptServer server(in_order({
        ScriptServer::response(503, std::string(R"({"error":{"message":"key )") + test_key +
                                        R"( is overloaded"}})"),
        ScriptServer::response(401, std::string(R"({"error":{"message":"bad key )") + test_key +
                                        R"("}})"),
        ok_json(ScriptServer::openai_reply(std::string("echo ") + test_key)),
    }));
    LogCapture log;
    auto config = test_config(server, &log);
    Client client(config);
    std::string error;
    try {
        client.chat(ask("hi"));
    } catch (const LlmError& e) {
        error = e.what();
    }
    BOOST_TEST(!error.empty());
    BOOST_TEST(error.find(test_key) == std::string::npos);
    BOOST_TEST(log.all().find("retrying") != std::string::npos);
    BOOST_TEST(log.all().find(test_key) == std::string::npos);
    // The model echoing the key is content, and the report of it carries no key fields.
    const auto r = client.chat(ask("again"));
    const std::string report =
        json::serialize(to_json(r)) + json::serialize(to_json(client.totals()));
    BOOST_TEST(report.find("api_key") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_broken_transcript_names_its_bad_line) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("kerntune-bad-" + std::to_string(::getpid()) + ".jsonl");
    std::ofstream(path) << "{\"key\":\"1\",\"status\":200,\"chunks\":[]}\n\nnot json\n";
    try {
        ReplayTransport replay(path.string());
        BOOST_FAIL("a broken transcript loaded");
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("line 3") != std::string::npos);
    }
    std::filesystem::remove(path);
    BOOST_CHECK_THROW(ReplayTransport("/nonexistent/t.jsonl"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
