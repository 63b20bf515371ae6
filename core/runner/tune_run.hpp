#pragma once
// One TestRunner::tune call: the pipeline between the search, the compile pool and the device
// worker. The strategy's proposals are answered from the result cache or sent to the pool at
// once, up to a depth that keeps every compiler busy, while the device checks and times them
// one at a time in the order proposed.
#include "core/cache/result_cache.hpp"
#include "core/runner/compile_pool.hpp"
#include "core/runner/device_test.hpp"
#include "core/runner/tuner.hpp"
#include "core/search/launch_geometry.hpp"
#include "core/search/search_space.hpp"
#include "core/testspec/resolve.hpp"
#include "core/worker/device_client.hpp"

#include <chrono>
#include <deque>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kerntune {

class TuneRun {
public:
    // Resolves the spec, generates the data and builds the space; throws what
    // TestRunner::tune documents.
    TuneRun(worker::DeviceClient& device, CompilePool& pool, const TestSpec& spec,
            const std::filesystem::path& spec_dir, const TuneOptions& options, ResultCache* cache,
            const TuneProgress& progress);

    TuneReport run();

private:
    struct Pending {
        std::size_t index = 0;
        ConfigResult entry;
        std::string key; // in the result cache
        bool cached = false;
        std::future<CompiledVariant> variant;
    };

    void propose(std::size_t depth);
    Pending pending(std::size_t index);
    void finish(Pending& item);
    TuneResult measure(Pending& item);
    void set_up_device();
    CompiledVariant wait_for(std::future<CompiledVariant>& variant);

    worker::DeviceClient& device_;
    CompilePool& pool_;
    const TestSpec& spec_;
    const TuneOptions& options_;
    ResultCache* cache_;
    const TuneProgress& progress_;
    std::chrono::steady_clock::time_point started_;

    DeviceTest test_;
    std::string fingerprint_;
    std::unique_ptr<SearchSpace> space_;
    std::unique_ptr<BudgetedStrategy> strategy_;
    std::unique_ptr<LaunchPlan> launch_;

    std::optional<std::future<CompiledVariant>> reference_variant_;
    bool have_references_ = false;
    bool prepared_ = false;

    TuneReport report_;
    std::size_t total_ = 0;
    std::deque<Pending> queue_;
};

} // namespace kerntune
