#include "host/cli/output_file.hpp"

#include "core/errors/error_kind.hpp"
#include "core/fs/atomic_file.hpp"
#include "host/cli/exit_codes.hpp"

#include <string>

namespace kerntune::cli {

void write_output_file(const std::filesystem::path& file, std::string_view bytes, bool force) {
    try {
        write_file_atomically(file, bytes, force);
    } catch (const KindedError& e) {
        if (e.kind() == ErrorKind::invalid_argument)
            throw UsageError(e.what() +
                             std::string(": choose another file, or add --force to replace it"));
        if (e.kind() == ErrorKind::not_found)
            throw UsageError(e.what());
        throw;
    }
}

} // namespace kerntune::cli
