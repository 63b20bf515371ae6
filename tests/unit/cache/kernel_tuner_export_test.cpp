#include "core/cache/kernel_tuner_export.hpp"
#include "core/errors/error_kind.hpp"
#include "core/json/schema.hpp"

#include "tests/unit/cache/kernel_tuner_schema.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

using namespace kerntune;

namespace {

CacheEntry entry(double block, double tile, std::optional<double> median,
                 const std::string& failure = "") {
    CacheEntry e;
    e.key = "k" + std::to_string(block) + "," + std::to_string(tile);
    e.kernel_name = "matmul";
    e.device = "NVIDIA H100";
    e.configuration = {{"block_size_x", block}, {"tile", tile}};
    e.result.median_ms = median;
    e.result.times_ms = {1.0, 2.0, 3.0};
    e.result.compile_time_ms = 11;
    e.result.benchmark_time_ms = 7;
    e.result.timestamp = "2026-07-01T12:00:00Z";
    if (!failure.empty()) {
        e.result.failure = TuneFailure{failure, "message"};
    }
    e.result.metrics["GB/s"] = 900.0;
    return e;
}

const KernelTunerHeader header{"NVIDIA H100", "matmul", {4096, 4096}};

std::vector<CacheEntry> sample() {
    return {entry(128, 2, 1.5), entry(64, 2, 2.5), entry(256, 0.5, std::nullopt, "compile"),
            entry(256, 2, std::nullopt, "timeout")};
}

} // namespace

BOOST_AUTO_TEST_SUITE(kernel_tuner_export)

BOOST_AUTO_TEST_CASE(the_document_has_kernel_tuners_header_fields) {
    const auto doc = kernel_tuner_cache(header, sample());
    BOOST_TEST(doc.at("device_name").as_string() == "NVIDIA H100");
    BOOST_TEST(doc.at("kernel_name").as_string() == "matmul");
    BOOST_TEST(doc.at("problem_size") == boost::json::parse("[4096, 4096]"));
    BOOST_TEST(doc.at("tune_params_keys") == boost::json::parse(R"(["block_size_x", "tile"])"));
    BOOST_TEST(doc.at("tune_params") ==
               boost::json::parse(R"({"block_size_x": [64, 128, 256], "tile": [0.5, 2]})"));
    BOOST_TEST(doc.at("objective").as_string() == "time");
    const auto problems = JsonSchema::parse(test::kernel_tuner_schema).validate(doc);
    for (const auto& problem : problems) {
        BOOST_TEST_MESSAGE(problem);
    }
    BOOST_TEST(problems.empty());
}

BOOST_AUTO_TEST_CASE(entries_are_keyed_by_comma_joined_values_and_carry_the_timings) {
    const auto cache = kernel_tuner_cache(header, sample()).at("cache").as_object();
    BOOST_TEST(cache.size() == 4u);
    const auto& ok = cache.at("128,2").as_object();
    BOOST_TEST(ok.at("block_size_x").is_int64()); // whole values are integers, as in Python
    BOOST_TEST(ok.at("time").as_double() == 1.5);
    BOOST_TEST(ok.at("times") == boost::json::parse("[1.0, 2.0, 3.0]"));
    BOOST_TEST(ok.at("compile_time").as_double() == 11.0);
    BOOST_TEST(ok.at("benchmark_time").as_double() == 7.0);
    BOOST_TEST(ok.at("GB/s").as_double() == 900.0);
    BOOST_TEST(!ok.contains("__error__"));
    BOOST_TEST(cache.at("256,0.5").at("time").as_string() == "CompilationFailedConfig");
    BOOST_TEST(cache.at("256,0.5").at("__error__").as_string() == "CompilationFailedConfig");
    BOOST_TEST(cache.at("256,2").at("time").as_string() == "RuntimeFailedConfig");
}

BOOST_AUTO_TEST_CASE(the_text_can_be_resumed_the_way_kernel_tuner_appends) {
    const auto text = kernel_tuner_cache_text(header, sample());
    BOOST_TEST(boost::json::parse(text) ==
               boost::json::value(kernel_tuner_cache(header, sample())));
    BOOST_TEST(text.substr(text.size() - 3) == "}\n}");
    // util.correct_open_cache reopens a closed file as text[:-3] + ","; store_cache appends
    // '\n"key": {...},'; close_cache turns the final comma into "}\n}".
    std::string resumed = text.substr(0, text.size() - 3) + ",";
    resumed += "\n\"32,2\": {\"block_size_x\": 32, \"tile\": 2, \"time\": 4.0},";
    resumed = resumed.substr(0, resumed.size() - 1) + "}\n}";
    const auto reread = boost::json::parse(resumed);
    BOOST_TEST(reread.at("cache").as_object().size() == 5u);
    BOOST_TEST(reread.at("cache").at("128,2").at("time").as_double() == 1.5);
}

BOOST_AUTO_TEST_CASE(an_empty_export_is_still_a_resumable_file) {
    const auto text = kernel_tuner_cache_text(header, {});
    BOOST_TEST(boost::json::parse(text).at("cache").as_object().empty());
    BOOST_TEST(text.substr(text.size() - 4) == "{}\n}");
}

BOOST_AUTO_TEST_CASE(entries_with_different_parameters_cannot_share_a_file) {
    auto entries = sample();
    entries[1].configuration = {{"block_size_x", 64}};
    BOOST_CHECK_THROW(kernel_tuner_cache(header, entries), KindedError);
}

BOOST_AUTO_TEST_SUITE_END()
