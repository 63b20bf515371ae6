#pragma once
// The element types a kernel argument may have, with their sizes, names and the C++ types
// that hold them on the host.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace kerntune {

enum class DType {
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
    float32,
    float64,
};

// "float32", "uint8"...: the names test specs use.
std::string_view name(DType type);
// With its article, for sentences: "an int32", "a float32".
std::string with_article(DType type);
std::ostream& operator<<(std::ostream& out, DType type);
std::optional<DType> parse_dtype(std::string_view name);
// Every name, comma-separated, for error messages.
std::string_view dtype_names();
std::size_t size_of(DType type);
bool is_floating(DType type);

template <class T> struct DTypeTag { using type = T; };

// Calls f(DTypeTag<T>{}) with the C++ type of `type`, so one template serves every type.
template <class F> decltype(auto) visit_dtype(DType type, F&& f) {
    switch (type) {
    case DType::int8:
        return f(DTypeTag<std::int8_t>{});
    case DType::int16:
        return f(DTypeTag<std::int16_t>{});
    case DType::int32:
        return f(DTypeTag<std::int32_t>{});
    case DType::int64:
        return f(DTypeTag<std::int64_t>{});
    case DType::uint8:
        return f(DTypeTag<std::uint8_t>{});
    case DType::uint16:
        return f(DTypeTag<std::uint16_t>{});
    case DType::uint32:
        return f(DTypeTag<std::uint32_t>{});
    case DType::uint64:
        return f(DTypeTag<std::uint64_t>{});
    case DType::float32:
        return f(DTypeTag<float>{});
    case DType::float64:
        break;
    }
    return f(DTypeTag<double>{});
}

template <class T> constexpr DType dtype_of() {
    if constexpr (std::is_same_v<T, std::int8_t>) {
        return DType::int8;
    } else if constexpr (std::is_same_v<T, std::int16_t>) {
        return DType::int16;
    } else if constexpr (std::is_same_v<T, std::int32_t>) {
        return DType::int32;
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
        return DType::int64;
    } else if constexpr (std::is_same_v<T, std::uint8_t>) {
        return DType::uint8;
    } else if constexpr (std::is_same_v<T, std::uint16_t>) {
        return DType::uint16;
    } else if constexpr (std::is_same_v<T, std::uint32_t>) {
        return DType::uint32;
    } else if constexpr (std::is_same_v<T, std::uint64_t>) {
        return DType::uint64;
    } else if constexpr (std::is_same_v<T, float>) {
        return DType::float32;
    } else {
        static_assert(std::is_same_v<T, double>, "no DType for this type");
        return DType::float64;
    }
}

} // namespace kerntune
