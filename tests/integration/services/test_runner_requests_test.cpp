// kerntune.test_runner/1 without a device: reading requests, finding kernel names, the test
// store, and which error a tuning run with no passing configuration becomes.
#include "host/services/test_runner_json.hpp"
#include "host/services/test_store.hpp"

#include "core/testspec/npy.hpp"
#include "core/testspec/spec_error.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace kerntune;
using namespace kerntune::host;
namespace json = boost::json;

namespace {

constexpr const char* scaled_add = R"(
// __kernel void commented_out(int x) {}
__kernel void scaled_add(__global float* c, __global const float* a, const float alpha) {
    c[get_global_id(0)] = alpha * a[get_global_id(0)];
})";

std::string spec_text(int n, std::string_view b_values = R"({"uniform": {"min": -1, "max": 1}})") {
    return R"({"variables": {"n": )" + std::to_string(n) + R"(}, "problem_size": ["n"],
              "args": [{"name": "c", "type": "float32", "shape": ["n"],
                        "values": {"constant": {"value": 0}}},
                       {"name": "b", "type": "float32", "shape": ["n"], "values": )" +
           std::string(b_values) + R"(},
                       {"name": "n", "type": "int32", "value": "n"}],
              "outputs": [{"name": "c", "atol": 0, "rtol": 0,
                           "reference": {"from": "reference_kernel"}}]})";
}

// The kind and message of what `body` throws; the test fails when it throws nothing.
template <class Body> std::pair<ErrorKind, std::string> error_of(Body&& body) {
    try {
        body();
    } catch (const KindedError& e) {
        return {e.kind(), e.what()};
    }
    BOOST_FAIL("nothing was thrown");
    return {};
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

json::value request(std::string_view extra = "") {
    return json::parse(R"({"kernel": )" + json::serialize(json::value(scaled_add)) +
                       R"(, "tune_params": {"block_size_x": [32, 64], "tile": [0.5, 2]},
                          "tests": ["t-1", "t-2"], "restrictions": ["block_size_x * tile >= 32"])" +
                       std::string(extra) + "}");
}

