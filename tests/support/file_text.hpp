#pragma once
// The whole content of a file a test wrote or a command produced.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace kerntune::test {

// Empty when the file cannot be read, so that a comparison with the expected text fails.
inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace kerntune::test
