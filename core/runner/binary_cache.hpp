#pragma once
// Compiled variants on disk, one file per variant named by the SHA-256 of everything that
// decides the binary: the source, the kernel name, the defines, the options, the compile
// target and the compiler's identity. A repeated run, or a rewrite that only changes some
// variants, loads the others instead of compiling them.
#include "core/backend/backend.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace kerntune {

class BinaryCache {
public:
    // Creates the folder. Throws KindedError(unavailable) when it cannot.
    explicit BinaryCache(std::filesystem::path dir);

    // `compiler` identifies the compiler and its target: a new driver or compiler version
    // must give a new key.
    static std::string key(const CompileRequest& request, const std::string& compiler);

    // The binary stored under `key`; nullopt when there is none or its file is damaged.
    std::optional<KernelBinary> find(const std::string& key) const;
    // Stores atomically: written to a temporary file in the folder, then renamed over the
    // final name, so readers never see half a file and concurrent writers cannot mix. A write
    // that fails leaves the variant uncached; tuning goes on.
    void store(const std::string& key, const KernelBinary& binary) const;

    const std::filesystem::path& dir() const noexcept { return dir_; }

private:
    std::filesystem::path file(const std::string& key) const;
    std::filesystem::path dir_;
};

} // namespace kerntune