ConfigResult failed(double block, ErrorKind kind, const std::string& message) {
    ConfigResult result;
    result.configuration = {{"block_size_x", block}};
    result.error = kind;
    const char* failure_kind = kind == ErrorKind::compile_error  ? "compile"
                               : kind == ErrorKind::failed_tests ? "verification"
                               : kind == ErrorKind::timeout      ? "timeout"
                                                                 : "runtime";
    result.result.failure = TuneFailure{failure_kind, message};
    return result;
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("kerntune-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(test_runner_requests)

BOOST_AUTO_TEST_CASE(a_run_tests_request_becomes_tune_options) {
    const auto r = read_run_tests_request(request(R"(, "iterations": 3, "strategy": "random_sample",
        "max_configs": 10, "max_seconds": 2.5, "compiler_options": ["-cl-fast-relaxed-math"],
        "reference_kernel": "__kernel void scaled_add() {}", "grid_div_x": ["block_size_x*tile"],
        "grid_div_y": [], "block_size_names": ["block_size_x"])"));
    BOOST_TEST(r.tests == (std::vector<std::string>{"t-1", "t-2"}));
    BOOST_TEST(r.options.kernel_name == "scaled_add");
    BOOST_TEST(r.options.kernel_source == scaled_add);
    BOOST_REQUIRE(r.options.parameters.size() == 2u);
    BOOST_TEST(r.options.parameters[0].name == "block_size_x");
    BOOST_TEST(r.options.parameters[1].values == (std::vector<double>{0.5, 2}));
    BOOST_TEST(r.options.restrictions == std::vector<std::string>{"block_size_x * tile >= 32"});
    BOOST_TEST(r.options.iterations == 3);
    BOOST_TEST(r.options.strategy == "random_sample");
    BOOST_TEST(*r.options.budget.max_configs == 10u);
    BOOST_TEST(r.options.budget.max_time->count() == 2.5);
    BOOST_TEST(r.options.compiler_options == std::vector<std::string>{"-cl-fast-relaxed-math"});
    BOOST_TEST(*r.options.reference_source == "__kernel void scaled_add() {}");
    BOOST_TEST(*r.options.grid_divisors.divisors[0] ==
               std::vector<std::string>{"block_size_x*tile"});
    BOOST_TEST(r.options.grid_divisors.divisors[1]->empty());
    BOOST_TEST(!r.options.grid_divisors.divisors[2]);

    // What the SDK sends: no kernel_name, so the one kernel of the source is launched.
    const auto minimal = read_run_tests_request(json::parse(
        R"({"kernel": "__global__ void k(float* x) {}", "tune_params": {}, "tests": ["t"],
            "restrictions": []})"));
    BOOST_TEST(minimal.options.kernel_name == "k");
    BOOST_TEST(minimal.options.parameters.empty());
}

BOOST_AUTO_TEST_CASE(a_compare_request_becomes_two_single_configurations) {
    const auto r = read_compare_request(json::parse(
        R"({"baseline": {"kernel": "__kernel void k(__global float* c) {}",
                         "params": {"block_size_x": 256}},
            "candidate": {"kernel": "__kernel void k(__global float* c) {}",
                          "params": {"block_size_x": 64, "tile": 4},
                          "grid_div_x": ["block_size_x*tile"], "compiler_options": ["-w"]},
            "tests": ["t-1", "t-2"], "reference_kernel": "__kernel void k() {}"})"));
    BOOST_TEST(r.tests == (std::vector<std::string>{"t-1", "t-2"}));
    BOOST_TEST(r.baseline.kernel_name == "k");
    BOOST_REQUIRE(r.baseline.parameters.size() == 1u);
    BOOST_TEST(r.baseline.parameters[0].values == std::vector<double>{256});
    BOOST_TEST(*r.baseline.reference_source == "__kernel void k() {}");
    BOOST_REQUIRE(r.candidate.parameters.size() == 2u);
    BOOST_TEST(r.candidate.parameters[1].name == "tile");
    BOOST_TEST(*r.candidate.grid_divisors.divisors[0] ==
               std::vector<std::string>{"block_size_x*tile"});
    BOOST_TEST(r.candidate.compiler_options == std::vector<std::string>{"-w"});
}

BOOST_AUTO_TEST_CASE(a_bad_compare_request_names_the_key_inside_its_side) {
    const auto expect = [](std::string_view text, ErrorKind kind, std::string_view part) {
        const auto [got, message] = error_of([&] { read_compare_request(json::parse(text)); });
        BOOST_TEST((got == kind), text << " -> " << message);
        BOOST_TEST(contains(message, part), text << " -> " << message);
    };
    const std::string side = R"({"kernel": "__kernel void k() {}", "params": {}})";
    expect(R"({"baseline": )" + side + R"(, "tests": ["t"]})", ErrorKind::invalid_argument,
           "candidate");
    expect(R"({"baseline": )" + side +
               R"(, "candidate": {"kernel": "__kernel void k() {}", "params": {"x": "big"}},
                  "tests": ["t"]})",
           ErrorKind::invalid_argument, "/candidate/params/x");
    expect(R"({"baseline": {"kernel": "__kernel void k() {}", "params": {}, "iterations": 3},
               "candidate": )" +
               side + R"(, "tests": ["t"]})",
           ErrorKind::invalid_argument, "/baseline");
    expect(R"({"baseline": )" + side + R"(, "candidate": )" + side + R"(, "tests": []})",
           ErrorKind::invalid_argument, "/tests");
    expect(R"({"baseline": )" + side +
               R"(, "candidate": {"kernel": "__kernel void k() {}", "params": {"b": 1},
                                  "grid_div_x": ["b * nope"]}, "tests": ["t"]})",
           ErrorKind::invalid_argument, "/candidate/grid_div_x/0");
}

