// `kerntune cache list` and `kerntune cache export --kernel-tuner FILE`: what the result cache
// holds, and one kernel's results on one device as a Kernel Tuner cache file.
#include "host/cli/arguments.hpp"
#include "host/cli/commands.hpp"
#include "host/cli/exit_codes.hpp"
#include "host/cli/output_file.hpp"

#include "core/cache/kernel_tuner_export.hpp"
#include "core/cache/result_cache.hpp"
#include "core/errors/error_kind.hpp"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace kerntune::cli {
namespace {
namespace fs = std::filesystem;

constexpr const char* cache_usage =
    R"(usage: kerntune cache list [--cache FILE]
       kerntune cache export --kernel-tuner FILE [--cache FILE] [--kernel NAME] [--device TEXT]
                             [--problem-size N[,N...]] [--force]

list     prints each kernel, problem size and device the result cache has results for, with
         their number
export   writes the results of one kernel on one device at one problem size as a Kernel Tuner
         cache file (schema 1.1.0), which Kernel Tuner can resume from or replay in simulation
         mode

options:
  --cache FILE          the result cache (default: $XDG_CACHE_HOME/kerntune/results.sqlite)
  --kernel-tuner FILE   export: the file to write; an existing file is left alone unless --force
  --kernel NAME         export: the kernel, when the cache holds several
  --device TEXT         export: the device whose text contains TEXT, when the cache holds several
  --problem-size N,...  export: the problem size, when the kernel was tuned at several
  --force               export: replace FILE if it exists
)";

std::string size_text(const std::vector<std::int64_t>& size) {
    std::string text;
    for (const auto extent : size)
        text += (text.empty() ? "" : ",") + std::to_string(extent);
    return text.empty() ? "-" : text;
}

// The cache at --cache or the default path. It must exist: opening would create an empty one.
ResultCache open_existing(const std::optional<std::string>& flag) {
    fs::path path;
    try {
        path = flag ? fs::path(*flag) : default_result_cache_path();
    } catch (const KindedError& e) {
        throw UsageError(e.what());
    }
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw UsageError("there is no result cache at '" + path.string() +
                         "'; `kerntune autotune` writes one there, or give the file with "
                         "--cache FILE");
    try {
        return ResultCache(path);
    } catch (const KindedError& e) {
        throw UsageError(std::string(e.what()) + "; is '" + path.string() +
                         "' a kerntune result cache?");
    }
}

int list(const std::optional<std::string>& cache_flag) {
    const ResultCache cache = open_existing(cache_flag);
    const auto kernels = cache.kernels();
    std::cout << "result cache: " << cache.path().string() << '\n';
    if (kernels.empty()) {
        std::cout << "(no results yet)\n";
        return exit_ok;
    }
    std::size_t kernel_width = 6;
    std::size_t size_width = 12;
    for (const auto& kernel : kernels) {
        kernel_width = std::max(kernel_width, kernel.kernel_name.size());
        size_width = std::max(size_width, size_text(kernel.problem_size).size());
    }
    std::cout << '\n'
              << std::left << std::setw(static_cast<int>(kernel_width + 2)) << "kernel"
              << std::setw(static_cast<int>(size_width + 2)) << "problem size" << std::setw(9)
              << "results"
              << "device\n";
    for (const auto& kernel : kernels)
        std::cout << std::setw(static_cast<int>(kernel_width + 2)) << kernel.kernel_name
                  << std::setw(static_cast<int>(size_width + 2)) << size_text(kernel.problem_size)
                  << std::setw(9) << kernel.entries << kernel.device << '\n';
    return exit_ok;
}

std::vector<std::int64_t> parse_problem_size(const std::string& text) {
    std::vector<std::int64_t> size;
    std::istringstream items(text);
    std::string item;
    while (std::getline(items, item, ','))
        size.push_back(number<std::int64_t>("--problem-size", item));
    if (size.empty())
        throw UsageError("--problem-size wants whole numbers separated by commas, such as 1024 "
                         "or 512,512");
    return size;
}

using Field = std::string (*)(const CachedKernel&);

std::string kernel_of(const CachedKernel& g) {
    return g.kernel_name;
}
std::string device_of(const CachedKernel& g) {
    return g.device;
}
std::string size_of(const CachedKernel& g) {
    return size_text(g.problem_size);
}

// One line per value of `field` among `groups`, with its number of results.
std::string choices(const std::vector<CachedKernel>& groups, Field field) {
    std::map<std::string, std::size_t> counts;
    for (const auto& group : groups)
        counts[field(group)] += group.entries;
    std::string text;
    for (const auto& [value, count] : counts)
        text +=
            "\n  " + value + " (" + std::to_string(count) + (count == 1 ? " result)" : " results)");
    return text;
}

