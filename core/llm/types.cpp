#include "core/llm/types.hpp"

namespace kerntune::llm {
namespace json = boost::json;

std::string_view name(Finish finish) {
    switch (finish) {
    case Finish::stop:
        return "stop";
    case Finish::length:
        return "length";
    case Finish::tool_calls:
        return "tool_calls";
    case Finish::content_filter:
        return "content_filter";
    case Finish::refusal:
        return "refusal";
    case Finish::other:
        return "other";
    }
    return "other";
}

json::object to_json(const Usage& usage) {
    return json::object{{"prompt_tokens", usage.prompt_tokens},
                        {"completion_tokens", usage.completion_tokens},
                        {"reasoning_tokens", usage.reasoning_tokens},
                        {"cached_tokens", usage.cached_tokens},
                        {"total_tokens", usage.total()},
                        {"reported", usage.reported}};
}

json::object to_json(const UsageTotals& totals) {
    return json::object{{"calls", totals.calls},
                        {"failed_calls", totals.failed_calls},
                        {"http_requests", totals.http_requests},
                        {"prompt_tokens", totals.prompt_tokens},
                        {"completion_tokens", totals.completion_tokens},
                        {"reasoning_tokens", totals.reasoning_tokens},
                        {"cached_tokens", totals.cached_tokens},
                        {"wall_ms", totals.wall.count()}};
}

json::object to_json(const ChatResult& result) {
    json::array tools;
    for (const auto& call : result.tool_calls)
        tools.push_back(
            json::object{{"id", call.id}, {"name", call.name}, {"arguments", call.arguments}});
    json::object usage = to_json(result.usage);
    usage["wall_ms"] = result.wall.count();
    usage["attempts"] = result.attempts;
    json::object out{{"content", result.content},
                     {"reasoning", result.reasoning},
                     {"finish_reason", name(result.finish)},
                     {"finish_reason_raw", result.finish_raw},
                     {"usage", std::move(usage)},
                     {"model", result.model},
                     {"id", result.id},
                     {"http_status", result.http_status}};
    if (!result.refusal.empty())
        out["refusal"] = result.refusal;
    if (!tools.empty())
        out["tool_calls"] = std::move(tools);
    if (!result.system_fingerprint.empty())
        out["system_fingerprint"] = result.system_fingerprint;
    if (!result.request_id.empty())
        out["request_id"] = result.request_id;
    return out;
}

} // namespace kerntune::llm