BOOST_AUTO_TEST_CASE(the_runs_kernel_name_is_launched_when_a_request_names_none) {
    const std::string two = R"(__kernel void helper() {} __kernel void main_kernel() {})";
    const auto request = json::parse(R"({"kernel": )" + json::serialize(json::value(two)) +
                                     R"(, "params": {}, "test": "t"})");
    BOOST_TEST(read_run_config_request(request, "main_kernel").options.kernel_name ==
               "main_kernel");
    // Without the default, two kernels are ambiguous.
    BOOST_TEST(
        contains(error_of([&] { read_run_config_request(request); }).second, "several kernels"));
}

BOOST_AUTO_TEST_CASE(a_bad_request_names_the_key_and_what_to_do) {
    const auto bad = [](std::string_view text) {
        return error_of([&] { read_run_tests_request(json::parse(text)); });
    };
    const std::string kernel = R"("kernel": "__kernel void k() {}")";
    const auto expect = [&](std::string_view text, ErrorKind kind,
                            std::initializer_list<std::string_view> parts) {
        const auto [got, message] = bad(text);
        BOOST_TEST((got == kind), text << " -> " << message);
        for (const auto part : parts)
            BOOST_TEST(contains(message, part), text << " -> " << message);
    };
    expect("[]", ErrorKind::invalid_argument, {"the request", "expected an object"});
    expect("{" + kernel + R"(, "tests": ["t"]})", ErrorKind::invalid_argument,
           {"missing the key \"tune_params\""});
    expect("{" + kernel + R"(, "tune_params": {}, "tests": ["t"], "tunables": 1})",
           ErrorKind::invalid_argument, {"/tunables", "unknown key"});
    expect("{" + kernel + R"(, "tune_params": {"block_size_x": [32, "64"]}, "tests": ["t"]})",
           ErrorKind::invalid_argument, {"/tune_params/block_size_x/1", "expected a number"});
    expect("{" + kernel + R"(, "tune_params": {"block_size_x": 32}, "tests": ["t"]})",
           ErrorKind::invalid_argument, {"/tune_params/block_size_x", "expected an array"});
    expect("{" + kernel + R"(, "tune_params": {"block_size_x": [32, 32]}, "tests": ["t"]})",
           ErrorKind::invalid_argument, {"/tune_params/block_size_x/1", "listed twice"});
    expect("{" + kernel + R"(, "tune_params": {"block size": [1]}, "tests": ["t"]})",
           ErrorKind::invalid_argument, {"/tune_params/block size", "C identifier"});
    expect("{" + kernel + R"(, "tune_params": {}, "tests": []})", ErrorKind::invalid_argument,
           {"/tests", "at least one test id"});
    expect("{" + kernel + R"(, "tune_params": {}, "tests": [7]})", ErrorKind::invalid_argument,
           {"/tests/0", "expected a string"});
    expect("{" + kernel + R"(, "tune_params": {}, "tests": ["t"], "iterations": 0})",
           ErrorKind::invalid_argument, {"/iterations"});
    expect("{" + kernel + R"(, "tune_params": {}, "tests": ["t"], "strategy": "magic"})",
           ErrorKind::invalid_argument, {"/strategy", "brute_force"});
    expect(R"({"kernel": "  ", "tune_params": {}, "tests": ["t"]})", ErrorKind::invalid_argument,
           {"/kernel", "non-empty"});
    expect(R"({"kernel": "int f() { return 1; }", "tune_params": {}, "tests": ["t"]})",
           ErrorKind::invalid_argument, {"/kernel", "defines no kernel", "\"kernel_name\""});
    expect(R"({"kernel": "__kernel void a() {} __kernel void b() {}",
               "tune_params": {}, "tests": ["t"]})",
           ErrorKind::invalid_argument, {"/kernel", "several kernels (a, b)", "\"kernel_name\""});
    expect(R"({"kernel": "__kernel void a() { /* never closed", "tune_params": {},
               "tests": ["t"]})",
           ErrorKind::compile_error, {"/kernel: "});
    expect("{" + kernel + R"(, "tune_params": {"block_size_x": [1]}, "tests": ["t"],
               "restrictions": ["block_size_x > 0", "block_size_y > 0"]})",
           ErrorKind::restriction_check, {"/restrictions/1", "block_size_y"});
    expect("{" + kernel + R"(, "tune_params": {"block_size_x": [1]}, "tests": ["t"],
               "grid_div_y": ["tile_y"]})",
           ErrorKind::invalid_argument, {"/grid_div_y/0", "tile_y"});
}

BOOST_AUTO_TEST_CASE(a_run_config_request_has_one_value_per_parameter) {
    const auto r = read_run_config_request(json::parse(
        R"({"kernel": "__kernel void k() {}", "params": {"block_size_x": 64, "tile": 0.5},
            "test": "t-1", "iterations": 2})"));
    BOOST_TEST(r.test == "t-1");
    BOOST_REQUIRE(r.options.parameters.size() == 2u);
    BOOST_TEST(r.options.parameters[0].values == std::vector<double>{64});
    BOOST_TEST(r.options.parameters[1].values == std::vector<double>{0.5});
    BOOST_TEST(r.options.iterations == 2);
    const auto [kind, message] = error_of([] {
        read_run_config_request(json::parse(
            R"({"kernel": "__kernel void k() {}", "params": {"block_size_x": [64]}, "test": "t"})"));
    });
    BOOST_TEST((kind == ErrorKind::invalid_argument));
    BOOST_TEST(contains(message, "/params/block_size_x: expected a number"), message);
    BOOST_TEST(params_json({{"block_size_x", 64}, {"tile", 0.5}}) ==
               json::parse(R"({"block_size_x": 64, "tile": 0.5})"));
    BOOST_TEST(params_json({{"block_size_x", 64}}).at("block_size_x").is_int64());
}

BOOST_AUTO_TEST_CASE(the_error_kind_of_a_run_without_a_passing_configuration_follows_the_failures) {
    const auto kind_and_message = [](std::vector<ConfigResult> results) {
        TuneReport report;
        report.results = std::move(results);
        const KindedError e = no_configuration_passed(report, "t-1");
        return std::pair<ErrorKind, std::string>{e.kind(), e.what()};
    };
    auto [kind, message] =
        kind_and_message({failed(8, ErrorKind::compile_error, "error: undeclared x"),
                          failed(16, ErrorKind::compile_error, "error: other")});
    BOOST_TEST((kind == ErrorKind::compile_error));
    BOOST_TEST(
        contains(message, "no configuration passed on test t-1 (2 compile_error of 2 tried)"),
        message);
    BOOST_TEST(contains(message, "block_size_x=8: error: undeclared x"), message);

    std::tie(kind, message) =
        kind_and_message({failed(8, ErrorKind::compile_error, "error: undeclared x"),
                          failed(16, ErrorKind::runtime_error, "launch failed"),
                          failed(32, ErrorKind::failed_tests, "output \"c\": 3 of 6 wrong")});
    BOOST_TEST((kind == ErrorKind::failed_tests));
    BOOST_TEST(contains(message, "block_size_x=32: output \"c\": 3 of 6 wrong"), message);

    std::tie(kind, message) =
        kind_and_message({failed(8, ErrorKind::compile_error, "error"),
                          failed(16, ErrorKind::timeout, "killed after 10 s")});
    BOOST_TEST((kind == ErrorKind::timeout));
    BOOST_TEST(contains(message, "block_size_x=16: killed after 10 s"), message);

    std::tie(kind, message) =
        kind_and_message({failed(8, ErrorKind::compile_error, "error"),
                          failed(16, ErrorKind::runtime_error, "bad launch")});
    BOOST_TEST((kind == ErrorKind::runtime_error));
    BOOST_TEST(contains(message, "block_size_x=16: bad launch"), message);

    std::tie(kind, message) = kind_and_message({});
    BOOST_TEST((kind == ErrorKind::invalid_argument));
    BOOST_TEST(contains(message, "max_configs"), message);
}

BOOST_AUTO_TEST_CASE(the_store_gives_content_ids_and_the_same_id_for_the_same_spec) {
    TestStore store;
    const auto dir = std::filesystem::current_path();
    const auto ids = store.add(json::parse("[" + spec_text(100) + "," + spec_text(200) + "]"), dir);
    BOOST_REQUIRE(ids.size() == 2u);
    BOOST_TEST(ids[0] != ids[1]);
    BOOST_TEST(ids[0].size() == 18u);
    BOOST_TEST(ids[0].starts_with("t-"));
    BOOST_TEST(store.add(json::parse("[" + spec_text(200) + "]"), dir) ==
               std::vector<std::string>{ids[1]});
    BOOST_TEST(store.ids() == ids);
    const auto test = store.find(ids[1]);
    BOOST_REQUIRE(test);
    BOOST_TEST(test->spec.variables.at(0).second == 200);
    BOOST_TEST(test->data_dir == dir);
    BOOST_TEST(!store.find("t-0000000000000000"));
}

BOOST_AUTO_TEST_CASE(a_bad_spec_is_refused_at_its_pointer_and_nothing_is_stored) {
    TestStore store;
    const auto dir = std::filesystem::current_path();
    auto bad = spec_text(100);
    bad.replace(bad.find("float32"), 7, "float17");
    const auto [kind, message] =
        error_of([&] { store.add(json::parse("[" + spec_text(100) + "," + bad + "]"), dir); });
    BOOST_TEST((kind == ErrorKind::invalid_test));
    BOOST_TEST(message.starts_with("/1/args/0/type: unknown type \"float17\""), message);
    BOOST_TEST(store.ids().empty());

    // It parses, but its expressions do not come out as sizes.
    auto unresolved = spec_text(100);
    unresolved.replace(unresolved.find(R"("shape": ["n"])"), 14, R"("shape": ["n/3"])");
    const auto [resolve_kind, why] =
        error_of([&] { store.add(json::parse("[" + unresolved + "]"), dir); });
    BOOST_TEST((resolve_kind == ErrorKind::invalid_test));
    BOOST_TEST(why.starts_with("/0/args/0/shape/0: "), why);
    BOOST_TEST(contains(why, "not a whole number"), why);

    for (const char* not_a_list : {"{}", "[]", "\"spec\""}) {
        const auto [what, text] = error_of([&] { store.add(json::parse(not_a_list), dir); });
        BOOST_TEST((what == ErrorKind::invalid_argument), not_a_list);
        BOOST_TEST(contains(text, "non-empty JSON array of test specs"), text);
    }
}

BOOST_AUTO_TEST_CASE(npy_files_are_found_from_the_registering_folder_and_must_exist) {
    TempDir dir;
    HostBuffer values(DType::float32, {100});
    write_npy(dir.path / "b.npy", values);
    TestStore store;
    const auto spec = "[" + spec_text(100, R"({"npy": "b.npy"})") + "]";
    const auto ids = store.add(json::parse(spec), dir.path);
    BOOST_TEST(store.find(ids[0])->data_dir == dir.path);
    // The same spec read from another folder reads other data, so it is another test.
    TempDir other;
    write_npy(other.path / "b.npy", values);
    BOOST_TEST(store.add(json::parse(spec), other.path) != ids);

    TempDir empty;
    const auto [kind, message] = error_of([&] { store.add(json::parse(spec), empty.path); });
    BOOST_TEST((kind == ErrorKind::invalid_test));
    BOOST_TEST(message.starts_with("/0/args/1/values/npy: the file '"), message);
    BOOST_TEST(contains(message, "relative to the working directory"), message);
}

BOOST_AUTO_TEST_CASE(registrations_and_lookups_from_many_threads_see_whole_tests) {
    TestStore store;
    const auto dir = std::filesystem::current_path();
    std::atomic<int> missing{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 20; ++i) {
                const auto ids =
                    store.add(json::parse("[" + spec_text(1 + t * 100 + i) + "]"), dir);
                if (!store.find(ids.front()))
                    ++missing;
            }
        });
    for (auto& thread : threads)
        thread.join();
    BOOST_TEST(missing.load() == 0);
    BOOST_TEST(store.ids().size() == 160u);
}

BOOST_AUTO_TEST_SUITE_END()
