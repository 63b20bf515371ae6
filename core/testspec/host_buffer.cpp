#include "core/testspec/host_buffer.hpp"

#include <cstring>

namespace kerntune {

HostBuffer::HostBuffer(DType type, std::vector<std::int64_t> shape)
    : type_(type), shape_(std::move(shape)), elements_(1) {
    for (const auto extent : shape_) {
        if (extent < 0) {
            throw std::invalid_argument("a buffer extent is negative");
        }
        elements_ *= static_cast<std::size_t>(extent);
    }
    bytes_.resize(elements_ * size_of(type_));
}

double HostBuffer::value_at(std::size_t index) const {
    return visit_dtype(type_, [&]<class T>(DTypeTag<T>) {
        T value;
        std::memcpy(&value, bytes_.data() + index * sizeof(T), sizeof(T));
        return static_cast<double>(value);
    });
}

void HostBuffer::check_type(DType wanted) const {
    if (wanted != type_) {
        throw std::logic_error("a " + std::string(name(type_)) + " buffer read as " +
                               std::string(name(wanted)));
    }
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        text += (i ? ", " : "") + std::to_string(shape[i]);
    }
    return text + (shape.size() == 1 ? ",)" : ")");
}

std::string index_text(std::size_t index, const std::vector<std::int64_t>& shape) {
    std::vector<std::size_t> position(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        const auto extent = static_cast<std::size_t>(shape[d]);
        position[d] = extent ? index % extent : 0;
        index = extent ? index / extent : 0;
    }
    std::string text = "[";
    for (std::size_t d = 0; d < position.size(); ++d) {
        text += (d ? ", " : "") + std::to_string(position[d]);
    }
    return text + "]";
}

bool HostBuffer::operator==(const HostBuffer& other) const {
    return type_ == other.type_ && shape_ == other.shape_ && bytes_.size() == other.bytes_.size() &&
           (bytes_.empty() || std::memcmp(bytes_.data(), other.bytes_.data(), bytes_.size()) == 0);
}

} // namespace kerntune
