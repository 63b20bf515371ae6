#include "core/report/format.hpp"

#include "core/text/utf8.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace kerntune::report {

const boost::json::value* member(const boost::json::value* value, std::string_view key) {
    if (value == nullptr || !value->is_object())
        return nullptr;
    return value->get_object().if_contains(key);
}

const boost::json::value* member(const boost::json::value& value, std::string_view key) {
    return member(&value, key);
}

const boost::json::value* member(const boost::json::object& object, std::string_view key) {
    return object.if_contains(key);
}

std::optional<double> number_of(const boost::json::value* value) {
    if (value == nullptr || !value->is_number())
        return std::nullopt;
    return value->to_number<double>();
}

const boost::json::array& array_of(const boost::json::value* value) {
    static const boost::json::array none;
    return value && value->is_array() ? value->get_array() : none;
}

std::string string_of(const boost::json::value* value) {
    if (value == nullptr || !value->is_string())
        return {};
    return std::string(value->get_string());
}

int ms_decimals(std::span<const double> times_ms) {
    double smallest = 0;
    for (const double t : times_ms)
        if (t > 0 && (smallest == 0 || t < smallest))
            smallest = t;
    if (smallest == 0)
        return 3;
    const int digits = 3 - static_cast<int>(std::floor(std::log10(smallest)));
    return std::clamp(digits, 3, 6);
}

std::string fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string percent(double fraction) {
    return fixed(fraction * 100, 2) + "%";
}

std::string speedup(double factor) {
    return fixed(factor, 2) + "x";
}

std::string scalar_text(const boost::json::value& value) {
    char text[64];
    switch (value.kind()) {
    case boost::json::kind::string:
        return std::string(value.get_string());
    case boost::json::kind::int64:
        return std::to_string(value.get_int64());
    case boost::json::kind::uint64:
        return std::to_string(value.get_uint64());
    case boost::json::kind::double_: {
        const auto end = std::to_chars(text, text + sizeof text, value.get_double()).ptr;
        return std::string(text, end);
    }
    case boost::json::kind::bool_:
        return value.get_bool() ? "true" : "false";
    case boost::json::kind::null:
        return "null";
    default:
        return boost::json::serialize(value);
    }
}

std::string params_text(const boost::json::value* params) {
    if (params == nullptr || !params->is_object() || params->get_object().empty())
        return "-";
    std::string text;
    for (const auto& [name, value] : params->get_object())
        text += (text.empty() ? "" : ", ") + std::string(name) + "=" + scalar_text(value);
    return text;
}

std::string space_text(const boost::json::value* space) {
    if (space == nullptr || !space->is_object() || space->get_object().empty())
        return "-";
    std::string text;
    for (const auto& [name, values] : space->get_object()) {
        text += (text.empty() ? "" : "; ") + std::string(name) + ": ";
        if (!values.is_array()) {
            text += scalar_text(values);
            continue;
        }
        bool first = true;
        for (const auto& value : values.get_array()) {
            text += (first ? "" : ", ") + scalar_text(value);
            first = false;
        }
    }
    return text;
}

std::string html_escape(std::string_view text) {
    std::string out;
    for (const char c : text::to_valid_utf8(text)) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string one_line(std::string_view text) {
    const std::string valid = text::to_valid_utf8(text);
    std::string out;
    for (const char c : valid) {
        const bool space = static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == ' ';
        if (!space)
            out += c;
        else if (!out.empty() && out.back() != ' ')
            out += ' ';
    }
    if (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

namespace {
bool continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}
} // namespace

std::size_t display_width(std::string_view utf8) {
    return static_cast<std::size_t>(
        std::count_if(utf8.begin(), utf8.end(), [](char c) { return !continuation_byte(c); }));
}

std::string truncate(std::string_view utf8, std::size_t width) {
    if (display_width(utf8) <= width)
        return std::string(utf8);
    const std::size_t keep = width > 3 ? width - 3 : 0;
    std::size_t points = 0;
    std::size_t end = 0;
    while (end < utf8.size()) {
        if (!continuation_byte(utf8[end]) && points++ == keep)
            break;
        ++end;
    }
    return std::string(utf8.substr(0, end)) + std::string("...").substr(0, width - keep);
}

std::string wrap(std::string_view text, std::size_t width, std::size_t first_indent,
                 std::size_t indent) {
    std::string out(first_indent, ' ');
    std::size_t column = first_indent;
    bool line_empty = true;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view word = text.substr(start, end - start);
        start = end + 1;
        if (word.empty())
            continue;
        const std::size_t w = display_width(word);
        if (!line_empty && column + 1 + w > width) {
            out += "\n" + std::string(indent, ' ');
            column = indent;
            line_empty = true;
        }
        if (!line_empty) {
            out += ' ';
            ++column;
        }
        out += word;
        column += w;
        line_empty = false;
    }
    return out;
}

} // namespace kerntune::report
