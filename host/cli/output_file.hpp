#pragma once
// Writing a file the user named on the command line (cache export, report page).

#include <filesystem>
#include <string_view>

namespace kerntune::cli {

// Writes `bytes` to `file` whole or not at all (core/fs/atomic_file.hpp). Without `force` an
// existing file is left alone. Throws UsageError when the file exists (advising --force) or its
// folder does not.
void write_output_file(const std::filesystem::path& file, std::string_view bytes, bool force);

} // namespace kerntune::cli
