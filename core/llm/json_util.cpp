#include "core/llm/json_util.hpp"

#include "core/text/utf8.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace kerntune::llm {
namespace json = boost::json;

namespace {

std::optional<json::value> try_parse(std::string_view text, std::string* error,
                                     unsigned max_depth) {
    json::parse_options options;
    options.allow_invalid_utf8 = true;
    options.max_depth = max_depth;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec, {}, options);
    if (ec) {
        if (error)
            *error = ec.message();
        return std::nullopt;
    }
    return v;
}

int hex4(std::string_view text, std::size_t at) {
    if (at + 4 > text.size())
        return -1;
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + 4, value, 16);
    return ec == std::errc() && end == text.data() + at + 4 ? value : -1;
}

void canonical(const json::value& v, std::string& out) {
    if (v.is_object()) {
        std::vector<std::pair<std::string_view, const json::value*>> members;
        for (const auto& m : v.get_object())
            members.emplace_back(m.key(), &m.value());
        std::sort(members.begin(), members.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        out.push_back('{');
        bool first = true;
        for (const auto& [key, value] : members) {
            if (!first)
                out.push_back(',');
            first = false;
            out += json::serialize(json::string(key));
            out.push_back(':');
            canonical(*value, out);
        }
        out.push_back('}');
    } else if (v.is_array()) {
        out.push_back('[');
        bool first = true;
        for (const auto& item : v.get_array()) {
            if (!first)
                out.push_back(',');
            first = false;
            canonical(item, out);
        }
        out.push_back(']');
    } else {
        out += json::serialize(v);
    }
}

} // namespace

std::optional<json::value> parse_lenient(std::string_view text, std::string* error,
                                         unsigned max_depth) {
    if (auto v = try_parse(text, error, max_depth))
        return v;
    if (text.find("\\u") == std::string_view::npos)
        return std::nullopt;
    const std::string fixed = fix_lone_surrogates(text);
    if (fixed == text)
        return std::nullopt;
    return try_parse(fixed, error, max_depth);
}

std::string fix_lone_surrogates(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (!in_string) {
            in_string = c == '"';
            out.push_back(c);
            continue;
        }
        if (c == '"') {
            in_string = false;
            out.push_back(c);
            continue;
        }
        if (c != '\\' || i + 1 >= text.size()) {
            out.push_back(c);
            continue;
        }
        if (text[i + 1] != 'u') {
            out.push_back(c);
            out.push_back(text[++i]);
            continue;
        }
        const int unit = hex4(text, i + 2);
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            const bool paired = i + 11 < text.size() && text.compare(i + 6, 2, "\\u") == 0 &&
                                hex4(text, i + 8) >= 0xDC00 && hex4(text, i + 8) <= 0xDFFF;
            if (paired) {
                out.append(text.substr(i, 12));
                i += 11;
            } else {
                out += "\\ufffd";
                i += 5;
            }
        } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
            out += "\\ufffd";
            i += 5;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

const json::value* member(const json::value& v, std::string_view key) {
    if (!v.is_object())
        return nullptr;
    const json::value* found = v.get_object().if_contains(key);
    return found && !found->is_null() ? found : nullptr;
}

std::string string_member(const json::value& v, std::string_view key) {
    const json::value* found = member(v, key);
    if (!found || !found->is_string())
        return {};
    return text::to_valid_utf8(found->get_string());
}

std::int64_t int_member(const json::value& v, std::string_view key) {
    const json::value* found = member(v, key);
    if (!found)
        return 0;
    if (found->is_int64())
        return found->get_int64();
    if (found->is_uint64())
        return static_cast<std::int64_t>(std::min<std::uint64_t>(found->get_uint64(), INT64_MAX));
    if (found->is_double() && std::isfinite(found->get_double()))
        return static_cast<std::int64_t>(found->get_double());
    if (found->is_string()) {
        std::int64_t value = 0;
        const auto& s = found->get_string();
        std::from_chars(s.data(), s.data() + s.size(), value);
        return value;
    }
    return 0;
}

std::string canonical_json(const json::value& v) {
    std::string out;
    canonical(v, out);
    return out;
}

bool all_finite(const json::value& v) {
    if (v.is_double())
        return std::isfinite(v.get_double());
    if (v.is_array())
        return std::all_of(v.get_array().begin(), v.get_array().end(),
                           [](const json::value& item) { return all_finite(item); });
    if (v.is_object())
        return std::all_of(v.get_object().begin(), v.get_object().end(),
                           [](const auto& m) { return all_finite(m.value()); });
    return true;
}

std::string snippet(std::string_view text, std::size_t max) {
    std::string out = text::to_valid_utf8(text.substr(0, max));
    for (char& c : out)
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    if (text.size() > max)
        out += "...";
    return out;
}

} // namespace kerntune::llm
