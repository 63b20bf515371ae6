#include "core/testspec/npy.hpp"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <vector>

namespace kerntune {
namespace {

constexpr std::string_view magic = "\x93NUMPY";

// The header is a Python dict literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
// This reads exactly the literals NumPy writes there: strings, True/False and int tuples.
class HeaderReader {
public:
    HeaderReader(std::string_view text, std::string_view label) : text_(text), label_(label) {}

    struct Header {
        std::string descr;
        bool fortran_order = false;
        std::vector<std::int64_t> shape;
    };

    Header read() {
        Header header;
        bool has_descr = false, has_order = false, has_shape = false;
        expect('{');
        while (!peek_is('}')) {
            const std::string key = string_literal();
            expect(':');
            if (key == "descr") {
                skip_space();
                if (peek_is('[')) {
                    fail("it holds a structured dtype; only plain numeric arrays are supported");
                }
                header.descr = string_literal();
                has_descr = true;
            } else if (key == "fortran_order") {
                header.fortran_order = boolean_literal();
                has_order = true;
            } else if (key == "shape") {
                header.shape = shape_literal();
                has_shape = true;
            } else {
                fail("its header has the unexpected key '" + key + "'");
            }
            if (!peek_is('}')) {
                expect(',');
            }
        }
        expect('}');
        if (!has_descr || !has_order || !has_shape) {
            fail("its header lacks one of 'descr', 'fortran_order' and 'shape'");
        }
        return header;
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw NpyError(std::string(label_) + ": " + why);
    }
    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) {
            ++pos_;
        }
    }
    bool peek_is(char c) {
        skip_space();
        return pos_ < text_.size() && text_[pos_] == c;
    }
    void expect(char c) {
        if (!peek_is(c)) {
            fail(std::string("its header is not a Python dict literal (expected '") + c +
                 "' at offset " + std::to_string(pos_) + ")");
        }
        ++pos_;
    }
    std::string string_literal() {
        skip_space();
        if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) {
            fail("its header is not a Python dict literal (expected a string at offset " +
                 std::to_string(pos_) + ")");
        }
        const char quote = text_[pos_++];
        const auto end = text_.find(quote, pos_);
        if (end == std::string_view::npos) {
            fail("its header has an unterminated string");
        }
        std::string value(text_.substr(pos_, end - pos_));
        pos_ = end + 1;
        return value;
    }
    bool boolean_literal() {
        skip_space();
        for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
            if (text_.substr(pos_, std::strlen(word)) == word) {
                pos_ += std::strlen(word);
                return value;
            }
        }
        fail("its 'fortran_order' is not True or False");
    }
    std::vector<std::int64_t> shape_literal() {
        std::vector<std::int64_t> shape;
        expect('(');
        while (!peek_is(')')) {
            std::int64_t extent = 0;
            const auto start = pos_;
            while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
                if (extent > (INT64_MAX - 9) / 10) {
                    fail("its shape has an extent too large to address");
                }
                extent = extent * 10 + (text_[pos_++] - '0');
            }
            if (pos_ == start) {
                fail("its 'shape' is not a tuple of non-negative integers");
            }
            if (pos_ < text_.size() && text_[pos_] == 'L') {
                ++pos_; // Python 2 wrote long integers with a suffix.
            }
            shape.push_back(extent);
            if (!peek_is(')')) {
                expect(',');
            }
        }
        expect(')');
        return shape;
    }

    std::string_view text_;
    std::string_view label_;
    std::size_t pos_ = 0;
};

DType descr_type(const std::string& descr, std::string_view label) {
    const auto fail = [&](const std::string& why) {
        throw NpyError(std::string(label) + ": dtype '" + descr + "' " + why);
    };
    if (descr.size() < 3) {
        fail("is not a numeric type");
    }
    const char order = descr[0];
    const std::string code = descr.substr(1);
    static const std::vector<std::pair<std::string, DType>> codes = {
        {"i1", DType::int8},    {"i2", DType::int16},  {"i4", DType::int32},
        {"i8", DType::int64},   {"u1", DType::uint8},  {"u2", DType::uint16},
        {"u4", DType::uint32},  {"u8", DType::uint64}, {"f4", DType::float32},
        {"f8", DType::float64},
    };
    std::optional<DType> type;
    for (const auto& [candidate, value] : codes) {
        if (candidate == code) {
            type = value;
        }
    }
    if (!type) {
        fail("is not supported; use one of int8..int64, uint8..uint64, float32, float64 "
             "(e.g. arr.astype(np.float32))");
    }
    // '=' is native order, which is little-endian on every host kerntune runs on.
    const bool little =
        order == '<' || order == '=' || order == '|' || (order == '>' && size_of(*type) == 1);
    if (order == '>' && !little) {
        fail("is big-endian; save it little-endian (arr.astype(arr.dtype.newbyteorder('<')))");
    }
    if (!little) {
        fail("has an unknown byte-order mark");
    }
    return *type;
}

