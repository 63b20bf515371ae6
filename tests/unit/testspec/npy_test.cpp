#include "core/testspec/npy.hpp"

#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <string>

using namespace kerntune;

namespace {

// A .npy file built byte by byte, the way NumPy lays it out, independent of to_npy.
std::string npy_bytes(int version, const std::string& dict, const std::string& data) {
    std::string header = dict;
    const std::size_t prefix = version == 1 ? 10 : 12;
    header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    std::string out = "\x93NUMPY";
    out += static_cast<char>(version);
    out += '\0';
    const auto n = header.size();
    out += static_cast<char>(n & 0xff);
    out += static_cast<char>((n >> 8) & 0xff);
    if (version != 1) {
        out += static_cast<char>((n >> 16) & 0xff);
        out += static_cast<char>((n >> 24) & 0xff);
    }
    return out + header + data;
}

template <class T> std::string raw(std::initializer_list<T> values) {
    std::string out(values.size() * sizeof(T), '\0');
    std::memcpy(out.data(), values.begin(), out.size());
    return out;
}

std::string error_of(const std::string& bytes) {
    try {
        parse_npy(bytes, "x.npy");
    } catch (const NpyError& e) {
        BOOST_TEST_MESSAGE(e.what());
        return e.what();
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(npy)

BOOST_AUTO_TEST_CASE(a_version_1_float32_matrix_is_read_in_c_order) {
    const auto buffer =
        parse_npy(npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                            raw<float>({1, 2, 3, 4, 5, 6})),
                  "m.npy");
    BOOST_TEST(buffer.dtype() == DType::float32);
    BOOST_TEST((buffer.shape() == std::vector<std::int64_t>{2, 3}));
    BOOST_TEST(buffer.as<float>()[4] == 5.0f);
}

BOOST_AUTO_TEST_CASE(versions_2_and_3_use_a_four_byte_header_length) {
    for (const int version : {2, 3}) {
        const auto buffer = parse_npy(
            npy_bytes(version, "{\"descr\": \"<i8\", \"shape\": (3,), \"fortran_order\": False}",
                      raw<std::int64_t>({-1, 0, 7})),
            "v.npy");
        BOOST_TEST(buffer.dtype() == DType::int64);
        BOOST_TEST(buffer.as<std::int64_t>()[2] == 7);
    }
}

BOOST_AUTO_TEST_CASE(a_zero_dimensional_array_holds_one_element) {
    const auto buffer = parse_npy(
        npy_bytes(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (), }", "\x2a"), "s.npy");
    BOOST_TEST(buffer.elements() == 1u);
    BOOST_TEST(buffer.as<std::uint8_t>()[0] == 42);
}

BOOST_AUTO_TEST_CASE(big_endian_data_is_refused_with_the_conversion_to_apply) {
    const auto message = error_of(npy_bytes(
        1, "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", raw<double>({1})));
    BOOST_TEST(contains(message, "x.npy: dtype '>f8' is big-endian"));
    BOOST_TEST(contains(message, "newbyteorder"));
}

BOOST_AUTO_TEST_CASE(fortran_order_is_refused_unless_the_layout_is_the_same) {
    BOOST_TEST(
        contains(error_of(npy_bytes(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
                                    raw<float>({1, 2, 3, 4}))),
                 "Fortran order"));
    BOOST_CHECK_NO_THROW(
        parse_npy(npy_bytes(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }",
                            raw<float>({1, 2})),
                  "row.npy"));
}

BOOST_AUTO_TEST_CASE(a_data_size_that_does_not_match_the_shape_is_refused) {
    const auto message = error_of(npy_bytes(
        1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", raw<float>({1, 2, 3})));
    BOOST_TEST(contains(message, "needs 16 data bytes, but the file has 12"));
}

BOOST_AUTO_TEST_CASE(unsupported_files_name_their_problem) {
    BOOST_TEST(contains(error_of("PK\x03\x04 a zip"), "not a .npy file"));
    BOOST_TEST(contains(
        error_of(npy_bytes(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }", "ab")),
        "'<f2' is not supported"));
    BOOST_TEST(contains(error_of(npy_bytes(1,
                                           "{'descr': [('a', '<f4')], 'fortran_order': False, "
                                           "'shape': (1,), }",
                                           raw<float>({1}))),
                        "structured dtype"));
    BOOST_TEST(contains(error_of(npy_bytes(4, "{}", "")), "version 4 is not supported"));
}

BOOST_AUTO_TEST_CASE(what_to_npy_writes_reads_back_identically) {
    HostBuffer buffer(DType::uint16, {3, 1, 2});
    for (std::size_t i = 0; i < buffer.elements(); ++i) {
        buffer.as<std::uint16_t>()[i] = static_cast<std::uint16_t>(i * 1000);
    }
    const auto bytes = to_npy(buffer);
    BOOST_TEST((bytes.size() - buffer.size_bytes()) % 64 == 0u); // data starts aligned
    BOOST_TEST((parse_npy(bytes, "r.npy") == buffer));
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_not_found) {
    test::TempDir dir;
    try {
        read_npy(dir.path / "absent.npy");
        BOOST_FAIL("no error");
    } catch (const KindedError& e) {
        BOOST_TEST((e.kind() == ErrorKind::not_found));
        BOOST_TEST(contains(e.what(), "does not exist"));
    }
    write_npy(dir.path / "present.npy", HostBuffer(DType::float64, {2}));
    BOOST_TEST(read_npy(dir.path / "present.npy").elements() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
