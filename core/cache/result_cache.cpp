#include "core/cache/result_cache.hpp"

#include "core/errors/error_kind.hpp"

#include <boost/json.hpp>
#include <sqlite3.h>

#include <cstdlib>

namespace kerntune {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
    throw KindedError(ErrorKind::unavailable,
                      "result cache: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

void execute(sqlite3* db, const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        throw KindedError(ErrorKind::unavailable, "result cache: " + text);
    }
}

// A prepared statement that finalises itself.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK) {
            fail(db, "preparing a query");
        }
    }
    ~Statement() { sqlite3_finalize(statement_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, const std::string& text) {
        sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                          SQLITE_TRANSIENT);
        return *this;
    }
    // True while there is a row; throws on an error.
    bool step() {
        const int status = sqlite3_step(statement_);
        if (status == SQLITE_ROW) {
            return true;
        }
        if (status != SQLITE_DONE) {
            fail(db_, "running a query");
        }
        return false;
    }
    std::string text(int column) const {
        const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
        return data ? std::string(
                          data, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)))
                    : std::string();
    }
    sqlite3_int64 integer(int column) const { return sqlite3_column_int64(statement_, column); }

private:
    sqlite3* db_;
    sqlite3_stmt* statement_ = nullptr;
};

std::string configuration_json(const std::vector<std::pair<std::string, double>>& config) {
    boost::json::array out; // an array of pairs keeps the parameter order
    for (const auto& [name, value] : config) {
        out.push_back(boost::json::array{boost::json::value(name), boost::json::value(value)});
    }
    return boost::json::serialize(out);
}

std::string problem_size_json(const std::vector<std::int64_t>& size) {
    boost::json::array out;
    for (const auto extent : size) {
        out.push_back(extent);
    }
    return boost::json::serialize(out);
}

CacheEntry read_entry(const Statement& row) {
    CacheEntry entry;
    entry.key = row.text(0);
    entry.kernel_name = row.text(1);
    entry.device = row.text(2);
    // Kept in locals: a range-for over a member of a temporary would dangle.
    const auto problem_size = boost::json::parse(row.text(3));
    for (const auto& extent : problem_size.as_array()) {
        entry.problem_size.push_back(extent.to_number<std::int64_t>());
    }
    const auto configuration = boost::json::parse(row.text(4));
    for (const auto& pair : configuration.as_array()) {
        entry.configuration.emplace_back(std::string(pair.as_array()[0].as_string()),
                                         pair.as_array()[1].to_number<double>());
    }
    entry.result = tune_result_from_json(boost::json::parse(row.text(5)));
    return entry;
}

constexpr const char* columns = "key, kernel_name, device, problem_size, configuration, result";

} // namespace

std::filesystem::path default_result_cache_path() {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    // The XDG spec says a relative value is invalid and must be ignored.
    if (xdg && *xdg && std::filesystem::path(xdg).is_absolute()) {
        return std::filesystem::path(xdg) / "kerntune" / "results.sqlite";
    }
    const char* home = std::getenv("HOME");
    if (!home || !*home) {
        throw KindedError(ErrorKind::not_found, "result cache: neither XDG_CACHE_HOME nor HOME "
                                                "is set; give the cache file explicitly");
    }
    return std::filesystem::path(home) / ".cache" / "kerntune" / "results.sqlite";
}

void ResultCache::Close::operator()(sqlite3* db) const {
    sqlite3_close_v2(db);
}