// The one kernel, device and problem size the flags leave, or a usage error that lists the
// choices and names the flag that picks one.
CachedKernel choose(std::vector<CachedKernel> groups, const std::optional<std::string>& kernel,
                    const std::optional<std::string>& device,
                    const std::optional<std::vector<std::int64_t>>& problem_size,
                    const fs::path& cache_path) {
    if (groups.empty())
        throw UsageError("the result cache '" + cache_path.string() +
                         "' holds no results yet; `kerntune autotune ... --cache " +
                         cache_path.string() + "` adds some");
    const auto narrow = [&](auto keep, Field field, const std::string& wanted,
                            const std::string& plural) {
        std::vector<CachedKernel> kept;
        for (const auto& group : groups)
            if (keep(group))
                kept.push_back(group);
        if (kept.empty())
            throw UsageError("the result cache has no results for " + wanted + "; the " + plural +
                             " it has results for are:" + choices(groups, field));
        groups = std::move(kept);
    };
    if (kernel)
        narrow([&](const CachedKernel& g) { return g.kernel_name == *kernel; }, kernel_of,
               "kernel \"" + *kernel + "\"", "kernels");
    if (device)
        narrow([&](const CachedKernel& g) { return g.device.find(*device) != std::string::npos; },
               device_of, "a device matching \"" + *device + "\"", "devices");
    if (problem_size)
        narrow([&](const CachedKernel& g) { return g.problem_size == *problem_size; }, size_of,
               "problem size " + size_text(*problem_size), "problem sizes");
    const auto one = [&](Field field, const std::string& plural, const std::string& flag) {
        std::set<std::string> values;
        for (const auto& group : groups)
            values.insert(field(group));
        if (values.size() > 1)
            throw UsageError("the result cache holds results for several " + plural + ":" +
                             choices(groups, field) + "\npick one with " + flag);
    };
    one(kernel_of, "kernels", "--kernel NAME");
    one(device_of, "devices", "--device TEXT (any part of the device's text)");
    one(size_of, "problem sizes", "--problem-size N[,N...]");
    return groups.front();
}

int export_results(const Args& args) {
    std::optional<std::string> cache_flag, output, kernel, device;
    std::optional<std::vector<std::int64_t>> problem_size;
    bool force = false;
    const auto value = [&](std::size_t& i) -> const std::string& {
        if (i + 1 >= args.size())
            throw UsageError(args[i] + " needs a value; see `kerntune cache --help`");
        return args[++i];
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--cache")
            cache_flag = value(i);
        else if (a == "--kernel-tuner")
            output = value(i);
        else if (a == "--kernel")
            kernel = value(i);
        else if (a == "--device")
            device = value(i);
        else if (a == "--problem-size")
            problem_size = parse_problem_size(value(i));
        else if (a == "--force")
            force = true;
        else
            throw UsageError("unknown option '" + a +
                             "' for cache export; see `kerntune cache "
                             "--help`");
    }
    if (!output)
        throw UsageError("name the file to write: kerntune cache export --kernel-tuner FILE "
                         "(the only export format)");
    std::error_code ec;
    if (!force && fs::exists(fs::symlink_status(*output, ec)))
        throw UsageError("'" + *output +
                         "' already exists; kerntune leaves it alone: choose another file, or "
                         "add --force to replace it");

    const ResultCache cache = open_existing(cache_flag);
    const CachedKernel chosen = choose(cache.kernels(), kernel, device, problem_size, cache.path());
    std::vector<CacheEntry> entries;
    for (auto& entry : cache.entries(chosen.kernel_name, chosen.device))
        if (entry.problem_size == chosen.problem_size)
            entries.push_back(std::move(entry));
    std::string text;
    try {
        text = kernel_tuner_cache_text(
            KernelTunerHeader{chosen.device, chosen.kernel_name, chosen.problem_size}, entries);
    } catch (const KindedError& e) {
        throw UsageError(std::string(e.what()) +
                         "; tune each parameter list with its own --cache file to export them");
    }
    write_output_file(*output, text, force);
    std::cout << "wrote " << entries.size() << " results of " << chosen.kernel_name
              << " (problem size " << size_text(chosen.problem_size) << ") on " << chosen.device
              << " to " << *output << '\n';
    return exit_ok;
}

} // namespace

int cache_command(const Args& args) {
    if (args.empty())
        throw UsageError("name what to do: kerntune cache list, or kerntune cache export "
                         "--kernel-tuner FILE; see `kerntune cache --help`");
    const std::string& what = args[0];
    const Args rest(args.begin() + 1, args.end());
    for (const auto& a : args)
        if (a == "--help" || a == "-h") {
            std::cout << cache_usage;
            return exit_ok;
        }
    if (what == "export")
        return export_results(rest);
    if (what != "list")
        throw UsageError("unknown cache command '" + what +
                         "'; it is list or export; see `kerntune cache --help`");
    std::optional<std::string> cache_flag;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] != "--cache")
            throw UsageError("unknown option '" + rest[i] +
                             "' for cache list; see `kerntune cache --help`");
        if (i + 1 >= rest.size())
            throw UsageError("--cache needs a file: --cache FILE");
        cache_flag = rest[++i];
    }
    return list(cache_flag);
}

} // namespace kerntune::cli
