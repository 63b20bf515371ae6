// `kerntune autotune` fills a result cache on the OpenCL device (PoCL in CI), then
// `kerntune cache export` writes it as a Kernel Tuner cache file.
#include "cache_cli.hpp"

#include "core/json/schema.hpp"
#include "tests/unit/cache/kernel_tuner_schema.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

namespace kerntune::test {
namespace {

namespace json = boost::json;

const std::string kernel_dir = KT_TEST_KERNEL_DIR;

ProcessResult autotune(const std::string& kernel, const std::filesystem::path& cache) {
    return kerntune({"autotune", kernel_dir + "/" + kernel, "--kernel-name", "scaled_add", "--test",
                     kernel_dir + "/scaled_add.json", "--param", "block_size_x=1,2,4,8,16,32",
                     "--restriction", "block_size_x >= 2", "--iterations", "3", "--cache",
                     cache.string()});
}

} // namespace

BOOST_AUTO_TEST_SUITE(cache_export)

BOOST_AUTO_TEST_CASE(an_autotuned_kernel_exports_as_a_kernel_tuner_cache_file) {
    TempDir dir;
    const auto cache = dir.path / "results.sqlite";
    const auto tuned = autotune("compile_error.cl", cache);
    BOOST_TEST_INFO(tuned.err);
    BOOST_REQUIRE(tuned.exit_code == 0);

    const auto listed = kerntune({"cache", "list", "--cache", cache.string()});
    BOOST_TEST(listed.exit_code == 0, listed.err);
    BOOST_TEST(contains(listed.out, "scaled_add"), listed.out);
    BOOST_TEST(contains(listed.out, "1000"), listed.out);

    const auto file = dir.path / "scaled_add.json";
    const auto exported =
        kerntune({"cache", "export", "--cache", cache.string(), "--kernel-tuner", file.string()});
    BOOST_TEST_INFO(exported.err);
    BOOST_REQUIRE(exported.exit_code == 0);
    BOOST_TEST(contains(exported.out, "wrote 5 results of scaled_add"), exported.out);

    const std::string text = read_file(file);
    BOOST_TEST(text.ends_with("}\n}")); // Kernel Tuner strips this to append when it resumes
    const auto doc = json::parse(text);
    const auto problems = JsonSchema::parse(kernel_tuner_schema).validate(doc);
    for (const auto& problem : problems)
        BOOST_TEST_MESSAGE(problem);
    BOOST_TEST(problems.empty());
    BOOST_TEST(doc.at("kernel_name").as_string() == "scaled_add");
    BOOST_TEST(doc.at("problem_size") == json::parse("[1000]"));
    BOOST_TEST(doc.at("tune_params") == json::parse(R"({"block_size_x": [2, 4, 8, 16, 32]})"));
    const auto& entries = doc.at("cache").as_object();
    BOOST_TEST(entries.size() == 5u);
    BOOST_TEST(entries.at("8").at("time").as_string() == "CompilationFailedConfig");
    BOOST_TEST(entries.at("16").at("time").to_number<double>() > 0);
    BOOST_TEST(entries.at("16").at("times").as_array().size() == 3u);
    BOOST_TEST(entries.at("16").at("block_size_x").as_int64() == 16);
    // The usual permissions for a new file, not the temporary file's private ones.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    BOOST_TEST(static_cast<unsigned>(std::filesystem::status(file).permissions()) ==
               (0666u & ~static_cast<unsigned>(mask)));

    // The file is the user's now: a second export leaves it alone unless told otherwise.
    std::ofstream(file) << "edited by hand";
    const auto refused =
        kerntune({"cache", "export", "--cache", cache.string(), "--kernel-tuner", file.string()});
    BOOST_TEST(refused.exit_code == 2);
    BOOST_TEST(contains(refused.err, "already exists"), refused.err);
    BOOST_TEST(contains(refused.err, "--force"), refused.err);
    BOOST_TEST(read_file(file) == "edited by hand");

    const auto forced = kerntune(
        {"cache", "export", "--cache", cache.string(), "--kernel-tuner", file.string(), "--force"});
    BOOST_TEST(forced.exit_code == 0, forced.err);
    BOOST_TEST(read_file(file) == text);

    // No temporary file is left beside the export.
    for (const auto& item : std::filesystem::directory_iterator(dir.path))
        BOOST_TEST(!item.path().filename().string().starts_with(".scaled_add.json"), item.path());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
