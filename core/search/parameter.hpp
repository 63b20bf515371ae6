#pragma once
// A tuning parameter: a name and the values it may take, in the order given. Values are
// numbers (whole or not); they become `#define NAME VALUE` in the kernel source.

#include <boost/json/value.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kerntune {

struct TuneParameter {
    std::string name;
    std::vector<double> values;
};

// Parses the CLI form "NAME=V1,V2,..." ("block_size_x=32,64,128"). Throws
// KindedError(invalid_argument) naming the part that is wrong.
TuneParameter parse_param_option(std::string_view option);

// A value as source text and cache keys write it: "128", "0.5", "-3".
std::string value_text(double value);

// A value as JSON: whole values as integers (128, not 128.0), so that readers that type their
// numbers (Python's json, nlohmann::json) get ints for them.
boost::json::value value_json(double value);

// One configuration: values in parameter order, with lookup by name.
class ConfigView {
public:
    ConfigView(const std::vector<TuneParameter>& parameters, std::span<const double> values)
        : parameters_(&parameters), values_(values) {}

    std::span<const double> values() const noexcept { return values_; }
    const std::vector<TuneParameter>& parameters() const noexcept { return *parameters_; }
    // The value of parameter `name`, or `fallback` when there is no such parameter.
    double get(std::string_view name, double fallback) const;
    bool has(std::string_view name) const;
    // "block_size_x=128, tile=2"
    std::string text() const;

private:
    const std::vector<TuneParameter>* parameters_;
    std::span<const double> values_;
};

} // namespace kerntune
