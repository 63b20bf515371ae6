#include "core/worker/framing.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <sys/socket.h>
#include <sys/uio.h>
#include <system_error>
#include <unistd.h>

namespace kerntune::worker {
namespace {

constexpr std::string_view magic = "KTW1";
constexpr std::size_t fixed_prefix = 12; // magic, header bytes, attachment count

void put(std::string& out, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::uint64_t get(std::string_view in, std::size_t at, int bytes) {
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i)
        value |= std::uint64_t{static_cast<unsigned char>(in[at + static_cast<std::size_t>(i)])}
                 << (8 * i);
    return value;
}

std::string printable(std::string_view bytes) {
    std::string text;
    for (unsigned char c : bytes) {
        if (c >= 0x20 && c < 0x7f) {
            text.push_back(static_cast<char>(c));
        } else {
            static constexpr char hex[] = "0123456789abcdef";
            text += "\\x";
            text.push_back(hex[c >> 4]);
            text.push_back(hex[c & 15]);
        }
    }
    return text;
}

} // namespace

std::string encode_frame_head(const Frame& frame) {
    const std::string header = boost::json::serialize(frame.header);
    if (frame.attachments.size() > FrameLimits{}.max_attachments)
        throw ProtocolError("a frame may carry at most " +
                            std::to_string(FrameLimits{}.max_attachments) + " attachments, not " +
                            std::to_string(frame.attachments.size()));
    std::string out;
    out.reserve(fixed_prefix + 8 * frame.attachments.size() + header.size());
    out += magic;
    put(out, header.size(), 4);
    put(out, frame.attachments.size(), 4);
    for (const auto& attachment : frame.attachments)
        put(out, attachment.size(), 8);
    out += header;
    return out;
}

std::string encode_frame(const Frame& frame) {
    std::string out = encode_frame_head(frame);
    for (const auto& attachment : frame.attachments)
        out += attachment;
    return out;
}

void FrameDecoder::check_prefix() {
    if (frame_bytes_)
        return;
    const std::size_t have = std::min(buffer_.size(), magic.size());
    if (std::string_view(buffer_).substr(0, have) != magic.substr(0, have))
        throw ProtocolError("a frame starts with \"" + printable(buffer_.substr(0, 4)) +
                            "\" instead of \"KTW1\": the peer is not a kerntune-worker of this "
                            "version, or the stream lost its place");
    if (buffer_.size() < fixed_prefix)
        return;
    const std::uint64_t header_bytes = get(buffer_, 4, 4);
    const std::uint64_t count = get(buffer_, 8, 4);
    if (header_bytes > limits_.max_header_bytes)
        throw ProtocolError("a frame declares a header of " + std::to_string(header_bytes) +
                            " bytes, over the limit of " +
                            std::to_string(limits_.max_header_bytes));
    if (count > limits_.max_attachments)
        throw ProtocolError("a frame declares " + std::to_string(count) +
                            " attachments, over the limit of " +
                            std::to_string(limits_.max_attachments));
    const std::size_t sizes_end = fixed_prefix + 8 * count;
    if (buffer_.size() < sizes_end)
        return;
    std::uint64_t total = sizes_end + header_bytes;
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t size = get(buffer_, fixed_prefix + 8 * i, 8);
        if (size > limits_.max_frame_bytes || total + size > limits_.max_frame_bytes)
            throw ProtocolError("a frame declares " + std::to_string(total + size) +
                                "+ bytes, over the limit of " +
                                std::to_string(limits_.max_frame_bytes) + " bytes per frame");
        total += size;
    }
    if (total > limits_.max_frame_bytes)
        throw ProtocolError("a frame declares " + std::to_string(total) +
                            " bytes, over the limit of " + std::to_string(limits_.max_frame_bytes) +
                            " bytes per frame");
    frame_bytes_ = total;
}

void FrameDecoder::feed(std::string_view bytes) {
    buffer_.append(bytes);
    check_prefix();
}

std::optional<Frame> FrameDecoder::next() {
    check_prefix();
    if (!frame_bytes_ || buffer_.size() < *frame_bytes_)
        return std::nullopt;
    const std::size_t header_bytes = get(buffer_, 4, 4);
    const std::size_t count = get(buffer_, 8, 4);
    std::size_t at = fixed_prefix + 8 * count;
    const std::string_view header_text = std::string_view(buffer_).substr(at, header_bytes);
    Frame frame;
    boost::system::error_code ec;
    boost::json::value header = boost::json::parse(header_text, ec);
    if (ec || !header.is_object())
        throw ProtocolError("a frame's header is not a JSON object: \"" +
                            printable(header_text.substr(0, 80)) + "\"");
    frame.header = std::move(header.as_object());
    at += header_bytes;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t size = get(buffer_, fixed_prefix + 8 * i, 8);
        frame.attachments.emplace_back(buffer_, at, size);
        at += size;
    }
    buffer_.erase(0, at);
    frame_bytes_.reset();
    check_prefix();
    return frame;
}

std::string FrameDecoder::truncation() const {
    return "the stream ended " + std::to_string(buffer_.size()) + " bytes into a frame" +
           (frame_bytes_ ? " of " + std::to_string(*frame_bytes_) + " bytes" : std::string()) +
           " (truncated)";
}

Frame decode_frame(std::string_view bytes, FrameLimits limits) {
    FrameDecoder decoder(limits);
    decoder.feed(bytes);
    auto frame = decoder.next();
    if (!frame)
        throw ProtocolError(decoder.truncation());
    if (decoder.pending() > 0)
        throw ProtocolError(std::to_string(decoder.pending()) + " bytes follow the frame");
    return std::move(*frame);
}

FrameSender::FrameSender(const Frame& frame) : head_(encode_frame_head(frame)) {
    pieces_.emplace_back(head_.data(), head_.size());
    for (const auto& attachment : frame.attachments)
        if (!attachment.empty())
            pieces_.emplace_back(attachment.data(), attachment.size());
}

bool FrameSender::send_some(int fd) {
    std::array<iovec, 64> vectors;
    std::size_t count = 0;
    for (std::size_t i = first_; i < pieces_.size() && count < vectors.size(); ++i)
        vectors[count++] = iovec{const_cast<char*>(pieces_[i].first), pieces_[i].second};
    msghdr message{};
    message.msg_iov = vectors.data();
    message.msg_iovlen = count;
    const ssize_t n = ::sendmsg(fd, &message, MSG_NOSIGNAL);
    if (n < 0)
        return false;
    for (auto sent = static_cast<std::size_t>(n); sent > 0;) {
        auto& [data, size] = pieces_[first_];
        const std::size_t taken = std::min(sent, size);
        data += taken;
        size -= taken;
        sent -= taken;
        if (size == 0)
            ++first_;
    }
    return true;
}

void write_frame(int fd, const Frame& frame) {
    FrameSender sender(frame);
    while (!sender.done())
        if (!sender.send_some(fd) && errno != EINTR)
            throw std::system_error(errno, std::generic_category(), "sendmsg");
}

std::optional<Frame> read_frame(int fd, FrameDecoder& decoder) {
    std::array<char, 1 << 16> buffer;
    while (true) {
        if (auto frame = decoder.next())
            return frame;
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw std::system_error(errno, std::generic_category(), "read");
        }
        if (n == 0) {
            if (decoder.pending() > 0)
                throw ProtocolError(decoder.truncation());
            return std::nullopt;
        }
        decoder.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    }
}

} // namespace kerntune::worker
