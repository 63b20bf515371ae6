#pragma once
// The persistent result cache: one SQLite file, in WAL mode so that readers never block the
// writer, shared safely by concurrent kerntune processes (each waits up to a busy timeout for
// another's write to finish).

#include "core/cache/tune_result.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;

namespace kerntune {

struct CacheEntry {
    std::string key; // cache_key()
    std::string kernel_name;
    std::string device;
    std::vector<std::int64_t> problem_size;
    std::vector<std::pair<std::string, double>> configuration; // in parameter order
    TuneResult result;
};

// What the cache holds for one kernel on one device at one problem size.
struct CachedKernel {
    std::string kernel_name;
    std::string device;
    std::vector<std::int64_t> problem_size;
    std::size_t entries = 0;
};

// $XDG_CACHE_HOME/kerntune/results.sqlite when XDG_CACHE_HOME is an absolute path, else
// $HOME/.cache/kerntune/results.sqlite. Throws KindedError(not_found) when neither is set.
std::filesystem::path default_result_cache_path();

class ResultCache {
public:
    // Opens or creates the file (and its folder). Throws KindedError(unavailable) when it
    // cannot, and KindedError(unsupported) for a file of a newer schema version.
    explicit ResultCache(const std::filesystem::path& path,
                         std::chrono::milliseconds busy_timeout = std::chrono::seconds(10));
    ResultCache(ResultCache&&) noexcept;
    ResultCache& operator=(ResultCache&&) noexcept;
    ~ResultCache();

    static constexpr int schema_version = 1;

    std::optional<CacheEntry> find(const std::string& key) const;
    // Inserts, or replaces the entry with the same key.
    void store(const CacheEntry& entry);
    // Every entry for one kernel on one device, oldest first.
    std::vector<CacheEntry> entries(const std::string& kernel_name,
                                    const std::string& device) const;
    std::size_t size() const;
    // Every kernel, device and problem size that has results, sorted by kernel, then device.
    std::vector<CachedKernel> kernels() const;

    const std::filesystem::path& path() const noexcept { return path_; }

private:
    struct Close {
        void operator()(sqlite3* db) const;
    };
    std::filesystem::path path_;
    std::unique_ptr<sqlite3, Close> db_;
};

} // namespace kerntune