template <class T> T little_endian(std::string_view bytes, std::size_t offset) {
    T value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
        value |= static_cast<T>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
    }
    return value;
}

} // namespace

HostBuffer parse_npy(std::string_view bytes, std::string_view label) {
    const auto fail = [&](const std::string& why) {
        throw NpyError(std::string(label) + ": " + why);
    };
    if (bytes.substr(0, magic.size()) != magic || bytes.size() < magic.size() + 4) {
        fail("not a .npy file (it does not start with \\x93NUMPY)");
    }
    const int major = static_cast<unsigned char>(bytes[6]);
    std::size_t header_length = 0;
    std::size_t header_start = 0;
    if (major == 1) {
        header_length = little_endian<std::uint16_t>(bytes, 8);
        header_start = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) {
            fail("the file ends inside its preamble");
        }
        header_length = little_endian<std::uint32_t>(bytes, 8);
        header_start = 12;
    } else {
        fail(".npy format version " + std::to_string(major) + " is not supported (1, 2, 3 are)");
    }
    if (bytes.size() < header_start + header_length) {
        fail("the file ends inside its header");
    }
    const auto header = HeaderReader(bytes.substr(header_start, header_length), label).read();
    const DType type = descr_type(header.descr, label);

    std::size_t non_trivial = 0;
    for (const auto extent : header.shape) {
        non_trivial += extent > 1 ? 1 : 0;
    }
    // With at most one extent above 1, Fortran and C order lay out the same bytes.
    if (header.fortran_order && non_trivial > 1) {
        fail("it is stored in Fortran order; save np.ascontiguousarray(arr) instead");
    }
    std::size_t elements = 1;
    for (const auto extent : header.shape) {
        const auto e = static_cast<std::size_t>(extent);
        if (e != 0 && elements > SIZE_MAX / e / size_of(type)) {
            fail("its shape " + shape_text(header.shape) + " is too large to address");
        }
        elements *= e;
    }
    const std::size_t data_start = header_start + header_length;
    const std::size_t expected = elements * size_of(type);
    const std::size_t actual = bytes.size() - data_start;
    if (actual != expected) {
        fail("shape " + shape_text(header.shape) + " of " + std::string(name(type)) + " needs " +
             std::to_string(expected) + " data bytes, but the file has " + std::to_string(actual));
    }
    HostBuffer buffer(type, header.shape);
    if (expected) {
        std::memcpy(buffer.data(), bytes.data() + data_start, expected);
    }
    return buffer;
}

HostBuffer read_npy(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw KindedError(
            ErrorKind::not_found,
            path.string() + ": cannot open the file (" +
                (std::filesystem::exists(path) ? "it is not readable" : "it does not exist") + ")");
    }
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return parse_npy(bytes, path.string());
}

std::string to_npy(const HostBuffer& buffer) {
    static const std::vector<std::pair<DType, std::string_view>> descrs = {
        {DType::int8, "|i1"},    {DType::int16, "<i2"},  {DType::int32, "<i4"},
        {DType::int64, "<i8"},   {DType::uint8, "|u1"},  {DType::uint16, "<u2"},
        {DType::uint32, "<u4"},  {DType::uint64, "<u8"}, {DType::float32, "<f4"},
        {DType::float64, "<f8"},
    };
    std::string_view descr;
    for (const auto& [type, text] : descrs) {
        if (type == buffer.dtype()) {
            descr = text;
        }
    }
    std::string header = "{'descr': '" + std::string(descr) +
                         "', 'fortran_order': False, 'shape': " + shape_text(buffer.shape()) +
                         ", }";
    // NumPy pads the header with spaces and a newline so the data starts on a 64-byte boundary.
    const std::size_t unpadded = magic.size() + 4 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    std::string out(magic);
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
    out += header;
    out.append(reinterpret_cast<const char*>(buffer.data()), buffer.size_bytes());
    return out;
}

void write_npy(const std::filesystem::path& path, const HostBuffer& buffer) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const std::string bytes = to_npy(buffer);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        throw KindedError(ErrorKind::internal, path.string() + ": cannot write the file");
    }
}

} // namespace kerntune
