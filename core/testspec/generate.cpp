#include "core/testspec/generate.hpp"

#include "core/testspec/json_reader.hpp"
#include "core/testspec/npy.hpp"
#include "core/testspec/rng.hpp"

#include <cmath>
#include <cstdio>
#include <numbers>
#include <type_traits>

namespace kerntune {
namespace {

using spec_json::child;

template <class> constexpr bool always_false = false;

template <class T> void fill(std::span<T> out, const ValueSource& source, Rng& rng) {
    std::visit(
        [&](const auto& values) {
            using V = std::decay_t<decltype(values)>;
            if constexpr (std::is_same_v<V, UniformValues>) {
                for (auto& x : out) {
                    x = static_cast<T>(values.min + (values.max - values.min) * rng.unit());
                }
            } else if constexpr (std::is_same_v<V, NormalValues>) {
                // Box-Muller; 1 - unit() is in (0, 1], so the logarithm is finite.
                for (auto& x : out) {
                    const double radius = std::sqrt(-2.0 * std::log(1.0 - rng.unit()));
                    const double angle = 2.0 * std::numbers::pi * rng.unit();
                    x = static_cast<T>(values.mean + values.stddev * radius * std::cos(angle));
                }
            } else if constexpr (std::is_same_v<V, IntegerValues>) {
                const auto span = static_cast<std::uint64_t>(values.max) -
                                  static_cast<std::uint64_t>(values.min) + 1;
                for (auto& x : out) {
                    x = static_cast<T>(static_cast<std::int64_t>(
                        static_cast<std::uint64_t>(values.min) + rng.below(span)));
                }
            } else if constexpr (std::is_same_v<V, IotaValues>) {
                for (std::size_t i = 0; i < out.size(); ++i) {
                    out[i] = static_cast<T>(values.start + values.step * static_cast<double>(i));
                }
            } else if constexpr (std::is_same_v<V, ConstantValues>) {
                for (auto& x : out) {
                    x = static_cast<T>(values.value);
                }
            } else if constexpr (std::is_same_v<V, NpyValues>) {
                static_assert(!always_false<V>, "npy sources are read, not generated");
            }
        },
        source);
}

HostBuffer npy_input(const ArgumentSpec& arg, const ResolvedArgument& resolved,
                     const std::filesystem::path& path, const std::string& pointer) {
    HostBuffer buffer;
    try {
        buffer = read_npy(path);
    } catch (const KindedError& e) {
        throw TestSpecError(pointer, e.what());
    }
    if (buffer.dtype() != arg.type || buffer.shape() != resolved.shape) {
        throw TestSpecError(pointer, path.filename().string() + " holds " +
                                         std::string(name(buffer.dtype())) + " values of shape " +
                                         shape_text(buffer.shape()) + ", but \"" + arg.name +
                                         "\" is declared " + std::string(name(arg.type)) +
                                         " of shape " + shape_text(resolved.shape));
    }
    return buffer;
}

void check_cap(const TestSpec& spec, const ResolvedSpec& resolved, std::uint64_t max_bytes) {
    if (resolved.total_bytes <= max_bytes) {
        return;
    }
    std::size_t largest = 0;
    for (std::size_t i = 1; i < resolved.args.size(); ++i) {
        largest = resolved.args[i].bytes > resolved.args[largest].bytes ? i : largest;
    }
    const auto& arg = resolved.args[largest];
    throw TestSpecError(
        child(child("/args", largest), spec.args[largest].kind.index() == 0 ? "shape" : "value"),
        "the arguments need " + byte_text(resolved.total_bytes) + ", over the limit of " +
            byte_text(max_bytes) + "; the largest is \"" + arg.name + "\", " +
            std::string(name(arg.type)) + " of shape " + shape_text(arg.shape) + " (" +
            byte_text(arg.bytes) + "). Make the variables that size it smaller");
}

} // namespace

std::vector<HostBuffer> generate_arguments(const TestSpec& spec, const ResolvedSpec& resolved,
                                           const std::filesystem::path& spec_dir,
                                           std::uint64_t max_bytes) {
    check_cap(spec, resolved, max_bytes);
    std::vector<HostBuffer> buffers;
    for (std::size_t i = 0; i < spec.args.size(); ++i) {
        const auto& arg = spec.args[i];
        const auto& shape = resolved.args[i];
        const auto pointer = child("/args", i);
        if (shape.scalar) {
            HostBuffer buffer(arg.type, {});
            visit_dtype(arg.type, [&]<class T>(DTypeTag<T>) {
                buffer.as<T>()[0] = static_cast<T>(shape.value);
            });
            buffers.push_back(std::move(buffer));
            continue;
        }
        const auto& array = std::get<ArrayArgument>(arg.kind);
        if (const auto* npy = std::get_if<NpyValues>(&array.values)) {
            buffers.push_back(npy_input(arg, shape, spec_dir / npy->path,
                                        child(child(pointer, "values"), "npy")));
            continue;
        }
        HostBuffer buffer(arg.type, shape.shape);
        Rng rng(array.seed ? *array.seed : stream_seed(spec.seed, arg.name));
        visit_dtype(arg.type,
                    [&]<class T>(DTypeTag<T>) { fill(buffer.as<T>(), array.values, rng); });
        buffers.push_back(std::move(buffer));
    }
    return buffers;
}

std::map<std::string, HostBuffer> load_npy_references(const TestSpec& spec,
                                                      const ResolvedSpec& resolved,
                                                      const std::filesystem::path& spec_dir) {
    std::map<std::string, HostBuffer> references;
    for (std::size_t o = 0; o < spec.outputs.size(); ++o) {
        const auto& output = spec.outputs[o];
        const auto* npy = std::get_if<NpyValues>(&output.reference);
        if (!npy) {
            continue;
        }
        const auto pointer = child(child(child("/outputs", o), "reference"), "npy");
        const auto path = spec_dir / npy->path;
        HostBuffer buffer;
        try {
            buffer = read_npy(path);
        } catch (const KindedError& e) {
            throw TestSpecError(pointer, e.what());
        }
        for (const auto& arg : resolved.args) {
            if (arg.name == output.name && buffer.shape() != arg.shape) {
                throw TestSpecError(pointer, path.filename().string() + " has shape " +
                                                 shape_text(buffer.shape()) + ", but output \"" +
                                                 arg.name + "\" has shape " +
                                                 shape_text(arg.shape));
            }
        }
        references.emplace(output.name, std::move(buffer));
    }
    return references;
}

std::string byte_text(std::uint64_t bytes) {
    static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024 && unit + 1 < std::size(units)) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit ? "%.1f %s" : "%.0f %s", value, units[unit]);
    return text;
}

} // namespace kerntune
