#include "core/retry/policy.hpp"

#include <array>
#include <string_view>

namespace kerntune {

const std::string* RetryPolicy::feedback_for(ErrorKind kind) const {
    // Cancellation is the user's decision; retrying it would defeat it.
    if (kind == ErrorKind::cancelled)
        return nullptr;
    if (const auto it = handlers.find(kind); it != handlers.end())
        return &it->second;
    return default_feedback ? &*default_feedback : nullptr;
}

std::string fill_feedback(const std::string& feedback_template, ErrorKind kind,
                          const std::string& error, int attempt, int max_attempts) {
    const std::array<std::pair<std::string_view, std::string>, 4> fields{{
        {"{error}", error},
        {"{kind}", std::string(name(kind))},
        {"{attempt}", std::to_string(attempt)},
        {"{max_attempts}", std::to_string(max_attempts)},
    }};
    std::string out;
    out.reserve(feedback_template.size() + error.size());
    std::size_t i = 0;
    while (i < feedback_template.size()) {
        bool replaced = false;
        if (feedback_template[i] == '{') {
            for (const auto& [placeholder, value] : fields) {
                if (std::string_view(feedback_template).substr(i, placeholder.size()) ==
                    placeholder) {
                    out += value;
                    i += placeholder.size();
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced)
            out += feedback_template[i++];
    }
    return out;
}

} // namespace kerntune
