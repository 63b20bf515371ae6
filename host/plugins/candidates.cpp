#include "host/plugins/candidates.hpp"

#include "host/plugins/trust.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <utility>

namespace kerntune::plugins {
namespace {

namespace fs = std::filesystem;
using FileKey = std::pair<dev_t, ino_t>;

std::optional<struct stat> stat_of(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return std::nullopt;
    return st;
}

FileKey key_of(const struct stat& st) {
    return {st.st_dev, st.st_ino};
}

void check_named_dir(const SearchDir& dir, const std::optional<struct stat>& st) {
    if (!dir.must_exist)
        return;
    if (!st)
        throw DiscoveryError(dir.origin + " " + dir.path.string() + ": " + std::strerror(errno) +
                             "; give an existing directory");
    if (!S_ISDIR(st->st_mode))
        throw DiscoveryError(dir.origin + " " + dir.path.string() +
                             " is not a directory; give the directory that holds the plugins");
}

std::vector<fs::path> shared_objects(const fs::path& dir, std::error_code& ec) {
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() > 3 && name.ends_with(".so"))
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

class Search {
public:
    void directory(const SearchDir& dir) {
        const auto st = stat_of(dir.path);
        check_named_dir(dir, st);
        if (!st || !S_ISDIR(st->st_mode) || !seen_dirs_.insert(key_of(*st)).second)
            return;
        result_.searched.push_back(dir.path);
        if (auto why =
                untrusted_reason("the directory", dir.path, st->st_mode, TrustedThing::directory)) {
            result_.refused.push_back({dir.path, *why});
            return;
        }
        std::error_code ec;
        const auto files = shared_objects(dir.path, ec);
        if (ec) {
            result_.refused.push_back({dir.path, "the directory cannot be read: " + ec.message()});
            return;
        }
        for (const auto& file : files)
            this->file(file, *st);
    }

    CandidateSearch take() { return std::move(result_); }

private:
    void file(const fs::path& file, const struct stat& dir_st) {
        const auto st = stat_of(file);
        if (!st)
            return refuse(file, std::string("it cannot be read: ") + std::strerror(errno));
        if (!seen_files_.insert(key_of(*st)).second)
            return;
        if (!S_ISREG(st->st_mode))
            return refuse(file, "it is not a regular file");
        if (auto why = untrusted_reason("it", file, st->st_mode, TrustedThing::file))
            return refuse(file, *why);
        if (auto why = untrusted_target_dir(file, dir_st))
            return refuse(file, *why);
        result_.files.push_back(file);
    }

    // A symlink's target lives in a directory of its own, which must be as safe as ours.
    static std::optional<std::string> untrusted_target_dir(const fs::path& file,
                                                           const struct stat& dir_st) {
        std::error_code ec;
        const fs::path target_dir = fs::canonical(file, ec).parent_path();
        const auto st = ec ? std::nullopt : stat_of(target_dir);
        if (!st || key_of(*st) == key_of(dir_st))
            return std::nullopt;
        return untrusted_reason("the directory it links into, " + target_dir.string() + ",",
                                target_dir, st->st_mode, TrustedThing::directory);
    }

    void refuse(const fs::path& file, std::string reason) {
        result_.refused.push_back({file, std::move(reason)});
    }

    CandidateSearch result_;
    std::set<FileKey> seen_dirs_;
    std::set<FileKey> seen_files_;
};

} // namespace

CandidateSearch find_candidates(const std::vector<SearchDir>& dirs) {
    Search search;
    for (const auto& dir : dirs)
        search.directory(dir);
    return search.take();
}

} // namespace kerntune::plugins
