#include "core/testspec/parse_spec.hpp"

#include "core/text/ascii.hpp"

#include "core/config/json_text.hpp"
#include "core/testspec/expression.hpp"
#include "core/testspec/json_reader.hpp"
#include "core/testspec/number_text.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>

namespace kerntune {
namespace {

using namespace spec_json;

std::string identifier(const boost::json::value& value, const std::string& pointer) {
    std::string name = string(value, pointer);
    if (!text::is_identifier(name)) {
        throw TestSpecError(pointer, "\"" + name +
                                         "\" is not a name (letters, digits and _, not "
                                         "starting with a digit)");
    }
    return name;
}

// Checks the expressions against the declared variables as they are read, so an unknown name
// is reported at the spot that uses it.
class SpecParser {
public:
    TestSpec parse(const boost::json::value& document) {
        const auto& root = object(document, "");
        check_keys(root, "", {"problem_size", "args", "outputs"},
                   {"version", "variables", "seed", "bytes", "flops"});
        if (root.contains("version") && integer(root.at("version"), "/version") != 1) {
            throw TestSpecError("/version", "this kerntune reads version 1 test specs");
        }
        if (root.contains("variables")) {
            read_variables(root.at("variables"));
        }
        if (root.contains("seed")) {
            const auto seed = integer(root.at("seed"), "/seed");
            if (seed < 0) {
                throw TestSpecError("/seed", "expected a non-negative whole number");
            }
            spec_.seed = static_cast<std::uint64_t>(seed);
        }
        spec_.problem_size = expressions(root.at("problem_size"), "/problem_size", 3);
        const auto& args = array(root.at("args"), "/args");
        if (args.empty()) {
            throw TestSpecError("/args", "a kernel needs at least one argument");
        }
        for (std::size_t i = 0; i < args.size(); ++i) {
            spec_.args.push_back(read_argument(args[i], child("/args", i)));
        }
        const auto& outputs = array(root.at("outputs"), "/outputs");
        if (outputs.empty()) {
            throw TestSpecError("/outputs", "name at least one output to check");
        }
        for (std::size_t i = 0; i < outputs.size(); ++i) {
            spec_.outputs.push_back(read_output(outputs[i], child("/outputs", i)));
        }
        for (const auto* key : {"bytes", "flops"}) {
            if (root.contains(key)) {
                auto& field = std::string_view(key) == "bytes" ? spec_.bytes : spec_.flops;
                field = expression(root.at(key), child("", key));
            }
        }
        return std::move(spec_);
    }

private:
    void read_variables(const boost::json::value& value) {
        for (const auto& [key, number_value] : object(value, "/variables")) {
            const auto pointer = child("/variables", key);
            if (!text::is_identifier(key)) {
                throw TestSpecError(pointer, "\"" + std::string(key) + "\" is not a name");
            }
            spec_.variables.emplace_back(std::string(key), number(number_value, pointer));
        }
        values_.resize(spec_.variables.size());
        for (std::size_t i = 0; i < spec_.variables.size(); ++i) {
            values_[i] = spec_.variables[i].second;
            bindings_.emplace(spec_.variables[i].first, &values_[i]);
        }
        try {
            Expression("0", bindings_);
        } catch (const ExpressionError& e) {
            throw TestSpecError("/variables", e.what());
        }
    }

    // An expression is a string, or a number as a shorthand for a constant.
    std::string expression(const boost::json::value& value, const std::string& pointer) {
        std::string text;
        if (value.is_number()) {
            text = number_text(value.to_number<double>());
        } else if (value.is_string()) {
            text = std::string(value.get_string());
        } else {
            fail_expected(pointer, "an expression (a string such as \"n*4\", or a number)", value);
        }
        try {
            Expression(text, bindings_);
        } catch (const ExpressionError& e) {
            throw TestSpecError(pointer, e.what());
        }
        return text;
    }

    std::vector<std::string> expressions(const boost::json::value& value,
                                         const std::string& pointer, std::size_t most) {
        const std::string expected =
            "an array of 1 to " + std::to_string(most) + " size expressions";
        if (!value.is_array()) {
            fail_expected(pointer, expected, value);
        }
        if (value.get_array().empty() || value.get_array().size() > most) {
            throw TestSpecError(pointer, "expected " + expected + ", got " +
                                             std::to_string(value.get_array().size()));
        }
        std::vector<std::string> texts;
        const auto& items = value.get_array();
        for (std::size_t i = 0; i < items.size(); ++i) {
            texts.push_back(expression(items[i], child(pointer, i)));
        }
        return texts;
    }

