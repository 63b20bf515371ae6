// The compile pool on the OpenCL device (PoCL in CI): kerntune-worker processes in compile mode.
#include "core/runner/compile_pool.hpp"

#include "core/backend/opencl_backend.hpp"

#include "tests/support/kinded_error_of.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>

namespace kerntune {
namespace {

using namespace std::chrono_literals;

// out[0] = VALUE; the odd variants name an undeclared identifier that carries their value.
const std::string source = R"(
#define PASTE(a, b) a##b
#define UNDECLARED(v) PASTE(undeclared_, v)
__kernel void value(__global int* out) {
#if VALUE % 2
    UNDECLARED(VALUE) = 1;
#endif
    out[0] = VALUE;
}
)";

CompileRequest variant(int value, std::vector<std::string> options = {}) {
    return CompileRequest{source, "value", {{"VALUE", std::to_string(value)}}, std::move(options)};
}

struct Fixture {
    OpenClBackend backend{""};

    CompilePoolOptions options(unsigned processes) {
        CompilePoolOptions pool;
        pool.command.executable = worker::default_worker_executable();
        pool.command.arguments = {"compile", "--backend", "opencl", "--target",
                                  backend.device().compile_target};
        pool.processes = processes;
        pool.compiler = "opencl | " + backend.device().key;
        return pool;
    }

    // What the binary computes, run on the device.
    int run(const KernelBinary& binary) {
        auto kernel = backend.load(binary);
        ResolvedArgument out;
        out.name = "out";
        out.type = DType::int32;
        out.shape = {1};
        backend.set_arguments({out}, {HostBuffer(DType::int32, {1})});
        return backend.run_checked(*kernel, LaunchShape{}, {0})[0].as<std::int32_t>()[0];
    }
};

using testing::error_of;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

bool ready(std::future<CompiledVariant>& future) {
    return future.wait_for(0s) == std::future_status::ready;
}

} // namespace

BOOST_AUTO_TEST_SUITE(compile_pool)

BOOST_FIXTURE_TEST_CASE(each_result_belongs_to_its_request_whichever_process_built_it, Fixture) {
    CompilePool pool(options(2));
    std::vector<std::future<CompiledVariant>> futures;
    for (int value = 0; value < 8; ++value)
        futures.push_back(pool.submit(variant(value)));
    for (int value = 0; value < 8; ++value) {
        auto& future = futures[static_cast<std::size_t>(value)];
        if (value % 2) {
            const std::string what = error_of([&] { future.get(); }, ErrorKind::compile_error);
            BOOST_TEST(contains(what, "for VALUE=" + std::to_string(value)));
            BOOST_TEST(contains(what, "undeclared_" + std::to_string(value)));
        } else {
            const CompiledVariant compiled = future.get();
            BOOST_TEST(!compiled.from_cache);
            BOOST_TEST(compiled.binary.compile_ms > 0);
            BOOST_TEST(run(compiled.binary) == value);
        }
    }
}

BOOST_FIXTURE_TEST_CASE(one_process_finishes_the_jobs_in_the_order_submitted, Fixture) {
    CompilePool pool(options(1));
    std::vector<std::future<CompiledVariant>> futures;
    for (int value = 0; value < 6; value += 2)
        futures.push_back(pool.submit(variant(value)));
    for (std::size_t k = 0; k < futures.size(); ++k) {
        futures[k].wait();
        for (std::size_t j = 0; j < k; ++j)
            BOOST_TEST(ready(futures[j]));
    }
}

BOOST_FIXTURE_TEST_CASE(the_binary_cache_answers_a_repeat_at_once_without_compiling, Fixture) {
    const test::TempDir dir;
    {
        auto first = options(1);
        first.cache.emplace(dir.path);
        CompilePool pool(std::move(first));
        BOOST_TEST(!pool.submit(variant(2)).get().from_cache);
        BOOST_TEST(!pool.submit(variant(4)).get().from_cache);
    }
    auto second = options(1);
    second.cache.emplace(dir.path);
    CompilePool pool(std::move(second));
    auto two = pool.submit(variant(2));
    BOOST_TEST(ready(two)); // from the file, before any process could have compiled it
    const CompiledVariant cached = two.get();
    BOOST_TEST(cached.from_cache);
    BOOST_TEST(run(cached.binary) == 2);
    BOOST_TEST(pool.submit(variant(4)).get().from_cache);
    BOOST_TEST(!pool.submit(variant(4, {"-cl-fast-relaxed-math"})).get().from_cache);
    BOOST_TEST(!pool.submit(variant(6)).get().from_cache);
}

BOOST_FIXTURE_TEST_CASE(dropped_jobs_are_cancelled_and_the_pool_goes_on, Fixture) {
    CompilePool pool(options(1));
    std::vector<std::future<CompiledVariant>> futures;
    for (int value = 0; value < 10; value += 2)
        futures.push_back(pool.submit(variant(value)));
    pool.drop_queued();
    error_of([&] { futures.back().get(); }, ErrorKind::cancelled);
    BOOST_TEST(run(pool.submit(variant(12)).get().binary) == 12);
}

BOOST_FIXTURE_TEST_CASE(a_kernel_name_the_source_lacks_is_an_invalid_argument, Fixture) {
    CompilePool pool(options(1));
    auto request = variant(2);
    request.kernel_name = "missing";
    BOOST_TEST(contains(error_of([&] { pool.submit(request).get(); }, ErrorKind::invalid_argument),
                        "it defines: value"));
}

BOOST_FIXTURE_TEST_CASE(a_compiler_that_cannot_start_fails_each_job_with_its_reason, Fixture) {
    auto broken = options(1);
    broken.command.arguments.back() = "99:0";
    CompilePool pool(std::move(broken));
    for (int i = 0; i < 2; ++i)
        BOOST_TEST(
            contains(error_of([&] { pool.submit(variant(2)).get(); }, ErrorKind::invalid_argument),
                     "platform 99"));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune
