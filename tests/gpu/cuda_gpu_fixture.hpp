#pragma once
// What the CUDA device suites share: an opened backend with a compiler for its architecture, and
// arguments built in place of a test spec.
#include "core/backend/cuda_backend.hpp"
#include "tests/support/kinded_error_of.hpp"

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kerntune {

// Kernel arguments as a resolved spec and its generated data would give them.
struct Arguments {
    std::vector<ResolvedArgument> resolved;
    std::vector<HostBuffer> values;

    template <class T> void array(const std::string& name, const std::vector<T>& data) {
        HostBuffer buffer(dtype_of<T>(), {static_cast<std::int64_t>(data.size())});
        std::memcpy(buffer.data(), data.data(), buffer.size_bytes());
        add(name, false, std::move(buffer));
    }
    template <class T> void scalar(const std::string& name, T value) {
        HostBuffer buffer(dtype_of<T>(), {});
        buffer.as<T>()[0] = value;
        add(name, true, std::move(buffer));
    }

private:
    void add(const std::string& name, bool scalar, HostBuffer buffer) {
        ResolvedArgument argument;
        argument.name = name;
        argument.type = buffer.dtype();
        argument.scalar = scalar;
        if (!scalar)
            argument.shape = buffer.shape();
        argument.elements = buffer.elements();
        argument.bytes = buffer.size_bytes();
        argument.value = scalar ? buffer.value_at(0) : 0;
        resolved.push_back(std::move(argument));
        values.push_back(std::move(buffer));
    }
};

// start, start + 1, ...: values that differ, so that a misplaced element shows.
template <class T> std::vector<T> iota(std::size_t count, T start) {
    std::vector<T> values(count);
    for (std::size_t i = 0; i < count; ++i)
        values[i] = start + static_cast<T>(i);
    return values;
}

struct CudaFixture {
    std::unique_ptr<Backend> backend = open_cuda_backend("");
    std::unique_ptr<Compiler> compiler = make_cuda_compiler(backend->device().compile_target);

    std::unique_ptr<LoadedKernel>
    load(const std::string& source, const std::string& kernel,
         std::vector<std::pair<std::string, std::string>> defines = {}) {
        return backend->load(compiler->compile({source, kernel, std::move(defines), {}}));
    }
};

using testing::error_of;

// Runs `f`, which must throw RunError with `cause`; returns its message.
template <class F> std::string run_error_of(F f, RunError::Cause cause) {
    try {
        f();
    } catch (const RunError& e) {
        BOOST_TEST((e.cause() == cause),
                   "the cause is " << static_cast<int>(e.cause()) << ": " << e.what());
        return e.what();
    }
    BOOST_FAIL("expected a RunError");
    return {};
}

} // namespace kerntune
