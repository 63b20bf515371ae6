#pragma once
// A small, fully specified random generator (xoshiro256**, seeded through splitmix64). The
// standard library's distributions differ between implementations, so test data drawn with
// them would change with the compiler; these streams and the transforms in generate.cpp are
// the same everywhere.

#include <cstdint>
#include <string_view>

namespace kerntune {

constexpr std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class Rng {
public:
    explicit constexpr Rng(std::uint64_t seed) {
        for (auto& word : s_) {
            word = splitmix64(seed);
        }
    }

    constexpr std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, 1), with 53 random bits.
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // Uniform in [0, bound), unbiased (rejection sampling); bound 0 means the full 2^64 range.
    std::uint64_t below(std::uint64_t bound) {
        if (bound == 0) {
            return next();
        }
        const std::uint64_t threshold = (0 - bound) % bound;
        for (;;) {
            const std::uint64_t r = next();
            if (r >= threshold) {
                return r % bound;
            }
        }
    }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) {
        return (x << k) | (x >> (64 - k));
    }
    std::uint64_t s_[4]{};
};

// The seed of one named stream under a base seed (FNV-1a of the name, mixed with the base).
constexpr std::uint64_t stream_seed(std::uint64_t base, std::string_view name) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : name) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    }
    std::uint64_t state = base ^ hash;
    return splitmix64(state);
}

} // namespace kerntune
