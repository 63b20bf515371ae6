#include "core/runner/compile_pool.hpp"

#include "core/worker/protocol.hpp"

#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace kerntune {

CompilePool::CompilePool(CompilePoolOptions options) : options_(std::move(options)) {
    options_.processes = std::max(options_.processes, 1u);
    if (::pipe2(cancel_pipe_, O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe2");
    for (unsigned i = 0; i < options_.processes; ++i)
        threads_.emplace_back([this] { serve(); });
}

CompilePool::~CompilePool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    const char stop = 1;
    [[maybe_unused]] const auto written = ::write(cancel_pipe_[1], &stop, 1);
    for (auto& thread : threads_)
        thread.join();
    ::close(cancel_pipe_[0]);
    ::close(cancel_pipe_[1]);
}

std::future<CompiledVariant> CompilePool::submit(CompileRequest request) {
    Job job;
    job.key = BinaryCache::key(request, options_.compiler);
    auto future = job.promise.get_future();
    if (options_.cache) {
        if (auto binary = options_.cache->find(job.key)) {
            job.promise.set_value(CompiledVariant{std::move(*binary), true});
            return future;
        }
    }
    job.request = std::move(request);
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return future;
}

void CompilePool::drop_queued() {
    std::deque<Job> dropped;
    {
        std::lock_guard lock(mutex_);
        dropped.swap(queue_);
    }
    for (auto& job : dropped)
        job.promise.set_exception(std::make_exception_ptr(KindedError(
            ErrorKind::cancelled, "the compile was dropped: its result is not needed")));
}

void CompilePool::start(std::unique_ptr<worker::WorkerProcess>& process) {
    auto started = std::make_unique<worker::WorkerProcess>(options_.command);
    started->set_cancel_fd(cancel_pipe_[0]);
    worker::expect(started->receive(options_.compile_timeout), "hello");
    process = std::move(started);
}

KernelBinary CompilePool::compile(std::unique_ptr<worker::WorkerProcess>& process, const Job& job) {
    if (!process)
        start(process);
    return worker::binary_from(worker::expect(
        process->request(worker::compile_frame(job.request), options_.compile_timeout),
        "compiled"));
}

// One per process: takes the oldest job, compiles it in its own kerntune-worker, and replaces
// that worker when it is lost.
void CompilePool::serve() {
    std::unique_ptr<worker::WorkerProcess> process;
    // Opening the compiler before any job waits keeps its start-up off the first job's time. A
    // failure is not lost: the first job starts the process again and gets the reason.
    try {
        start(process);
    } catch (const std::exception&) {
    }
    while (true) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_)
                break;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        try {
            KernelBinary binary = compile(process, job);
            if (options_.cache)
                options_.cache->store(job.key, binary);
            job.promise.set_value(CompiledVariant{std::move(binary), false});
        } catch (const worker::WorkerLost& e) {
            process.reset();
            job.promise.set_exception(std::make_exception_ptr(
                e.reason() == worker::WorkerLost::Reason::cancelled
                    ? KindedError(ErrorKind::cancelled, e.what())
                    : KindedError(ErrorKind::compile_error,
                                  std::string("the compiler process was lost while building "
                                              "this variant: ") +
                                      e.what())));
        } catch (...) {
            job.promise.set_exception(std::current_exception());
        }
    }
}

} // namespace kerntune
