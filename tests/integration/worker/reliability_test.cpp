// Whatever a kernel or a spec does, the runner stays up: each case ends in a classified error
// that says what went wrong, and the configurations after a failing one are measured correctly
// in the same run. Built twice from this file: for OpenCL with the .cl fixtures (label opencl,
// PoCL in CI) and for CUDA with the .cu fixtures (label gpu, skipped without a device).
#include "core/runner/test_runner.hpp"

#include "core/testspec/npy.hpp"
#include "core/testspec/parse_spec.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace kerntune {
namespace {

using namespace std::chrono_literals;

const std::filesystem::path kernel_dir = KT_TEST_KERNEL_DIR;
constexpr std::string_view backend = KT_TEST_BACKEND;
const bool cuda = backend == "cuda";

std::string kernel_text(const std::string& stem) {
    std::ifstream in(kernel_dir / (stem + (cuda ? ".cu" : ".cl")), std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "no fixture kernel " << stem);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// One runner for the suite, with a short watchdog: every case also shows that the runner is
// sound after the one before it.
TestRunner& runner() {
    static TestRunner shared([] {
        RunnerOptions options;
        options.backend = std::string(backend);
        options.compile_processes = 1;
        options.launch_timeout = 2s;
        return options;
    }());
    return shared;
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("kerntune-reliability-" + std::to_string(::getpid()) + "-" +
                std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

struct Fixture {
    TestSpec spec = load_test_spec(kernel_dir / "scaled_add.json");
    TuneOptions options;

    Fixture() {
        options.kernel_name = "scaled_add";
        options.kernel_source = kernel_text("scaled_add");
        options.parameters = {{"block_size_x", {2, 8, 16}}};
        options.iterations = 3;
    }

    // Tunes `stem` with configurations in the order given: the first (the reference's) and
    // every one after `bad` must pass, and `bad` must fail as `kind` with each of `parts` in
    // its message. Returns the report.
    TuneReport fails_alone(const std::string& stem, std::size_t bad, const std::string& kind,
                           const std::vector<std::string>& parts) {
        options.kernel_source = kernel_text(stem);
        options.reference_source = kernel_text("scaled_add");
        const TuneReport report = runner().tune(spec, kernel_dir, options, nullptr);
        BOOST_REQUIRE(report.results.size() > bad + 1);
        for (std::size_t i = 0; i < report.results.size(); ++i) {
            const TuneResult& result = report.results[i].result;
            if (i != bad) {
                BOOST_TEST_INFO("configuration "
                                << i << ": "
                                << (result.failure ? result.failure->message : std::string("ok")));
                BOOST_TEST(!result.failure.has_value());
                BOOST_TEST(result.times_ms.size() == 3u);
                continue;
            }
            BOOST_REQUIRE(result.failure.has_value());
            BOOST_TEST_INFO(result.failure->message);
            BOOST_TEST(result.failure->kind == kind);
            for (const auto& part : parts)
                BOOST_TEST(contains(result.failure->message, part), "missing: " << part);
        }
        return report;
    }

    // The spec from `text` must stop tune() with a TestSpecError whose message has `part`.
    void spec_is_refused(const std::string& text, const std::filesystem::path& dir,
                         const std::string& part) {
        try {
            runner().tune(parse_test_spec_text(text), dir, options, nullptr);
            BOOST_FAIL("expected the spec to be refused");
        } catch (const KindedError& e) {
            BOOST_TEST_INFO(e.what());
            BOOST_TEST(name(e.kind()) == name(ErrorKind::invalid_test));
            BOOST_TEST(contains(e.what(), part), e.what());
        }
    }

    std::string spec_text() const {
        std::ifstream in(kernel_dir / "scaled_add.json", std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
};

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    BOOST_REQUIRE_MESSAGE(at != std::string::npos, "the spec lacks " << from);
    return text.replace(at, from.size(), to);
}

} // namespace

BOOST_AUTO_TEST_SUITE(reliability)

BOOST_FIXTURE_TEST_CASE(a_kernel_that_never_ends_is_a_timeout_and_the_next_is_measured, Fixture) {
    options.parameters = {{"block_size_x", {2, 4, 8}}};
    const TuneReport report = fails_alone(
        "hang", 1, "timeout",
        {"did not finish within 2 s", "the watchdog killed it", "raise the limit", "--timeout"});
    BOOST_TEST(report.statistics.worker_restarts == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_wild_write_loses_the_worker_and_the_next_is_measured, Fixture) {
    options.parameters = {{"block_size_x", {2, 4, 8}}};
    const TuneReport report = fails_alone(
        "wild_write", 1, "runtime",
        cuda ? std::vector<std::string>{"context is lost", "a fresh one took over"}
             : std::vector<std::string>{"crashed the worker", "killed by signal SIGSEGV",
                                        "a fresh worker took over"});
    BOOST_TEST(report.statistics.worker_restarts == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_variant_that_does_not_compile_fails_with_the_log_alone, Fixture) {
    fails_alone("compile_error", 1, "compile", {"undeclared_identifier_for_block_8"});
}

BOOST_FIXTURE_TEST_CASE(a_configuration_over_the_kernels_limits_is_a_resources_failure, Fixture) {
    if (cuda) {
        options.parameters = {{"block_size_x", {32, 128, 64}}};
        fails_alone("launch_bounds", 1, "resources", {"__launch_bounds__"});
    } else {
        options.parameters = {{"block_size_x", {8}}, {"local_floats", {8, double(1 << 24), 16}}};
        fails_alone("local_hog", 1, "resources", {"local memory"});
    }
}

BOOST_FIXTURE_TEST_CASE(buffers_larger_than_the_device_are_refused_before_anything_is_allocated,
                        Fixture) {
    // 4 TB for output c: more than any device has.
    spec_is_refused(replaced(spec_text(), R"("shape": ["n"])", R"("shape": ["n", "n", "n", "n"])"),
                    kernel_dir, "over the limit of");
}

BOOST_FIXTURE_TEST_CASE(malformed_specs_are_invalid_tests_at_the_spot_that_is_wrong, Fixture) {
    const TempDir dir;
    // A type that does not exist: refused while parsing, at its JSON pointer.
    try {
        parse_test_spec_text(replaced(spec_text(), R"("type": "float32")", R"("type": "float33")"));
        BOOST_FAIL("expected the spec to be refused");
    } catch (const KindedError& e) {
        BOOST_TEST(name(e.kind()) == name(ErrorKind::invalid_test));
        BOOST_TEST(contains(e.what(), "/args/0/type"));
    }
    // A shape that does not fit: a reference of 999 elements for an output of 1000.
    write_npy(dir.path / "c.npy", HostBuffer(DType::float32, {999}));
    spec_is_refused(replaced(spec_text(), R"({"from": "reference_kernel"})", R"({"npy": "c.npy"})"),
                    dir.path, "has shape (999,), but output \"c\" has shape (1000,)");
    // A .npy file that is not there.
    spec_is_refused(
        replaced(spec_text(), R"({"uniform": {"min": -1, "max": 1}})", R"({"npy": "missing.npy"})"),
        dir.path, "missing.npy");
}

BOOST_FIXTURE_TEST_CASE(arguments_of_the_wrong_type_fail_the_reference_with_the_reason, Fixture) {
    try {
        runner().tune(
            parse_test_spec_text(replaced(spec_text(), R"("name": "alpha", "type": "float32")",
                                          R"("name": "alpha", "type": "float64")")),
            kernel_dir, options, nullptr);
        BOOST_FAIL("expected the run to stop");
    } catch (const KindedError& e) {
        BOOST_TEST_INFO(e.what());
        BOOST_TEST(name(e.kind()) == name(ErrorKind::invalid_test));
        BOOST_TEST(contains(e.what(), "the reference kernel"));
        BOOST_TEST(contains(e.what(), cuda ? "argument 'alpha'" : "match the kernel's parameters"));
    }
}

BOOST_FIXTURE_TEST_CASE(after_every_failure_the_same_runner_tunes_correctly, Fixture) {
    const TuneReport report = runner().tune(spec, kernel_dir, options, nullptr);
    BOOST_TEST(report.results.size() == 3u);
    BOOST_TEST(report.best().size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune
