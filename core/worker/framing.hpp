#pragma once
// Frames: how kerntune and kerntune-worker talk over their socket, and how binaries sit in the
// binary cache. A frame is a JSON header (the message) plus binary attachments (buffers,
// compiled kernels), so bulk data never passes through JSON text. Integers are little-endian:
//
//     "KTW1" | u32 header bytes | u32 attachment count | u64 bytes of each attachment
//            | header (a JSON object, UTF-8) | attachments, back to back
//
// Every length is checked against limits as soon as the prefix that declares it has arrived,
// so a corrupt or hostile length is refused before anything is allocated for it.
#include "core/errors/error_kind.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kerntune::worker {

struct Frame {
    boost::json::object header;
    std::vector<std::string> attachments;
};

struct FrameLimits {
    std::size_t max_header_bytes = std::size_t{16} << 20;
    std::size_t max_attachments = 4096;
    std::uint64_t max_frame_bytes = std::uint64_t{256} << 20; // prefix, header and attachments
};

// The peer broke the framing: a bad magic, a length over the limits, a header that is not a
// JSON object, or a stream that ended inside a frame. The stream cannot be trusted afterwards.
class ProtocolError : public KindedError {
public:
    explicit ProtocolError(const std::string& problem)
        : KindedError(ErrorKind::internal,
                      "protocol error between kerntune and kerntune-worker: " + problem) {}
};

// The whole frame as one string (for files and tests). Throws ProtocolError for a frame over
// the default limits' attachment count.
std::string encode_frame(const Frame& frame);

// The prefix and header of `frame`; its attachments follow as they are, uncopied.
std::string encode_frame_head(const Frame& frame);

// Reassembles frames from bytes as they arrive.
class FrameDecoder {
public:
    explicit FrameDecoder(FrameLimits limits = {}) : limits_(limits) {}

    void set_limits(FrameLimits limits) { limits_ = limits; }
    // Appends bytes. Throws ProtocolError as soon as what has arrived cannot start a valid frame.
    void feed(std::string_view bytes);
    // The next complete frame, if one has arrived. Throws ProtocolError for a header that is not
    // a JSON object.
    std::optional<Frame> next();
    // Bytes held of a frame not yet complete: nonzero at the end of the stream means the peer
    // stopped in the middle of a frame.
    std::size_t pending() const noexcept { return buffer_.size(); }
    // What to say when the stream ended with pending() bytes.
    std::string truncation() const;

private:
    void check_prefix();
    FrameLimits limits_;
    std::string buffer_;
    std::optional<std::uint64_t> frame_bytes_; // of the frame at the front, once known
};

// The one frame that `bytes` holds; throws ProtocolError for anything else.
Frame decode_frame(std::string_view bytes, FrameLimits limits = {});

// Sends one frame over a socket with as few calls as the socket allows: the head and the
// attachments go out together through sendmsg, uncopied. The frame must outlive the sender.
class FrameSender {
public:
    explicit FrameSender(const Frame& frame);
    bool done() const noexcept { return first_ == pieces_.size(); }
    // One sendmsg (MSG_NOSIGNAL: a peer that died is an error, not a SIGPIPE that kills us).
    // False with errno set when it sent nothing.
    bool send_some(int fd);

private:
    std::string head_;
    std::vector<std::pair<const char*, std::size_t>> pieces_; // what is left of each piece
    std::size_t first_ = 0;
};

// Blocking I/O on a socket, for the worker's side. write_frame throws std::system_error when
// the peer is gone; read_frame returns nullopt at the end of the stream between frames and
// throws ProtocolError inside one.
void write_frame(int fd, const Frame& frame);
std::optional<Frame> read_frame(int fd, FrameDecoder& decoder);

} // namespace kerntune::worker