ResultCache::ResultCache(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout)
    : path_(path) {
    std::error_code ec;
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), ec);
    }
    sqlite3* raw = nullptr;
    const int status =
        sqlite3_open_v2(path.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    db_.reset(raw);
    if (status != SQLITE_OK) {
        fail(raw, "cannot open " + path.string());
    }
    sqlite3_busy_timeout(raw, static_cast<int>(busy_timeout.count()));
    execute(raw, "PRAGMA journal_mode=WAL");
    execute(raw, "PRAGMA synchronous=NORMAL"); // durable at checkpoints; safe for a cache
    // Creating the schema under a write lock keeps two first-time openers from racing.
    execute(raw, "BEGIN IMMEDIATE");
    try {
        Statement version(raw, "PRAGMA user_version");
        version.step();
        const auto found = version.integer(0);
        if (found > schema_version) {
            throw KindedError(ErrorKind::unsupported,
                              "result cache " + path.string() + " has schema version " +
                                  std::to_string(found) + ", newer than this kerntune's " +
                                  std::to_string(schema_version) +
                                  "; upgrade kerntune or use another cache file");
        }
        if (found == 0) {
            execute(raw, "CREATE TABLE IF NOT EXISTS results ("
                         " key TEXT PRIMARY KEY, kernel_name TEXT NOT NULL,"
                         " device TEXT NOT NULL, problem_size TEXT NOT NULL,"
                         " configuration TEXT NOT NULL, result TEXT NOT NULL,"
                         " stored_at INTEGER NOT NULL)");
            execute(raw, "CREATE INDEX IF NOT EXISTS results_by_kernel"
                         " ON results (kernel_name, device, stored_at)");
            execute(raw, "PRAGMA user_version = 1");
        }
        execute(raw, "COMMIT");
    } catch (...) {
        sqlite3_exec(raw, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

ResultCache::ResultCache(ResultCache&&) noexcept = default;
ResultCache& ResultCache::operator=(ResultCache&&) noexcept = default;
ResultCache::~ResultCache() = default;

std::optional<CacheEntry> ResultCache::find(const std::string& key) const {
    Statement query(db_.get(),
                    (std::string("SELECT ") + columns + " FROM results WHERE key = ?1").c_str());
    query.bind(1, key);
    if (!query.step()) {
        return std::nullopt;
    }
    return read_entry(query);
}

void ResultCache::store(const CacheEntry& entry) {
    Statement insert(db_.get(), "INSERT OR REPLACE INTO results (key, kernel_name, device,"
                                " problem_size, configuration, result, stored_at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
                                " (SELECT COALESCE(MAX(stored_at), 0) + 1 FROM results))");
    insert.bind(1, entry.key)
        .bind(2, entry.kernel_name)
        .bind(3, entry.device)
        .bind(4, problem_size_json(entry.problem_size))
        .bind(5, configuration_json(entry.configuration))
        .bind(6, boost::json::serialize(to_json(entry.result)));
    insert.step();
}

std::vector<CacheEntry> ResultCache::entries(const std::string& kernel_name,
                                             const std::string& device) const {
    Statement query(db_.get(), (std::string("SELECT ") + columns +
                                " FROM results WHERE kernel_name = ?1 AND device = ?2"
                                " ORDER BY stored_at")
                                   .c_str());
    query.bind(1, kernel_name).bind(2, device);
    std::vector<CacheEntry> out;
    while (query.step()) {
        out.push_back(read_entry(query));
    }
    return out;
}

std::size_t ResultCache::size() const {
    Statement query(db_.get(), "SELECT COUNT(*) FROM results");
    query.step();
    return static_cast<std::size_t>(query.integer(0));
}

std::vector<CachedKernel> ResultCache::kernels() const {
    Statement query(db_.get(), "SELECT kernel_name, device, problem_size, COUNT(*) FROM results"
                               " GROUP BY kernel_name, device, problem_size"
                               " ORDER BY kernel_name, device, problem_size");
    std::vector<CachedKernel> out;
    while (query.step()) {
        CachedKernel kernel;
        kernel.kernel_name = query.text(0);
        kernel.device = query.text(1);
        const auto problem_size = boost::json::parse(query.text(2));
        for (const auto& extent : problem_size.as_array()) {
            kernel.problem_size.push_back(extent.to_number<std::int64_t>());
        }
        kernel.entries = static_cast<std::size_t>(query.integer(3));
        out.push_back(std::move(kernel));
    }
    return out;
}

} // namespace kerntune
