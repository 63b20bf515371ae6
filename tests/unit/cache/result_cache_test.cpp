#include "core/cache/result_cache.hpp"
#include "core/errors/error_kind.hpp"

#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <cstdlib>
#include <thread>

using namespace kerntune;

namespace {

CacheEntry entry(const std::string& key, double block, std::optional<double> median) {
    CacheEntry e;
    e.key = key;
    e.kernel_name = "vector_add";
    e.device = "NVIDIA H100";
    e.problem_size = {1 << 20};
    e.configuration = {{"block_size_x", block}, {"unroll", 0.5}};
    e.result.median_ms = median;
    e.result.spread_ms = 0.001;
    e.result.times_ms = {0.1, 0.2};
    e.result.compile_time_ms = 12.5;
    e.result.timestamp = "2026-07-01T00:00:00Z";
    e.result.metrics["GB/s"] = 1800.5;
    if (!median) {
        e.result.failure = TuneFailure{"compile", "error: expected ';'"};
    }
    return e;
}

std::string pragma(const std::filesystem::path& file, const char* name) {
    sqlite3* db = nullptr;
    sqlite3_open(file.c_str(), &db);
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, (std::string("PRAGMA ") + name).c_str(), -1, &statement, nullptr);
    sqlite3_step(statement);
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    std::string value = text ? text : "";
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return value;
}

} // namespace

BOOST_AUTO_TEST_SUITE(result_cache)

BOOST_AUTO_TEST_CASE(a_stored_result_is_found_by_key_after_reopening) {
    test::TempDir dir;
    const auto file = dir.path / "nested" / "results.sqlite";
    {
        ResultCache cache(file);
        cache.store(entry("k1", 128, 0.25));
        cache.store(entry("k2", 256, std::nullopt));
    }
    const ResultCache cache(file);
    BOOST_TEST(cache.size() == 2u);
    const auto found = cache.find("k1");
    BOOST_REQUIRE(found.has_value());
    BOOST_TEST(found->configuration[0].first == "block_size_x");
    BOOST_TEST(found->configuration[1].second == 0.5);
    BOOST_TEST(*found->result.median_ms == 0.25);
    BOOST_TEST(found->result.times_ms.size() == 2u);
    BOOST_TEST(found->result.metrics.at("GB/s").as_double() == 1800.5);
    BOOST_TEST((found->problem_size == std::vector<std::int64_t>{1 << 20}));
    const auto failed = cache.find("k2");
    BOOST_TEST(failed->result.failure->message == "error: expected ';'");
    BOOST_TEST(!failed->result.median_ms.has_value());
    BOOST_TEST(!cache.find("k3").has_value());
}

BOOST_AUTO_TEST_CASE(storing_a_key_again_replaces_the_entry) {
    test::TempDir dir;
    ResultCache cache(dir.path / "r.sqlite");
    cache.store(entry("k", 128, 0.25));
    cache.store(entry("k", 128, 0.5));
    BOOST_TEST(cache.size() == 1u);
    BOOST_TEST(*cache.find("k")->result.median_ms == 0.5);
}

BOOST_AUTO_TEST_CASE(the_file_is_in_wal_mode_with_a_schema_version) {
    test::TempDir dir;
    const auto file = dir.path / "r.sqlite";
    { ResultCache cache(file); }
    BOOST_TEST(pragma(file, "journal_mode") == "wal");
    BOOST_TEST(pragma(file, "user_version") == "1");
}

