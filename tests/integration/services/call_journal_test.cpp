// The call journal (host/services/call_journal.hpp) on its own, and behind kerntune.llm/1 and
// kerntune.test_runner/1: what a run recorded comes back on resume, in order, without the
// network or a device.
#include "client_fixture.hpp"

#include "host/services/call_journal.hpp"
#include "host/services/host_api.hpp"
#include "host/services/llm_service.hpp"
#include "host/services/test_runner_service.hpp"
#include "tests/support/kinded_error_of.hpp"
#include "tests/support/service_call.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

using namespace kerntune;
using namespace kerntune::testing;
namespace json = boost::json;
using host::CallJournal;

namespace {

json::value answer_with(int n) {
    return json::object{{"n", n}};
}

// A call body that records that it ran.
struct Counted {
    int runs = 0;
    json::value result;
    std::function<json::value()> body() {
        return [this] {
            ++runs;
            return result;
        };
    }
};

std::string read(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every line of the file, each checked to be JSON.
std::vector<json::value> lines_of(const std::filesystem::path& path) {
    std::vector<json::value> out;
    std::istringstream in(read(path));
    for (std::string line; std::getline(in, line);)
        out.push_back(json::parse(line));
    return out;
}

const json::value request_a = json::parse(R"({"kernel": "k", "params": {"x": 1, "y": 2}})");

} // namespace

BOOST_AUTO_TEST_SUITE(call_journal)

BOOST_AUTO_TEST_CASE(an_answer_recorded_by_one_run_is_replayed_by_the_next_without_running) {
    test::TempDir dir;
    const auto path = dir.path / "journal.jsonl";
    {
        CallJournal journal(path);
        Counted first{0, answer_with(1)};
        const auto answer = journal.call("run_tests", request_a, first.body());
        BOOST_TEST(!answer.replayed);
        BOOST_TEST(answer.value() == answer_with(1));
        BOOST_TEST(first.runs == 1);
    }
    CallJournal resumed(path);
    Counted again{0, answer_with(2)};
    // Key order and spacing do not make another request.
    const auto answer = resumed.call(
        "run_tests", json::parse(R"({"params": {"y": 2, "x": 1},   "kernel": "k"})"), again.body());
    BOOST_TEST(answer.replayed);
    BOOST_TEST(answer.value() == answer_with(1));
    BOOST_TEST(again.runs == 0);
    // Another function with the same request is another call.
    BOOST_TEST(!resumed.call("run_config", request_a, again.body()).replayed);
    BOOST_TEST(again.runs == 1);
}

BOOST_AUTO_TEST_CASE(replayed_numbers_are_the_very_numbers_recorded) {
    test::TempDir dir;
    const auto path = dir.path / "journal.jsonl";
    json::array numbers;
    for (double x = 0.1; x < 40; x = x * 1.37 + 0.000123)
        numbers.push_back(x);
    numbers.push_back(14.852804);
    numbers.push_back(-1e-300);
    numbers.push_back(std::int64_t{-7});
    numbers.push_back(std::uint64_t{18446744073709551615u});
    const json::value result = json::object{{"times", numbers}, {"note", "1.5e3 \" 2.5"}};
    CallJournal(path).call("run_tests", request_a, [&] { return result; });
    const auto answer =
        CallJournal(path).call("run_tests", request_a, [] { return json::value(); });
    BOOST_TEST(answer.replayed);
    BOOST_TEST(json::serialize(answer.value()) == json::serialize(result));
}

BOOST_AUTO_TEST_CASE(identical_requests_are_answered_in_the_order_they_were_made) {
    test::TempDir dir;
    const auto path = dir.path / "journal.jsonl";
    {
        CallJournal journal(path);
        for (int n : {1, 2}) {
            Counted call{0, answer_with(n)};
            journal.call("compare", request_a, call.body());
        }
    }
    CallJournal resumed(path);
    Counted fresh{0, answer_with(3)};
    BOOST_TEST(resumed.call("compare", request_a, fresh.body()).value() == answer_with(1));
    BOOST_TEST(resumed.call("compare", request_a, fresh.body()).value() == answer_with(2));
    const auto third = resumed.call("compare", request_a, fresh.body());
    BOOST_TEST(!third.replayed);
    BOOST_TEST(third.value() == answer_with(3));
    BOOST_TEST(fresh.runs == 1);
    BOOST_TEST(lines_of(path).size() == 4u); // the header and three answers
}

BOOST_AUTO_TEST_CASE(errors_are_replayed_with_their_kind_and_message) {
    test::TempDir dir;
    const auto path = dir.path / "journal.jsonl";
    const auto failing = []() -> json::value {
        throw KindedError(ErrorKind::compile_error, "line 3: expected ';'");
    };
    {
        CallJournal journal(path);
        const auto answer = journal.call("run_tests", request_a, failing);
        BOOST_REQUIRE(answer.error.has_value());
        BOOST_TEST(!answer.replayed);
    }
    CallJournal resumed(path);
    Counted never{0, answer_with(1)};
    const auto answer = resumed.call("run_tests", request_a, never.body());
    BOOST_TEST(answer.replayed);
    BOOST_TEST(never.runs == 0);
    BOOST_TEST(error_of([&] { answer.value(); }, ErrorKind::compile_error) ==
               "line 3: expected ';'");
}

BOOST_AUTO_TEST_CASE(errors_of_the_environment_are_not_recorded_so_a_resume_tries_again) {
    test::TempDir dir;
    const auto path = dir.path / "journal.jsonl";
    {
        CallJournal journal(path);
        for (auto kind : {ErrorKind::cancelled, ErrorKind::unavailable, ErrorKind::llm_unavailable,
                          ErrorKind::internal})
            journal.call("chat", request_a,
                         [kind]() -> json::value { throw KindedError(kind, "not now"); });
    }
    BOOST_TEST(lines_of(path).size() == 1u);
    CallJournal resumed(path);
    Counted fresh{0, answer_with(1)};
    BOOST_TEST(!resumed.call("chat", request_a, fresh.body()).replayed);
}

BOOST_AUTO_TEST_CASE(a_torn_last_line_is_ignored_and_cut_off_before_the_next_answer) {
    test::TempDir dir;
    const auto path = dir.path / "journal.jsonl";
    {
        CallJournal journal(path);
        Counted call{0, answer_with(1)};
        journal.call("run_tests", request_a, call.body());
    }
    // A kill -9 in the middle of the next write.
    std::ofstream(path, std::ios::app | std::ios::binary) << R"({"function": "run_tests", "ke)";
    CallJournal resumed(path);
    Counted fresh{0, answer_with(2)};
    BOOST_TEST(resumed.call("run_tests", request_a, fresh.body()).replayed);
    BOOST_TEST(!resumed.call("run_tests", request_a, fresh.body()).replayed);
    const auto lines = lines_of(path); // every line parses: the torn one is gone
    BOOST_TEST(lines.size() == 3u);
    BOOST_TEST(lines.back().at("result") == answer_with(2));
}

