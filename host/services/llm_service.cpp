#include "host/services/llm_service.hpp"

#include "core/llm/json_util.hpp"
#include "core/llm/transcript.hpp"
#include "core/net/http_client.hpp"
#include "host/services/guarded_call.hpp"
#include "host/services/host_api.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <stdexcept>

namespace kerntune::host {
namespace {
namespace json = boost::json;

json::value parse_argument(const char* text, size_t length, std::string_view what) {
    if (!text)
        throw std::invalid_argument(std::string(what) + " is NULL");
    boost::system::error_code ec;
    json::value v = json::parse(std::string_view(text, length), ec);
    if (ec)
        throw std::invalid_argument(std::string(what) + " is not JSON: " + ec.message());
    return v;
}

// {"messages": [{"role", "content"}], "temperature"?, "max_tokens"?}
llm::ChatRequest to_request(const json::value& v) {
    if (!v.is_object())
        throw std::invalid_argument("the LLM request must be a JSON object with \"messages\"");
    const auto& o = v.get_object();
    const auto* messages = o.if_contains("messages");
    if (!messages || !messages->is_array() || messages->get_array().empty())
        throw std::invalid_argument("the LLM request needs a non-empty \"messages\" array");
    llm::ChatRequest request;
    for (const auto& m : messages->get_array()) {
        const auto* role = m.is_object() ? m.get_object().if_contains("role") : nullptr;
        const auto* content = m.is_object() ? m.get_object().if_contains("content") : nullptr;
        if (!role || !role->is_string() || !content || !content->is_string())
            throw std::invalid_argument(
                "each message needs a string \"role\" and a string \"content\"");
        const std::string r(role->get_string());
        if (r != "system" && r != "user" && r != "assistant" && r != "developer")
            throw std::invalid_argument("message role '" + r +
                                        "' is not system, user or assistant");
        request.messages.push_back({r, std::string(content->get_string())});
    }
    if (const auto* t = o.if_contains("temperature"); t && !t->is_null()) {
        if (!t->is_number())
            throw std::invalid_argument("\"temperature\" must be a number");
        request.temperature = t->to_number<double>();
    }
    if (const auto* m = o.if_contains("max_tokens"); m && !m->is_null()) {
        if (!m->is_int64() && !m->is_uint64())
            throw std::invalid_argument("\"max_tokens\" must be an integer");
        const auto value = m->to_number<std::int64_t>();
        if (value <= 0)
            throw std::invalid_argument("\"max_tokens\" must be positive");
        request.max_tokens = value;
    }
    return request;
}

json::object usage_of(const llm::ChatResult& r) {
    json::object usage = llm::to_json(r.usage);
    usage["wall_ms"] = r.wall.count();
    usage["attempts"] = r.attempts;
    return usage;
}

// A NULL handle is how a run without an LLM endpoint reaches a plugin.
template <class Fn>
kt_error* answer(const char* what, kt_llm* llm, kt_buffer** reply, Fn&& fn) noexcept {
    if (!llm)
        return make_error(KT_ERROR_LLM_UNAVAILABLE,
                          "no LLM is configured for this run: give --base-url and --model (or set "
                          "OPENAI_BASE_URL), and the API key in KERNTUNE_API_KEY");
    return guarded(what, [&] {
        require(llm->client && reply, "NULL client or reply");
        *reply = nullptr;
        *reply = make_buffer(fn());
    });
}

// One call through the run's journal, told to the observer. `run` returns what the journal
// keeps: an object with the call's "usage" (usage_of).
json::value observed_call(kt_llm& llm, std::string_view function, const char* kind,
                          const json::value& request, const std::function<json::value()>& run) {
    const auto start = std::chrono::steady_clock::now();
    const JournalAnswer answer = journaled_call(llm.journal.get(), function, request, run);
    if (llm.observer) {
        LlmCallRecord record;
        record.kind = kind;
        record.model = llm.client->config().model;
        record.replayed = answer.replayed;
        record.error = answer.error;
        record.wall_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        if (answer.result) {
            const auto& usage = answer.result->at("usage");
            record.prompt_tokens = llm::int_member(usage, "prompt_tokens");
            record.completion_tokens = llm::int_member(usage, "completion_tokens");
            if (const auto reasoning = llm::int_member(usage, "reasoning_tokens"); reasoning > 0)
                record.reasoning_tokens = reasoning;
            if (answer.replayed)
                record.wall_ms = static_cast<double>(llm::int_member(usage, "wall_ms"));
        }
        llm.observer(record);
    }
    return answer.value();
}

kt_error* chat(kt_llm* llm, const char* request_json, size_t request_len,
               kt_buffer** reply_json) noexcept {
    return answer("kerntune.llm/1 chat", llm, reply_json, [&] {
        const auto request_value = parse_argument(request_json, request_len, "the request");
        const auto request = to_request(request_value);
        return json::serialize(observed_call(*llm, "llm.chat", "chat", request_value, [&] {
            const llm::ChatResult r = llm->client->chat(request, &llm->cancel);
            return json::value(json::object{
                {"content", r.content}, {"reasoning", r.reasoning}, {"usage", usage_of(r)}});
        }));
    });
}

kt_error* chat_structured(kt_llm* llm, const char* request_json, size_t request_len,
                          const char* schema_json, size_t schema_len,
                          kt_buffer** reply_json) noexcept {
    return answer("kerntune.llm/1 chat_structured", llm, reply_json, [&] {
        const auto request_value = parse_argument(request_json, request_len, "the request");
        const auto request = to_request(request_value);
        const auto schema = parse_argument(schema_json, schema_len, "the schema");
        const json::value key{{"request", request_value}, {"schema", schema}};
        const json::value recorded =
            observed_call(*llm, "llm.chat_structured", "structured", key, [&] {
                const auto result = llm->client->chat_structured(request, schema, &llm->cancel);
                return json::value(
                    json::object{{"value", result.value}, {"usage", usage_of(result.last)}});
            });
        return json::serialize(recorded.at("value"));
    });
}

constexpr kt_llm_api table{sizeof(kt_llm_api), chat, chat_structured};

} // namespace

void register_llm_service() {
    register_service(KT_SERVICE_LLM, &table);
}

const kt_llm_api* llm_table() {
    return &table;
}

std::unique_ptr<kt_llm> make_llm(LlmSetup setup) {
    llm::apply_environment(setup.config);
    std::shared_ptr<net::Transport> transport;
    if (!setup.replay_path.empty()) {
        transport = std::make_shared<llm::ReplayTransport>(setup.replay_path);
    } else {
        transport = std::make_shared<net::HttpClient>(setup.config.http);
        if (!setup.record_path.empty())
            transport = std::make_shared<llm::RecordingTransport>(
                transport, setup.record_path, std::vector<std::string>{setup.config.api_key});
    }
    auto handle = std::make_unique<kt_llm>();
    handle->client = std::make_shared<llm::Client>(std::move(setup.config), transport);
    handle->journal = std::move(setup.journal);
    handle->observer = std::move(setup.observer);
    if (setup.probe)
        handle->client->probe(&handle->cancel);
    return handle;
}

void cancel_llm(kt_llm& llm) {
    llm.cancel.cancel();
}

} // namespace kerntune::host
