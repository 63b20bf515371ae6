#pragma once

#include <filesystem>
#include <string_view>

namespace kerntune {

// Writes `bytes` to `file` through a temporary file in the same folder, flushed to disk, so that
// a reader (or a crash) never leaves half a file. With `replace` the temporary file is renamed
// over whatever is there; without it, it is linked to the name, which fails when anything exists
// there by then, so nothing the user had is overwritten. The file gets the usual permissions
// (0666 less the umask). Throws KindedError naming the file: invalid_argument when it exists and
// `replace` is false, not_found when its folder does not exist, internal for other failures.
void write_file_atomically(const std::filesystem::path& file, std::string_view bytes, bool replace);

} // namespace kerntune
