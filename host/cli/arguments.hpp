#pragma once
// Reading flag values and the files they name, with usage errors that say what to fix.

#include "host/cli/exit_codes.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>

namespace kerntune::cli {

// The whole file at `path`; `what` names it in errors ("kernel", "schema").
inline std::string read_text_file(const std::string& path, std::string_view what) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw UsageError("the " + std::string(what) + " file '" + path +
                         "' does not exist or is not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw UsageError("cannot read the " + std::string(what) + " file '" + path + "'");
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The value of `flag` as a number of type T.
template <class T> T number(const std::string& flag, const std::string& text) {
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        throw UsageError(flag + " wants a number, not '" + text + "'");
    return value;
}

} // namespace kerntune::cli
