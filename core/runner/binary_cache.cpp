#include "core/runner/binary_cache.hpp"

#include "core/cache/sha256.hpp"
#include "core/worker/protocol.hpp"

#include <atomic>
#include <fstream>
#include <unistd.h>

namespace kerntune {

BinaryCache::BinaryCache(std::filesystem::path dir) : dir_(std::move(dir)) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec || !std::filesystem::is_directory(dir_))
        throw KindedError(ErrorKind::unavailable,
                          "cannot create the binary cache folder '" + dir_.string() +
                              "': " + ec.message() +
                              "; choose another cache location or run without the cache");
}

std::string BinaryCache::key(const CompileRequest& request, const std::string& compiler) {
    Sha256 hash;
    hash.field("kerntune binary 1").field(compiler).field(request.kernel_name);
    hash.field(request.source);
    hash.field(std::to_string(request.defines.size()));
    for (const auto& [name, value] : request.defines)
        hash.field(name).field(value);
    hash.field(std::to_string(request.options.size()));
    for (const auto& option : request.options)
        hash.field(option);
    return hash.hex();
}

std::filesystem::path BinaryCache::file(const std::string& key) const {
    return dir_ / (key + ".ktbin");
}

std::optional<KernelBinary> BinaryCache::find(const std::string& key) const {
    // One read of the whole file: a hit is on the path between two measurements.
    std::ifstream in(file(key), std::ios::binary | std::ios::ate);
    if (!in)
        return std::nullopt;
    std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())))
        return std::nullopt;
    try {
        return worker::binary_from(worker::expect(worker::decode_frame(bytes), "compiled"));
    } catch (const KindedError&) {
        // A damaged file (a full disk, another program) is a miss; the next store replaces it.
        return std::nullopt;
    }
}

void BinaryCache::store(const std::string& key, const KernelBinary& binary) const {
    static std::atomic<unsigned> counter{0};
    const auto final_path = file(key);
    auto temporary = final_path;
    temporary += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << worker::encode_frame(worker::compiled_frame(binary));
        out.flush();
        if (!out) {
            out.close();
            std::error_code ec;
            std::filesystem::remove(temporary, ec);
            return;
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, final_path, ec);
    if (ec)
        std::filesystem::remove(temporary, ec);
}

} // namespace kerntune
