#pragma once
// Compiler processes (kerntune-worker in compile mode) that build variants ahead of the device.
// NVRTC does not get faster with threads in one process but does across processes (DESIGN.md,
// "Throughput"), so each process compiles one variant at a time and the pool runs several.
// Jobs start in the order submitted, so the variant the device needs next is built first.
#include "core/backend/backend.hpp"
#include "core/runner/binary_cache.hpp"
#include "core/worker/worker_process.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kerntune {

struct CompiledVariant {
    KernelBinary binary;
    bool from_cache = false; // loaded from the binary cache, not compiled
};

struct CompilePoolOptions {
    worker::WorkerCommand command; // a compile-mode command line
    unsigned processes = 1;
    // How long one compile may take before its process is killed and replaced.
    std::chrono::milliseconds compile_timeout{120000};
    // The compiler's identity for binary cache keys (BinaryCache::key).
    std::string compiler;
    std::optional<BinaryCache> cache;
};

class CompilePool {
public:
    // Starts the processes; they open their compilers while the caller goes on.
    explicit CompilePool(CompilePoolOptions options);
    CompilePool(const CompilePool&) = delete;
    CompilePool& operator=(const CompilePool&) = delete;
    // Stops the compiles under way and ends the processes.
    ~CompilePool();

    // The variant, when it is ready: from the binary cache at once, else compiled. The future
    // throws KindedError(compile_error) with the compiler's log, the compiler's other errors
    // (invalid_argument for a kernel name the source does not define, unavailable when the
    // compiler cannot start), and KindedError(cancelled) for a job that drop_queued() removed.
    std::future<CompiledVariant> submit(CompileRequest request);
    // Removes the jobs that no process has started.
    void drop_queued();

    unsigned processes() const noexcept { return options_.processes; }

private:
    struct Job {
        CompileRequest request;
        std::string key;
        std::promise<CompiledVariant> promise;
    };
    void serve();
    // Spawns a compile-mode worker and waits for its hello; throws what it says instead.
    void start(std::unique_ptr<worker::WorkerProcess>& process);
    KernelBinary compile(std::unique_ptr<worker::WorkerProcess>& process, const Job& job);

    CompilePoolOptions options_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    int cancel_pipe_[2] = {-1, -1}; // readable once stopping: ends compiles under way
    std::vector<std::thread> threads_;
};

} // namespace kerntune
