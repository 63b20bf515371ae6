#include "core/process/child_environment.hpp"

#include <string_view>
#include <unistd.h>
#include <utility>

extern char** environ;

namespace kerntune {
namespace {

constexpr std::string_view sanitizer_signal_options =
    "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_abort=0";

} // namespace

std::vector<std::string> child_environment() {
    std::vector<std::string> env;
    bool asan = false;
    bool ubsan = false;
    for (char** entry = environ; entry && *entry; ++entry) {
        std::string text = *entry;
        for (auto [prefix, seen] :
             {std::pair{"ASAN_OPTIONS=", &asan}, std::pair{"UBSAN_OPTIONS=", &ubsan}}) {
            if (text.starts_with(prefix)) {
                text += ':';
                text += sanitizer_signal_options;
                *seen = true;
            }
        }
        env.push_back(std::move(text));
    }
    if (!asan)
        env.push_back("ASAN_OPTIONS=" + std::string(sanitizer_signal_options));
    if (!ubsan)
        env.push_back("UBSAN_OPTIONS=" + std::string(sanitizer_signal_options));
    return env;
}

std::vector<char*> c_string_array(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (auto& s : strings)
        result.push_back(s.data());
    result.push_back(nullptr);
    return result;
}

} // namespace kerntune
