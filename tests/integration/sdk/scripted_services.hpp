#pragma once
// The LLM and the test runner as plugins see them, with scripted answers: the only doubles in the
// plugin tests, standing in for replies a real model will not give on demand and for timings a
// CPU cannot promise. register_tests is the host's real one (real checks, real ids), so what
// the plugins register is validated exactly as in a run.
#include "host/services/builtin_services.hpp"
#include "host/services/host_api.hpp"
#include "host/services/test_runner_service.hpp"

#include <kerntune/plugin_api.h>

#include <boost/json.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kerntune::test {

// One scripted answer: JSON text, or an error of a kind.
struct Reply {
    std::string json;
    std::optional<kt_error_kind> error;

    static Reply ok(std::string json) { return {std::move(json), std::nullopt}; }
    static Reply fail(kt_error_kind kind, std::string message) {
        return {std::move(message), kind};
    }
};

// A call the plugin made: its request, and for structured calls the schema.
struct Call {
    boost::json::value request;
    boost::json::value schema;
};

struct Script {
    std::deque<std::string> chat; // reply contents
    std::deque<Reply> structured;
    std::deque<Reply> run_tests;
    std::deque<Reply> run_config;
    std::deque<Reply> compare;

    std::vector<Call> chat_calls, structured_calls, register_calls, run_tests_calls,
        run_config_calls, compare_calls;
};

namespace scripted {

inline Script*& current() {
    static Script* script = nullptr;
    return script;
}

inline kt_test_runner*& real_runner() {
    static kt_test_runner* runner = nullptr;
    return runner;
}

inline boost::json::value parse(const char* text, size_t size) {
    return boost::json::parse(std::string_view(text, size));
}

inline kt_error* answer(std::deque<Reply>& replies, const char* what, kt_buffer** out) {
    if (replies.empty())
        return host::make_error(KT_ERROR_INTERNAL,
                                std::string("the script has no ") + what + " reply left");
    Reply reply = std::move(replies.front());
    replies.pop_front();
    if (reply.error)
        return host::make_error(*reply.error, reply.json);
    *out = host::make_buffer(std::move(reply.json));
    return nullptr;
}

inline kt_error* chat(kt_llm*, const char* request, size_t size, kt_buffer** reply) noexcept {
    Script& script = *current();
    script.chat_calls.push_back({parse(request, size), nullptr});
    if (script.chat.empty())
        return host::make_error(KT_ERROR_INTERNAL, "the script has no chat reply left");
    *reply = host::make_buffer(
        boost::json::serialize(boost::json::object{{"content", script.chat.front()}}));
    script.chat.pop_front();
    return nullptr;
}

inline kt_error* chat_structured(kt_llm*, const char* request, size_t size, const char* schema,
                                 size_t schema_size, kt_buffer** reply) noexcept {
    Script& script = *current();
    script.structured_calls.push_back({parse(request, size), parse(schema, schema_size)});
    return answer(script.structured, "structured", reply);
}

inline kt_error* register_tests(kt_test_runner*, const char* specs, size_t size,
                                kt_buffer** ids) noexcept {
    current()->register_calls.push_back({parse(specs, size), nullptr});
    return host::test_runner_table()->register_tests(real_runner(), specs, size, ids);
}

inline kt_error* run_tests(kt_test_runner*, const char* request, size_t size,
                           kt_buffer** result) noexcept {
    current()->run_tests_calls.push_back({parse(request, size), nullptr});
    return answer(current()->run_tests, "run_tests", result);
}

inline kt_error* run_config(kt_test_runner*, const char* request, size_t size,
                            kt_buffer** result) noexcept {
    current()->run_config_calls.push_back({parse(request, size), nullptr});
    return answer(current()->run_config, "run_config", result);
}

inline kt_error* compare(kt_test_runner*, const char* request, size_t size,
                         kt_buffer** result) noexcept {
    current()->compare_calls.push_back({parse(request, size), nullptr});
    return answer(current()->compare, "compare", result);
}

inline const kt_llm_api llm_table{sizeof(kt_llm_api), chat, chat_structured};
inline const kt_test_runner_api runner_table{sizeof(kt_test_runner_api), register_tests, run_tests,
                                             run_config, compare};

} // namespace scripted

// Installs the scripted tables for the lifetime of the object; the host's own come back after.
struct ScriptedServices {
    ScriptedServices() : real(host::make_test_runner(host::TestRunnerSetup{})) {
        host::register_builtin_services();
        host::register_service(KT_SERVICE_LLM, &scripted::llm_table);
        host::register_service(KT_SERVICE_TEST_RUNNER, &scripted::runner_table);
        scripted::current() = &script;
        scripted::real_runner() = real.get();
    }
    ~ScriptedServices() {
        host::register_builtin_services();
        scripted::current() = nullptr;
        scripted::real_runner() = nullptr;
    }
    ScriptedServices(const ScriptedServices&) = delete;
    ScriptedServices& operator=(const ScriptedServices&) = delete;

    // Opaque to plugins: any address identifies the scripted services.
    kt_llm* llm() { return reinterpret_cast<kt_llm*>(&script); }
    kt_test_runner* runner() { return reinterpret_cast<kt_test_runner*>(&script); }

    Script script;
    std::unique_ptr<kt_test_runner> real;
};

// Whether any message of a request contains `text`.
inline bool mentions(const boost::json::value& request, std::string_view text) {
    for (const auto& message : request.at("messages").as_array())
        if (std::string_view(message.at("content").as_string()).find(text) !=
            std::string_view::npos)
            return true;
    return false;
}

} // namespace kerntune::test
