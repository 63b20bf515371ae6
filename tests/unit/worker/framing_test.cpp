#include "core/worker/framing.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace kerntune::worker {
namespace {

Frame sample() {
    Frame frame;
    frame.header["type"] = "check";
    frame.header["grid"] = 125;
    frame.attachments = {std::string("\0binary\xff", 8), std::string(), std::string(70000, 'x')};
    return frame;
}

void same(const Frame& a, const Frame& b) {
    BOOST_TEST(a.header == b.header);
    BOOST_TEST(a.attachments == b.attachments);
}

// The ProtocolError's message, which must mention `part`.
template <class F> void protocol_error(F f, const std::string& part) {
    try {
        f();
        BOOST_FAIL("expected a protocol error");
    } catch (const ProtocolError& e) {
        BOOST_TEST_INFO(e.what());
        BOOST_TEST(std::string(e.what()).find(part) != std::string::npos);
        BOOST_TEST(std::string(e.what()).find("protocol error") != std::string::npos);
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(framing)

BOOST_AUTO_TEST_CASE(a_frame_round_trips_with_its_header_and_binary_attachments) {
    same(decode_frame(encode_frame(sample())), sample());
    Frame empty;
    same(decode_frame(encode_frame(empty)), empty);
}

BOOST_AUTO_TEST_CASE(a_frame_fed_one_byte_at_a_time_comes_out_whole_and_only_once) {
    const std::string bytes = encode_frame(sample()) + encode_frame(Frame{});
    FrameDecoder decoder;
    std::size_t frames = 0;
    for (char c : bytes) {
        decoder.feed(std::string_view(&c, 1));
        while (auto frame = decoder.next()) {
            same(*frame, frames == 0 ? sample() : Frame{});
            ++frames;
        }
    }
    BOOST_TEST(frames == 2u);
    BOOST_TEST(decoder.pending() == 0u);
}

BOOST_AUTO_TEST_CASE(a_truncated_frame_is_a_protocol_error_naming_the_shortfall) {
    const std::string bytes = encode_frame(sample());
    for (std::size_t cut : {std::size_t{3}, std::size_t{11}, std::size_t{30}, bytes.size() - 1})
        protocol_error([&] { decode_frame(bytes.substr(0, cut)); }, "truncated");
}

BOOST_AUTO_TEST_CASE(an_oversized_frame_is_refused_before_its_payload_arrives) {
    FrameLimits small;
    small.max_frame_bytes = 1024;
    const std::string bytes = encode_frame(sample());
    // Only the prefix is fed: the declared sizes alone are enough to refuse it.
    FrameDecoder decoder(small);
    protocol_error([&] { decoder.feed(bytes.substr(0, 12 + 3 * 8)); }, "over the limit of 1024");
    FrameLimits few;
    few.max_attachments = 2;
    protocol_error([&] { decode_frame(bytes, few); }, "3 attachments");
    FrameLimits short_header;
    short_header.max_header_bytes = 4;
    protocol_error([&] { decode_frame(bytes, short_header); }, "header of");
}

BOOST_AUTO_TEST_CASE(a_huge_declared_length_allocates_nothing_and_is_refused) {
    std::string bytes = "KTW1";
    bytes += std::string("\x02\x00\x00\x00\x01\x00\x00\x00", 8);
    bytes += std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8); // 2^63 bytes
    protocol_error([&] { decode_frame(bytes); }, "over the limit");
}

BOOST_AUTO_TEST_CASE(a_garbage_header_or_magic_is_a_protocol_error) {
    protocol_error([] { decode_frame("GET / HTTP/1.1\r\n\r\n"); }, "instead of \"KTW1\"");
    Frame frame;
    std::string bytes = encode_frame(frame); // header "{}"
    bytes.replace(bytes.size() - 2, 2, "[]");
    protocol_error([&] { decode_frame(bytes); }, "not a JSON object");
    bytes.replace(bytes.size() - 2, 2, "{x");
    protocol_error([&] { decode_frame(bytes); }, "not a JSON object");
    protocol_error([&] { decode_frame(encode_frame(frame) + "KTW"); }, "3 bytes follow");
}

BOOST_AUTO_TEST_CASE(frames_cross_a_socket_and_the_end_of_the_stream_is_told_apart) {
    int fds[2];
    BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    write_frame(fds[0], sample());
    const std::string bytes = encode_frame(sample());
    BOOST_REQUIRE(::write(fds[0], bytes.data(), 20) == 20);
    ::close(fds[0]);
    FrameDecoder decoder;
    same(read_frame(fds[1], decoder).value(), sample());
    protocol_error([&] { read_frame(fds[1], decoder); }, "truncated");
    ::close(fds[1]);

    BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    ::close(fds[0]);
    FrameDecoder fresh;
    BOOST_TEST(!read_frame(fds[1], fresh).has_value());
    ::close(fds[1]);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::worker
