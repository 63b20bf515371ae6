#include "core/cache/sha256.hpp"

#include "core/errors/error_kind.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdint>

namespace kerntune {
namespace {

[[noreturn]] void fail(const char* step) {
    throw KindedError(ErrorKind::internal, std::string("SHA-256: ") + step + " failed");
}

} // namespace

void Sha256::Free::operator()(evp_md_ctx_st* context) const {
    EVP_MD_CTX_free(context);
}

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) {
        fail("initialisation");
    }
}

Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;
Sha256::~Sha256() = default;

Sha256& Sha256::update(const void* data, std::size_t size) {
    if (EVP_DigestUpdate(context_.get(), data, size) != 1) {
        fail("update");
    }
    return *this;
}

Sha256& Sha256::update(std::string_view bytes) {
    return update(bytes.data(), bytes.size());
}

Sha256& Sha256::field(std::string_view bytes) {
    std::array<unsigned char, 8> length{};
    auto size = static_cast<std::uint64_t>(bytes.size());
    for (auto& byte : length) { // little-endian, so the key does not depend on the host
        byte = static_cast<unsigned char>(size & 0xff);
        size >>= 8;
    }
    update(length.data(), length.size());
    return update(bytes);
}

std::string Sha256::hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest.data(), &length) != 1) {
        fail("finalisation");
    }
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < length; ++i) {
        text += digits[digest[i] >> 4];
        text += digits[digest[i] & 0xf];
    }
    return text;
}

std::string sha256_hex(std::string_view bytes) {
    return Sha256().update(bytes).hex();
}

} // namespace kerntune