    ArgumentSpec read_argument(const boost::json::value& value, const std::string& pointer) {
        const auto& arg = object(value, pointer);
        ArgumentSpec spec;
        if (!arg.contains("name")) {
            throw TestSpecError(pointer, "missing the key \"name\"");
        }
        spec.name = identifier(arg.at("name"), child(pointer, "name"));
        for (const auto& other : spec_.args) {
            if (other.name == spec.name) {
                throw TestSpecError(child(pointer, "name"),
                                    "a second argument named \"" + spec.name + "\"");
            }
        }
        if (!arg.contains("type")) {
            throw TestSpecError(pointer, "missing the key \"type\"");
        }
        const auto type_text = string(arg.at("type"), child(pointer, "type"));
        const auto type = parse_dtype(type_text);
        if (!type) {
            throw TestSpecError(child(pointer, "type"), "unknown type \"" + type_text +
                                                            "\"; the types are " +
                                                            std::string(dtype_names()));
        }
        spec.type = *type;
        if (arg.contains("value")) {
            check_keys(arg, pointer, {"name", "type", "value"});
            spec.kind = ScalarArgument{expression(arg.at("value"), child(pointer, "value"))};
            return spec;
        }
        if (!arg.contains("shape")) {
            throw TestSpecError(pointer, "give \"shape\" and \"values\" for an array argument, "
                                         "or \"value\" for a scalar");
        }
        check_keys(arg, pointer, {"name", "type", "shape", "values"}, {"seed"});
        ArrayArgument array_arg;
        array_arg.shape = expressions(arg.at("shape"), child(pointer, "shape"), 8);
        array_arg.values = read_values(arg.at("values"), child(pointer, "values"), spec);
        if (arg.contains("seed")) {
            const auto seed = integer(arg.at("seed"), child(pointer, "seed"));
            if (seed < 0) {
                throw TestSpecError(child(pointer, "seed"), "expected a non-negative number");
            }
            array_arg.seed = static_cast<std::uint64_t>(seed);
        }
        spec.kind = std::move(array_arg);
        return spec;
    }

    // Exactly one key naming the source, e.g. {"uniform": {"min": 0, "max": 1}}.
    ValueSource read_values(const boost::json::value& value, const std::string& pointer,
                            const ArgumentSpec& arg) {
        const auto& source = object(value, pointer);
        if (source.size() != 1) {
            throw TestSpecError(pointer, "expected one key: uniform, normal, integers, iota, "
                                         "constant or npy; got " +
                                             std::to_string(source.size()));
        }
        const auto& [key, body] = *source.begin();
        const auto inner = child(pointer, key);
        const auto floating_only = [&](std::string_view what) {
            if (!is_floating(arg.type)) {
                throw TestSpecError(inner, std::string(what) + " values need a float type, but \"" +
                                               arg.name + "\" is " + std::string(name(arg.type)) +
                                               "; use {\"integers\": {\"min\": .., \"max\": ..}}");
            }
        };
        if (key == "npy") {
            return NpyValues{string(body, inner)};
        }
        const auto& fields = object(body, inner);
        const auto field = [&](std::string_view name) {
            return number(fields.at(name), child(inner, name));
        };
        if (key == "uniform") {
            check_keys(fields, inner, {"min", "max"});
            floating_only("uniform");
            UniformValues u{field("min"), field("max")};
            if (!(u.min <= u.max)) {
                throw TestSpecError(inner, "min " + number_text(u.min) + " is above max " +
                                               number_text(u.max));
            }
            return u;
        }
        if (key == "normal") {
            check_keys(fields, inner, {"mean", "stddev"});
            floating_only("normal");
            NormalValues n{field("mean"), field("stddev")};
            if (!(n.stddev >= 0)) {
                throw TestSpecError(child(inner, "stddev"), "a standard deviation cannot be "
                                                            "negative");
            }
            return n;
        }
        if (key == "integers") {
            check_keys(fields, inner, {"min", "max"});
            IntegerValues r{integer(fields.at("min"), child(inner, "min")),
                            integer(fields.at("max"), child(inner, "max"))};
            if (r.min > r.max) {
                throw TestSpecError(inner, "min " + std::to_string(r.min) + " is above max " +
                                               std::to_string(r.max));
            }
            check_fits(arg, static_cast<double>(r.min), child(inner, "min"));
            check_fits(arg, static_cast<double>(r.max), child(inner, "max"));
            return r;
        }
        if (key == "iota") {
            check_keys(fields, inner, {"start", "step"});
            IotaValues i{field("start"), field("step")};
            check_fits(arg, i.start, child(inner, "start"));
            check_fits(arg, i.step, child(inner, "step"));
            return i;
        }
        if (key == "constant") {
            check_keys(fields, inner, {"value"});
            ConstantValues c{field("value")};
            check_fits(arg, c.value, child(inner, "value"));
            return c;
        }
        throw TestSpecError(inner, "unknown value source \"" + std::string(key) +
                                       "\"; use uniform, normal, integers, iota, constant or npy");
    }