BOOST_AUTO_TEST_CASE(a_file_from_a_newer_schema_is_refused) {
    test::TempDir dir;
    const auto file = dir.path / "r.sqlite";
    { ResultCache cache(file); }
    pragma(file, "user_version = 2");
    try {
        ResultCache cache(file);
        BOOST_FAIL("no error");
    } catch (const KindedError& e) {
        BOOST_TEST((e.kind() == ErrorKind::unsupported));
        BOOST_TEST(std::string(e.what()).find("schema version 2") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(concurrent_writers_on_separate_connections_lose_nothing) {
    test::TempDir dir;
    const auto file = dir.path / "r.sqlite";
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
        writers.emplace_back([&, w] {
            ResultCache cache(file);
            for (int i = 0; i < 40; ++i) {
                cache.store(entry(std::to_string(w) + "-" + std::to_string(i), i, 1.0));
            }
        });
    }
    for (auto& writer : writers) {
        writer.join();
    }
    const ResultCache cache(file);
    BOOST_TEST(cache.size() == 160u);
    BOOST_TEST(cache.entries("vector_add", "NVIDIA H100").size() == 160u);
    BOOST_TEST(cache.entries("vector_add", "NVIDIA H200").empty());
}

BOOST_AUTO_TEST_CASE(entries_come_back_in_the_order_stored) {
    test::TempDir dir;
    ResultCache cache(dir.path / "r.sqlite");
    cache.store(entry("b", 64, 1.0));
    cache.store(entry("a", 32, 1.0));
    const auto all = cache.entries("vector_add", "NVIDIA H100");
    BOOST_TEST(all.size() == 2u);
    BOOST_TEST(all[0].key == "b");
}

BOOST_AUTO_TEST_CASE(kernels_counts_the_results_of_each_kernel_device_and_problem_size) {
    test::TempDir dir;
    ResultCache cache(dir.path / "r.sqlite");
    BOOST_TEST(cache.kernels().empty());
    cache.store(entry("a", 32, 1.0));
    cache.store(entry("b", 64, 1.0));
    auto other_device = entry("c", 32, 1.0);
    other_device.device = "AMD MI300X";
    cache.store(other_device);
    auto other_size = entry("d", 32, 1.0);
    other_size.problem_size = {512, 512};
    cache.store(other_size);
    auto other_kernel = entry("e", 32, std::nullopt);
    other_kernel.kernel_name = "matmul";
    cache.store(other_kernel);

    const auto kernels = cache.kernels();
    BOOST_REQUIRE(kernels.size() == 4u);
    BOOST_TEST(kernels[0].kernel_name == "matmul");
    BOOST_TEST(kernels[0].entries == 1u);
    BOOST_TEST(kernels[1].kernel_name == "vector_add");
    BOOST_TEST(kernels[1].device == "AMD MI300X");
    BOOST_TEST(kernels[2].device == "NVIDIA H100");
    BOOST_TEST(kernels[3].device == "NVIDIA H100");
    // One group per problem size of the same kernel and device.
    const auto& big = kernels[2].problem_size.size() == 1 ? kernels[2] : kernels[3];
    const auto& square = kernels[2].problem_size.size() == 1 ? kernels[3] : kernels[2];
    BOOST_TEST(big.problem_size == std::vector<std::int64_t>{1 << 20});
    BOOST_TEST(big.entries == 2u);
    BOOST_TEST(square.problem_size == (std::vector<std::int64_t>{512, 512}));
    BOOST_TEST(square.entries == 1u);
}

BOOST_AUTO_TEST_CASE(the_default_path_follows_xdg_cache_home_then_home) {
    const char* saved_xdg = std::getenv("XDG_CACHE_HOME");
    const std::string xdg = saved_xdg ? saved_xdg : "";
    ::setenv("XDG_CACHE_HOME", "/srv/cache", 1);
    BOOST_TEST(default_result_cache_path() == "/srv/cache/kerntune/results.sqlite");
    ::setenv("XDG_CACHE_HOME", "relative/ignored", 1);
    const std::string home = std::getenv("HOME") ? std::getenv("HOME") : "";
    if (!home.empty()) {
        BOOST_TEST(default_result_cache_path() ==
                   std::filesystem::path(home) / ".cache/kerntune/results.sqlite");
    }
    if (saved_xdg) {
        ::setenv("XDG_CACHE_HOME", xdg.c_str(), 1);
    } else {
        ::unsetenv("XDG_CACHE_HOME");
    }
}

BOOST_AUTO_TEST_SUITE_END()
