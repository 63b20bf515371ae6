#pragma once
// NumPy's .npy format (versions 1.0, 2.0 and 3.0): one array, little-endian, C order, of the
// numeric types in dtype.hpp. Anything else is refused with a reason and the NumPy call that
// converts it, since the files come from people and LLMs.

#include "core/errors/error_kind.hpp"
#include "core/testspec/host_buffer.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace kerntune {

// A file that is not a usable .npy file; what() names the file and the reason.
class NpyError : public KindedError {
public:
    explicit NpyError(const std::string& message)
        : KindedError(ErrorKind::invalid_argument, message) {}
};

// Reads an array from the bytes of a .npy file; `label` (the file name) starts each message.
HostBuffer parse_npy(std::string_view bytes, std::string_view label);

// Reads a .npy file; a missing file is KindedError(not_found).
HostBuffer read_npy(const std::filesystem::path& path);

// The bytes of a version 1.0 .npy file holding `buffer`, as numpy.save writes them.
std::string to_npy(const HostBuffer& buffer);

void write_npy(const std::filesystem::path& path, const HostBuffer& buffer);

} // namespace kerntune
