#pragma once
// SHA-256 through OpenSSL's EVP interface, for cache keys and data fingerprints.

#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace kerntune {

class Sha256 {
public:
    Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    ~Sha256();

    Sha256& update(std::string_view bytes);
    Sha256& update(const void* data, std::size_t size);
    // The byte count, then the bytes, so that consecutive fields cannot run into each other
    // ("ab" + "c" and "a" + "bc" hash differently).
    Sha256& field(std::string_view bytes);
    // The digest as 64 lowercase hex digits; the object cannot be updated afterwards.
    std::string hex();

private:
    struct Free {
        void operator()(evp_md_ctx_st* context) const;
    };
    std::unique_ptr<evp_md_ctx_st, Free> context_;
};

std::string sha256_hex(std::string_view bytes);

} // namespace kerntune
