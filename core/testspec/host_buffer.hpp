#pragma once
// A typed, shaped array in host memory: generated inputs, loaded .npy files, outputs read back
// from the device. Row-major (C order), like NumPy's default.

#include "core/testspec/dtype.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace kerntune {

class HostBuffer {
public:
    HostBuffer() = default;
    // Zero-filled. An empty shape is a scalar: one element.
    HostBuffer(DType type, std::vector<std::int64_t> shape);

    DType dtype() const noexcept { return type_; }
    const std::vector<std::int64_t>& shape() const noexcept { return shape_; }
    std::size_t elements() const noexcept { return elements_; }
    std::size_t size_bytes() const noexcept { return bytes_.size(); }
    std::byte* data() noexcept { return bytes_.data(); }
    const std::byte* data() const noexcept { return bytes_.data(); }

    // The elements as T; throws std::logic_error when T is not the buffer's type.
    template <class T> std::span<T> as() {
        check_type(dtype_of<T>());
        return {reinterpret_cast<T*>(bytes_.data()), elements_};
    }
    template <class T> std::span<const T> as() const {
        check_type(dtype_of<T>());
        return {reinterpret_cast<const T*>(bytes_.data()), elements_};
    }

    // Element `index` converted to double, whatever the type: for comparisons and reports.
    double value_at(std::size_t index) const;

    // Same type, shape and bytes. One memcmp: the verifier compares every input after every
    // checked run, and an element-wise std::byte comparison is several times slower.
    bool operator==(const HostBuffer& other) const;

private:
    void check_type(DType wanted) const;

    DType type_ = DType::float32;
    std::vector<std::int64_t> shape_;
    std::size_t elements_ = 0;
    std::vector<std::byte> bytes_;
};

// "(1024, 3)" or "()" as NumPy prints shapes.
std::string shape_text(const std::vector<std::int64_t>& shape);

// The multi-dimensional index of flat `index` in a row-major `shape`, as "[2, 7]".
std::string index_text(std::size_t index, const std::vector<std::int64_t>& shape);

} // namespace kerntune
