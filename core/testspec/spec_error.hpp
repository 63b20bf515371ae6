#pragma once

#include "core/errors/error_kind.hpp"

#include <string>

namespace kerntune {

// A test spec that is malformed or that cannot be satisfied. what() is
// "<JSON pointer>: <what is wrong>", e.g. "/args/2/shape: expected an array ..., got a string",
// so that whoever wrote the spec (often an LLM) can find and fix the spot.
class TestSpecError : public KindedError {
public:
    TestSpecError(std::string pointer, const std::string& problem)
        : KindedError(ErrorKind::invalid_test,
                      (pointer.empty() ? "the spec" : pointer) + ": " + problem),
          pointer_(std::move(pointer)), problem_(problem) {}
    const std::string& pointer() const noexcept { return pointer_; }
    // what() without the pointer, so that a caller can place the spec inside a larger document.
    const std::string& problem() const noexcept { return problem_; }

private:
    std::string pointer_;
    std::string problem_;
};

} // namespace kerntune
