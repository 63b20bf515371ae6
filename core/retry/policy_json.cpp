#include "core/retry/policy_json.hpp"

#include "core/config/json_text.hpp"
#include "core/graph/json_pointer.hpp"

#include "core/json/describe.hpp"

#include <boost/json/serialize.hpp>

#include <climits>

namespace kerntune {
namespace {

namespace json = boost::json;

std::string kind_list() {
    std::string out;
    const auto add = [&](int value) {
        const auto kind = static_cast<ErrorKind>(value);
        if (kind == ErrorKind::cancelled || name(kind) == "unknown")
            return;
        out += (out.empty() ? "" : ", ") + std::string(name(kind));
    };
    for (int v = 1; v < 100; ++v)
        add(v);
    for (int v = 100; v < 200; ++v)
        add(v);
    return out;
}

const json::object& as_object(const json::value& v, const std::string& pointer) {
    if (!v.is_object())
        throw RetryPolicyError(pointer, "expected an object, got " + describe_json(v));
    return v.get_object();
}

int parse_max_attempts(const json::value& v) {
    const std::string pointer = "/max_attempts";
    long long n = 0;
    if (v.is_int64())
        n = v.get_int64();
    else if (v.is_uint64())
        n = v.get_uint64() > LLONG_MAX ? LLONG_MAX : static_cast<long long>(v.get_uint64());
    else
        throw RetryPolicyError(pointer, "expected an integer >= 1, got " + describe_json(v));
    if (n < 1 || n > INT_MAX)
        throw RetryPolicyError(pointer, "expected an integer >= 1 (total attempts), got " +
                                            std::to_string(n));
    return static_cast<int>(n);
}

ErrorKind parse_handler_kind(std::string_view key, const std::string& pointer) {
    const auto kind = parse_error_kind(key);
    if (!kind)
        throw RetryPolicyError(pointer, "unknown error kind '" + std::string(key) +
                                            "' (expected one of: " + kind_list() + ")");
    if (*kind == ErrorKind::cancelled)
        throw RetryPolicyError(pointer, "cancellation is never retried, so it takes no handler");
    return *kind;
}

// A template, or nullopt for null when `nullable`.
std::optional<std::string> parse_template(const json::value& v, const std::string& pointer,
                                          bool nullable) {
    if (v.is_string())
        return std::string(v.get_string());
    if (nullable && v.is_null())
        return std::nullopt;
    throw RetryPolicyError(pointer, std::string("expected a feedback text (a string") +
                                        (nullable ? " or null" : "") + "), got " +
                                        describe_json(v));
}

OnExhausted parse_on_exhausted(const json::value& v) {
    if (v.is_string() && v.get_string() == "raise")
        return OnExhausted::raise;
    if (v.is_string() && v.get_string() == "continue")
        return OnExhausted::continue_run;
    throw RetryPolicyError(
        "/on_exhausted",
        "expected \"raise\" or \"continue\", got " +
            (v.is_string() ? "\"" + std::string(v.get_string()) + "\"" : describe_json(v)));
}

// Reads every key of `object` into `patch`; `full` tightens what a complete policy allows.
RetryPolicyPatch read(const json::object& object, bool full) {
    RetryPolicyPatch patch;
    for (const auto& [key, value] : object) {
        if (key == "max_attempts") {
            patch.max_attempts = parse_max_attempts(value);
        } else if (key == "handlers") {
            for (const auto& [kind_name, text] : as_object(value, "/handlers")) {
                const std::string pointer = "/handlers/" + escape_pointer_token(kind_name);
                patch.handlers[parse_handler_kind(kind_name, pointer)] =
                    parse_template(text, pointer, !full);
            }
        } else if (key == "default") {
            patch.default_feedback = parse_template(value, "/default", true);
        } else if (key == "on_exhausted") {
            patch.on_exhausted = parse_on_exhausted(value);
        } else {
            throw RetryPolicyError("/" + escape_pointer_token(key),
                                   "unknown key (expected max_attempts, handlers, default or "
                                   "on_exhausted)");
        }
    }
    if (full && !patch.max_attempts)
        throw RetryPolicyError("/max_attempts",
                               "missing (expected an integer >= 1: total attempts)");
    return patch;
}

} // namespace

RetryPolicyError::RetryPolicyError(std::string pointer, std::string reason)
    : KindedError(ErrorKind::invalid_argument,
                  "retry policy" + (pointer.empty() ? std::string() : " " + pointer) + ": " +
                      reason),
      pointer_(std::move(pointer)), reason_(std::move(reason)) {}

RetryPolicy parse_retry_policy(const boost::json::value& json) {
    return apply_patch(RetryPolicy{}, read(as_object(json, ""), true));
}

RetryPolicy parse_retry_policy_text(std::string_view text) {
    json::value value;
    try {
        value = parse_json_text(text);
    } catch (const JsonSyntaxError& e) {
        throw RetryPolicyError("", std::string("not valid JSON: ") + e.what());
    }
    return parse_retry_policy(value);
}

boost::json::object to_json(const RetryPolicy& policy) {
    json::object handlers;
    for (const auto& [kind, text] : policy.handlers)
        handlers[name(kind)] = text;
    json::object out{{"max_attempts", policy.max_attempts}, {"handlers", std::move(handlers)}};
    if (policy.default_feedback)
        out["default"] = *policy.default_feedback;
    if (policy.on_exhausted == OnExhausted::continue_run)
        out["on_exhausted"] = "continue";
    return out;
}

RetryPolicyPatch parse_retry_policy_patch(const boost::json::value& json) {
    return read(as_object(json, ""), false);
}

RetryPolicy apply_patch(RetryPolicy base, const RetryPolicyPatch& patch) {
    if (patch.max_attempts)
        base.max_attempts = *patch.max_attempts;
    for (const auto& [kind, text] : patch.handlers) {
        if (text)
            base.handlers[kind] = *text;
        else
            base.handlers.erase(kind);
    }
    if (patch.default_feedback)
        base.default_feedback = *patch.default_feedback;
    if (patch.on_exhausted)
        base.on_exhausted = *patch.on_exhausted;
    return base;
}

} // namespace kerntune
