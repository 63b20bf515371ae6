#include "core/search/parameter.hpp"

#include "core/text/ascii.hpp"

#include "core/errors/error_kind.hpp"
#include "core/testspec/number_text.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

namespace kerntune {
namespace {} // namespace

TuneParameter parse_param_option(std::string_view option) {
    const auto fail = [&](const std::string& why) {
        throw KindedError(ErrorKind::invalid_argument,
                          "--param " + std::string(option) + ": " + why);
    };
    const auto equals = option.find('=');
    if (equals == std::string_view::npos) {
        fail("expected NAME=V1,V2,...");
    }
    TuneParameter parameter{std::string(option.substr(0, equals)), {}};
    if (!text::is_identifier(parameter.name)) {
        fail("\"" + parameter.name + "\" is not a name (letters, digits and _)");
    }
    std::string_view rest = option.substr(equals + 1);
    while (true) {
        const auto comma = rest.find(',');
        const auto item = rest.substr(0, comma);
        double value = 0;
        const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), value);
        if (item.empty() || error != std::errc() || end != item.data() + item.size() ||
            !std::isfinite(value)) {
            fail("\"" + std::string(item) + "\" is not a number");
        }
        for (const double seen : parameter.values) {
            if (seen == value) {
                fail("the value " + std::string(item) + " is listed twice");
            }
        }
        parameter.values.push_back(value);
        if (comma == std::string_view::npos) {
            break;
        }
        rest = rest.substr(comma + 1);
    }
    return parameter;
}

std::string value_text(double value) {
    return number_text(value);
}

boost::json::value value_json(double value) {
    if (value == std::floor(value) && std::fabs(value) < 9.0e15) {
        return static_cast<std::int64_t>(value);
    }
    return value;
}

double ConfigView::get(std::string_view name, double fallback) const {
    for (std::size_t i = 0; i < parameters_->size(); ++i) {
        if ((*parameters_)[i].name == name) {
            return values_[i];
        }
    }
    return fallback;
}

bool ConfigView::has(std::string_view name) const {
    for (const auto& parameter : *parameters_) {
        if (parameter.name == name) {
            return true;
        }
    }
    return false;
}

std::string ConfigView::text() const {
    std::string text;
    for (std::size_t i = 0; i < values_.size(); ++i) {
        text += (i ? ", " : "") + (*parameters_)[i].name + "=" + value_text(values_[i]);
    }
    return text;
}

} // namespace kerntune
