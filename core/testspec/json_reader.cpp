#include "core/testspec/json_reader.hpp"

#include "core/json/describe.hpp"

#include <boost/json/object.hpp>

#include <cmath>
#include <string>

namespace kerntune::spec_json {
namespace {

std::string list(std::initializer_list<std::string_view> required,
                 std::initializer_list<std::string_view> optional) {
    std::string text;
    for (const auto names : {required, optional}) {
        for (const auto name : names) {
            text += (text.empty() ? "" : ", ") + std::string(name);
        }
    }
    return text;
}

} // namespace

std::string child(const std::string& pointer, std::string_view key) {
    std::string escaped;
    for (const char c : key) {
        escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    }
    return pointer + "/" + escaped;
}

std::string child(const std::string& pointer, std::size_t index) {
    return pointer + "/" + std::to_string(index);
}

void fail_expected(const std::string& pointer, std::string_view expected,
                   const boost::json::value& got) {
    throw TestSpecError(pointer,
                        "expected " + std::string(expected) + ", got " + describe_json(got));
}

const boost::json::object& object(const boost::json::value& value, const std::string& pointer) {
    if (!value.is_object()) {
        fail_expected(pointer, "an object", value);
    }
    return value.get_object();
}

const boost::json::array& array(const boost::json::value& value, const std::string& pointer) {
    if (!value.is_array()) {
        fail_expected(pointer, "an array", value);
    }
    return value.get_array();
}

std::string string(const boost::json::value& value, const std::string& pointer) {
    if (!value.is_string()) {
        fail_expected(pointer, "a string", value);
    }
    return std::string(value.get_string());
}

double number(const boost::json::value& value, const std::string& pointer) {
    if (!value.is_number()) {
        fail_expected(pointer, "a number", value);
    }
    return value.to_number<double>();
}

std::int64_t integer(const boost::json::value& value, const std::string& pointer) {
    if (value.is_int64()) {
        return value.get_int64();
    }
    if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(value.get_uint64());
    }
    if (value.is_double()) {
        const double d = value.get_double();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) {
            return static_cast<std::int64_t>(d);
        }
    }
    fail_expected(pointer, "a whole number", value);
}

void check_keys(const boost::json::object& object, const std::string& pointer,
                std::initializer_list<std::string_view> required,
                std::initializer_list<std::string_view> optional) {
    for (const auto& [key, value] : object) {
        bool known = false;
        for (const auto names : {required, optional}) {
            for (const auto name : names) {
                known = known || name == key;
            }
        }
        if (!known) {
            throw TestSpecError(child(pointer, key), "unknown key \"" + std::string(key) +
                                                         "\"; the keys here are " +
                                                         list(required, optional));
        }
    }
    for (const auto name : required) {
        if (!object.contains(name)) {
            throw TestSpecError(pointer, "missing the key \"" + std::string(name) + "\"");
        }
    }
}

const boost::json::value& at(const boost::json::object& object, std::string_view key) {
    return object.at(key);
}

} // namespace kerntune::spec_json