    // An integer-typed argument takes only whole numbers in its type's range.
    static void check_fits(const ArgumentSpec& arg, double value, const std::string& pointer) {
        if (is_floating(arg.type)) {
            return;
        }
        const auto [low, high] = visit_dtype(arg.type, []<class T>(DTypeTag<T>) {
            return std::pair{static_cast<double>(std::numeric_limits<T>::min()),
                             static_cast<double>(std::numeric_limits<T>::max())};
        });
        if (value != std::floor(value) || value < low || value > high) {
            throw TestSpecError(pointer, number_text(value) + " is not " + with_article(arg.type) +
                                             " value");
        }
    }

    OutputSpec read_output(const boost::json::value& value, const std::string& pointer) {
        const auto& out = object(value, pointer);
        check_keys(out, pointer, {"name", "atol", "rtol", "reference"});
        OutputSpec spec;
        spec.name = identifier(out.at("name"), child(pointer, "name"));
        const ArgumentSpec* arg = nullptr;
        for (const auto& candidate : spec_.args) {
            arg = candidate.name == spec.name ? &candidate : arg;
        }
        if (!arg) {
            throw TestSpecError(child(pointer, "name"),
                                "no argument is named \"" + spec.name + "\"");
        }
        if (!std::holds_alternative<ArrayArgument>(arg->kind)) {
            throw TestSpecError(child(pointer, "name"),
                                "\"" + spec.name + "\" is a scalar; only arrays are outputs");
        }
        for (const auto& other : spec_.outputs) {
            if (other.name == spec.name) {
                throw TestSpecError(child(pointer, "name"),
                                    "\"" + spec.name + "\" is listed twice");
            }
        }
        for (const auto* key : {"atol", "rtol"}) {
            const double tolerance = number(out.at(key), child(pointer, key));
            if (!(tolerance >= 0) || !std::isfinite(tolerance)) {
                throw TestSpecError(child(pointer, key), "a tolerance is a finite number >= 0");
            }
            (std::string_view(key) == "atol" ? spec.atol : spec.rtol) = tolerance;
        }
        const auto ref_pointer = child(pointer, "reference");
        const auto& ref = object(out.at("reference"), ref_pointer);
        if (ref.contains("npy")) {
            check_keys(ref, ref_pointer, {"npy"});
            spec.reference = NpyValues{string(ref.at("npy"), child(ref_pointer, "npy"))};
        } else if (ref.contains("from")) {
            check_keys(ref, ref_pointer, {"from"});
            const auto from = string(ref.at("from"), child(ref_pointer, "from"));
            if (from != "reference_kernel") {
                throw TestSpecError(child(ref_pointer, "from"),
                                    "expected \"reference_kernel\", got \"" + from + "\"");
            }
            spec.reference = FromReferenceKernel{};
        } else {
            throw TestSpecError(ref_pointer, "expected {\"npy\": \"file.npy\"} or "
                                             "{\"from\": \"reference_kernel\"}");
        }
        return spec;
    }

    TestSpec spec_;
    std::vector<double> values_;
    VariableBindings bindings_;
};

} // namespace

TestSpec parse_test_spec(const boost::json::value& document) {
    return SpecParser().parse(document);
}

TestSpec parse_test_spec_text(std::string_view text) {
    boost::json::value document;
    try {
        document = parse_json_text(text);
    } catch (const JsonSyntaxError& e) {
        throw TestSpecError("", std::string("not valid JSON: ") + e.what());
    }
    return parse_test_spec(document);
}

TestSpec load_test_spec(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw TestSpecError(
            "", path.string() + ": cannot open the file (" +
                    (std::filesystem::exists(path) ? "it is not readable" : "it does not exist") +
                    ")");
    }
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return parse_test_spec_text(text);
}

} // namespace kerntune
