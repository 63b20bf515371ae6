#include "core/testspec/dtype.hpp"

#include <array>
#include <ostream>
#include <utility>

namespace kerntune {
namespace {

constexpr std::array<std::pair<DType, std::string_view>, 10> names = {{
    {DType::int8, "int8"},
    {DType::int16, "int16"},
    {DType::int32, "int32"},
    {DType::int64, "int64"},
    {DType::uint8, "uint8"},
    {DType::uint16, "uint16"},
    {DType::uint32, "uint32"},
    {DType::uint64, "uint64"},
    {DType::float32, "float32"},
    {DType::float64, "float64"},
}};

} // namespace

std::string_view name(DType type) {
    for (const auto& [value, text] : names) {
        if (value == type) {
            return text;
        }
    }
    return "float64";
}

std::string with_article(DType type) {
    const auto text = name(type);
    return (text.front() == 'i' ? "an " : "a ") + std::string(text);
}

std::ostream& operator<<(std::ostream& out, DType type) {
    return out << name(type);
}

std::optional<DType> parse_dtype(std::string_view text) {
    for (const auto& [value, candidate] : names) {
        if (candidate == text) {
            return value;
        }
    }
    return std::nullopt;
}

std::string_view dtype_names() {
    return "int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64";
}

std::size_t size_of(DType type) {
    return visit_dtype(type, []<class T>(DTypeTag<T>) { return sizeof(T); });
}

bool is_floating(DType type) {
    return type == DType::float32 || type == DType::float64;
}

} // namespace kerntune
