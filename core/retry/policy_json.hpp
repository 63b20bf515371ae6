#pragma once

#include "core/errors/error_kind.hpp"
#include "core/retry/policy.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace kerntune {

// A policy that is not valid. `pointer()` is the offending key as a JSON pointer relative to the
// policy object ("/handlers/compile_errror"; "" for the policy itself), so that a caller that
// embeds policies (the config file) can name the full path.
class RetryPolicyError : public KindedError {
public:
    RetryPolicyError(std::string pointer, std::string reason);
    const std::string& pointer() const noexcept { return pointer_; }
    const std::string& reason() const noexcept { return reason_; }

private:
    std::string pointer_;
    std::string reason_;
};

// The JSON form (kt_graph_api.set_retry_policy):
//   {"max_attempts": 3, "handlers": {"compile_error": "text"}, "default": "text",
//    "on_exhausted": "raise" | "continue"}
// max_attempts is required; the rest is optional. Handler keys are error kind names; every kind
// but "cancelled" may have one. Unknown keys are errors.
RetryPolicy parse_retry_policy(const boost::json::value& json);
// The same from JSON text; a syntax error is reported as a RetryPolicyError for "".
RetryPolicy parse_retry_policy_text(std::string_view text);

boost::json::object to_json(const RetryPolicy& policy);

// Fields that override a policy's (the config file's "retry" section). Every field is optional;
// handlers merge per kind, and null removes a handler or the default.
struct RetryPolicyPatch {
    std::optional<int> max_attempts;
    std::map<ErrorKind, std::optional<std::string>> handlers;
    std::optional<std::optional<std::string>> default_feedback;
    std::optional<OnExhausted> on_exhausted;
};

RetryPolicyPatch parse_retry_policy_patch(const boost::json::value& json);
RetryPolicy apply_patch(RetryPolicy base, const RetryPolicyPatch& patch);

} // namespace kerntune