BOOST_AUTO_TEST_CASE(a_journal_torn_inside_its_header_starts_afresh) {
    test::TempDir dir;
    const auto path = dir.write("journal.jsonl", R"({"format":"kerntune-jou)");
    CallJournal journal(path);
    BOOST_TEST(journal.size() == 0u);
    BOOST_TEST(lines_of(path).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_file_of_another_format_is_refused_naming_the_file) {
    test::TempDir dir;
    for (const std::string& text :
         {std::string("hello, world\n"), std::string(R"({"events": []})") + "\n",
          std::string("{\"format\": \"kerntune-journal\", \"version\": 2}\n"),
          std::string("not json and no newline")}) {
        const auto path = dir.write("other.jsonl", text);
        BOOST_TEST_CONTEXT(text) {
            const std::string message =
                error_of([&] { CallJournal journal(path); }, ErrorKind::invalid_argument);
            BOOST_TEST(message.find(path.string()) != std::string::npos);
        }
        BOOST_TEST(read(path) == text); // nothing the user had is touched
    }
}

BOOST_AUTO_TEST_CASE(a_broken_line_before_the_last_is_refused_with_its_number) {
    test::TempDir dir;
    const auto path = dir.write("journal.jsonl", "{\"format\": \"kerntune-journal\", \"version\": "
                                                 "1}\n{broken\n{\"also\": 1}\n");
    BOOST_TEST(
        error_of([&] { CallJournal journal(path); }, ErrorKind::invalid_argument).find("line 2") !=
        std::string::npos);
}

BOOST_AUTO_TEST_CASE(llm_calls_are_replayed_from_the_journal_without_the_network) {
    test::TempDir dir;
    const auto path = dir.path / "journal.jsonl";
    host::register_llm_service();
    const auto* api = host::llm_table();
    const std::string request = R"({"messages": [{"role": "user", "content": "hi"}]})";
    const std::string schema = R"({"type": "object", "required": ["n"]})";
    std::vector<host::LlmCallRecord> records;
    const auto call_both = [&](kt_llm* llm) {
        std::vector<ServiceCall> out;
        kt_buffer* reply = nullptr;
        kt_error* error = api->chat(llm, request.data(), request.size(), &reply);
        out.push_back(service_call_outcome(error, reply));
        error = api->chat_structured(llm, request.data(), request.size(), schema.data(),
                                     schema.size(), &reply);
        out.push_back(service_call_outcome(error, reply));
        return out;
    };

    std::vector<ServiceCall> recorded;
    std::string url;
    {
        ScriptServer server([](const SeenRequest& r, ServerConn& c) {
            const auto body = json::parse(r.body);
            c.send(ok_json(ScriptServer::openai_reply(body.as_object().contains("response_format")
                                                          ? R"({"n": 3})"
                                                          : "Hello from the test")));
        });
        host::LlmSetup setup;
        setup.config = test_config(server);
        setup.probe = false;
        setup.journal = std::make_shared<CallJournal>(path);
        setup.observer = [&](const host::LlmCallRecord& record) { records.push_back(record); };
        auto llm = host::make_llm(std::move(setup));
        recorded = call_both(llm.get());
        url = server.url("/v1");
    } // the server is gone

    llm::LlmConfig config;
    config.base_url = url;
    config.model = "test-model";
    config.api_key = test_key;
    config.http.connect_timeout = std::chrono::milliseconds(200);
    host::LlmSetup setup;
    setup.config = config;
    setup.probe = false;
    setup.journal = std::make_shared<CallJournal>(path);
    setup.observer = [&](const host::LlmCallRecord& record) { records.push_back(record); };
    auto llm = host::make_llm(std::move(setup));
    const auto replayed = call_both(llm.get());

    BOOST_REQUIRE(recorded[0].ok);
    BOOST_REQUIRE(recorded[1].ok);
    BOOST_TEST(replayed[0].text == recorded[0].text);
    BOOST_TEST(replayed[1].text == recorded[1].text);
    BOOST_TEST(json::parse(replayed[1].text) == json::parse(R"({"n": 3})"));
    BOOST_REQUIRE(records.size() == 4u);
    BOOST_TEST(records[0].kind == "chat");
    BOOST_TEST(records[1].kind == "structured");
    BOOST_TEST(records[0].model == "test-model");
    for (std::size_t i = 0; i < 4; ++i) {
        BOOST_TEST(records[i].replayed == (i >= 2));
        BOOST_TEST(!records[i].error.has_value());
        BOOST_TEST(records[i].prompt_tokens == records[i % 2].prompt_tokens);
    }
}

BOOST_AUTO_TEST_CASE(the_llm_observer_hears_of_failed_calls_too) {
    ScriptServer server([](const SeenRequest&, ServerConn& c) {
        c.send(ScriptServer::response(400, R"({"error": {"message": "no such thing"}})"));
    });
    host::register_llm_service();
    host::LlmSetup setup;
    setup.config = test_config(server);
    setup.probe = false;
    std::vector<host::LlmCallRecord> records;
    setup.observer = [&](const host::LlmCallRecord& record) { records.push_back(record); };
    auto llm = host::make_llm(std::move(setup));
    const std::string request = R"({"messages": [{"role": "user", "content": "hi"}]})";
    kt_buffer* reply = nullptr;
    kt_error* error = host::llm_table()->chat(llm.get(), request.data(), request.size(), &reply);
    const auto outcome = service_call_outcome(error, reply);
    BOOST_TEST(!outcome.ok);
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_REQUIRE(records[0].error.has_value());
    BOOST_TEST(!records[0].replayed);
}

BOOST_AUTO_TEST_CASE(test_runner_calls_are_replayed_without_starting_a_runner) {
    test::TempDir dir;
    const auto path = dir.path / "journal.jsonl";
    host::register_test_runner_service();
    const auto* api = host::test_runner_table();
    const std::string request = R"({"kernel": "__kernel void k() {}", "params": {},
                                    "test": "t-0123456789abcdef"})";
    // What the first attempt of the run measured.
    CallJournal(path).call("test_runner.run_config", json::parse(request),
                           [] { return answer_with(7); });

    int starts = 0;
    std::vector<host::TestRunnerEvent> events;
    host::TestRunnerSetup setup;
    setup.runner = [&]() -> std::shared_ptr<TestRunner> {
        ++starts;
        throw KindedError(ErrorKind::unavailable, "no device in this test");
    };
    setup.journal = std::make_shared<CallJournal>(path);
    setup.observer.on_call = [&](const host::TestRunnerEvent& event) { events.push_back(event); };
    const auto handle = host::make_test_runner(std::move(setup));
    kt_buffer* reply = nullptr;
    kt_error* error = api->run_config(handle.get(), request.data(), request.size(), &reply);
    const auto outcome = service_call_outcome(error, reply);
    BOOST_REQUIRE_MESSAGE(outcome.ok, outcome.text);
    BOOST_TEST(json::parse(outcome.text) == answer_with(7));
    BOOST_TEST(starts == 0);
    BOOST_REQUIRE(events.size() == 1u);
    BOOST_TEST(events[0].function == "run_config");
    BOOST_TEST(events[0].replayed);
    // The observer sees no kernel source, only its hash.
    BOOST_TEST(!events[0].request.contains("kernel"));
    BOOST_TEST(events[0].request.contains("kernel_sha256"));
}

BOOST_AUTO_TEST_SUITE_END()
