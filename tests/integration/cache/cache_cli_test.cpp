// `kerntune cache list` and `kerntune cache export` on result caches written here, with no
// device: choosing a kernel, device and problem size, and what is refused.
#include "cache_cli.hpp"

#include "core/cache/result_cache.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

namespace kerntune::test {
namespace {

namespace json = boost::json;

CacheEntry entry(const std::string& kernel, const std::string& device,
                 std::vector<std::int64_t> problem_size, double block) {
    CacheEntry e;
    e.kernel_name = kernel;
    e.device = device;
    e.problem_size = std::move(problem_size);
    e.configuration = {{"block_size_x", block}};
    e.key = kernel + "|" + device + "|" + std::to_string(e.problem_size.front()) + "|" +
            std::to_string(block);
    e.result.median_ms = block / 100;
    e.result.times_ms = {block / 100};
    e.result.timestamp = "2026-07-01T12:00:00Z";
    return e;
}

// Two kernels; vector_add on two devices, and on the H100 at two problem sizes.
std::filesystem::path mixed_cache(const TempDir& dir) {
    const auto path = dir.path / "mixed.sqlite";
    ResultCache cache(path);
    for (const double block : {32, 64, 128}) {
        cache.store(entry("vector_add", "NVIDIA H100 | 12.8", {4096}, block));
        cache.store(entry("vector_add", "AMD MI300X | 6.2", {4096}, block));
        cache.store(entry("matmul", "NVIDIA H100 | 12.8", {512, 512}, block));
    }
    cache.store(entry("vector_add", "NVIDIA H100 | 12.8", {8192}, 32));
    return path;
}

} // namespace

BOOST_AUTO_TEST_SUITE(cache_cli)

BOOST_AUTO_TEST_CASE(list_shows_each_kernel_device_and_problem_size_with_its_count) {
    TempDir dir;
    const auto cache = mixed_cache(dir);
    const auto run = kerntune({"cache", "list", "--cache", cache.string()});
    BOOST_TEST_INFO(run.err);
    BOOST_TEST(run.exit_code == 0);
    BOOST_TEST(contains(run.out, "result cache: " + cache.string()));
    BOOST_TEST(contains(run.out, "kernel"));
    BOOST_TEST(contains(run.out, "512,512"));
    BOOST_TEST(contains(run.out, "AMD MI300X | 6.2"));
    BOOST_TEST(contains(run.out, "8192"));
}

BOOST_AUTO_TEST_CASE(export_lists_the_choices_and_names_the_flag_that_picks_one) {
    TempDir dir;
    const auto cache = mixed_cache(dir);
    const auto out = (dir.path / "kt.json").string();
    const std::vector<std::string> base{"cache",        "export",         "--cache",
                                        cache.string(), "--kernel-tuner", out};
    const auto with = [&](std::vector<std::string> extra) {
        auto args = base;
        args.insert(args.end(), extra.begin(), extra.end());
        return kerntune(args);
    };

    auto run = with({});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "several kernels:\n  matmul (3 results)\n  vector_add (7 "
                                 "results)\npick one with --kernel NAME"),
               run.err);
    run = with({"--kernel", "vector_add"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "several devices:"), run.err);
    BOOST_TEST(contains(run.err, "  AMD MI300X | 6.2 (3 results)"), run.err);
    BOOST_TEST(contains(run.err, "--device TEXT"), run.err);
    run = with({"--kernel", "vector_add", "--device", "H100"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "several problem sizes:\n  4096 (3 results)\n  8192 (1 "
                                 "result)\npick one with --problem-size"),
               run.err);
    run = with({"--kernel", "conv"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "no results for kernel \"conv\"; the kernels it has results "
                                 "for are:\n  matmul"),
               run.err);
    BOOST_TEST(!std::filesystem::exists(out));

    run = with({"--kernel", "vector_add", "--device", "H100", "--problem-size", "4096"});
    BOOST_TEST_INFO(run.err);
    BOOST_TEST(run.exit_code == 0);
    BOOST_TEST(contains(run.out, "wrote 3 results of vector_add"));
    const auto doc = json::parse(read_file(out));
    BOOST_TEST(doc.at("kernel_name").as_string() == "vector_add");
    BOOST_TEST(doc.at("device_name").as_string() == "NVIDIA H100 | 12.8");
    BOOST_TEST(doc.at("problem_size") == json::parse("[4096]"));
    BOOST_TEST(doc.at("cache").as_object().size() == 3u);

    // matmul was tuned on one device at one size: naming the kernel is enough.
    run = kerntune({"cache", "export", "--cache", cache.string(), "--kernel", "matmul",
                    "--kernel-tuner", (dir.path / "matmul.json").string()});
    BOOST_TEST(run.exit_code == 0, run.err);
}

BOOST_AUTO_TEST_CASE(export_refuses_what_it_cannot_write_faithfully) {
    TempDir dir;
    const auto out = (dir.path / "kt.json").string();
    auto run = kerntune(
        {"cache", "export", "--cache", (dir.path / "none.sqlite").string(), "--kernel-tuner", out});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "there is no result cache at"), run.err);
    BOOST_TEST(!std::filesystem::exists(dir.path / "none.sqlite"));

    const auto empty = dir.path / "empty.sqlite";
    ResultCache{empty};
    run = kerntune({"cache", "export", "--cache", empty.string(), "--kernel-tuner", out});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "holds no results yet"), run.err);

    const auto mixed_params = dir.path / "params.sqlite";
    {
        ResultCache cache(mixed_params);
        cache.store(entry("k", "dev", {64}, 32));
        auto tiled = entry("k", "dev", {64}, 64);
        tiled.configuration.emplace_back("tile", 2);
        cache.store(tiled);
    }
    run = kerntune({"cache", "export", "--cache", mixed_params.string(), "--kernel-tuner", out});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "different tuning parameters"), run.err);
    BOOST_TEST(contains(run.err, "its own --cache file"), run.err);

    run = kerntune({"cache", "export", "--cache", mixed_cache(dir).string(), "--kernel", "matmul",
                    "--kernel-tuner", (dir.path / "no" / "such" / "kt.json").string()});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "does the folder exist?"), run.err);
    BOOST_TEST(!std::filesystem::exists(out));
}

BOOST_AUTO_TEST_CASE(bad_usage_exits_2_with_the_fix) {
    auto run = kerntune({"cache"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "kerntune cache list"));
    run = kerntune({"cache", "prune"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "unknown cache command 'prune'"));
    run = kerntune({"cache", "export", "--cache", "x.sqlite"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "--kernel-tuner FILE"));
    run = kerntune({"cache", "export", "--kernel-tuner", "x.json", "--problem-size", "big"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "--problem-size wants a number, not 'big'"), run.err);
    run = kerntune({"cache", "list", "--json"});
    BOOST_TEST(run.exit_code == 2);
    run = kerntune({"cache", "--help"});
    BOOST_TEST(run.exit_code == 0);
    BOOST_TEST(contains(run.out, "--kernel-tuner FILE"));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
