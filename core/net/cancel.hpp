#pragma once
// A cancellation flag shared between the thread that waits on a call and whoever may stop it
// (the host on Ctrl-C, a watchdog, a test). Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

namespace kerntune::net {

class CancelToken {
public:
    CancelToken() = default;
    CancelToken(const CancelToken&) = delete;
    CancelToken& operator=(const CancelToken&) = delete;

    // Sets the flag, wakes every wait_for and runs every registered callback (once).
    void cancel();
    bool cancelled() const;

    // Sleeps for `duration` unless cancelled first; returns false when cancelled.
    bool wait_for(std::chrono::steady_clock::duration duration) const;

    // While a Registration lives, cancel() runs `callback` (at once if already cancelled).
    // Once the Registration is destroyed the callback is not running and never runs again.
    class Registration {
    public:
        Registration() = default;
        Registration(Registration&& other) noexcept;
        Registration& operator=(Registration&& other) noexcept;
        ~Registration();

    private:
        friend class CancelToken;
        Registration(const CancelToken* token, std::uint64_t id) : token_(token), id_(id) {}
        const CancelToken* token_ = nullptr;
        std::uint64_t id_ = 0;
    };
    [[nodiscard]] Registration on_cancel(std::function<void()> callback) const;

private:
    void remove(std::uint64_t id) const;

    mutable std::mutex mutex_;
    mutable std::condition_variable wake_;
    bool cancelled_ = false;
    mutable std::uint64_t next_id_ = 1;
    mutable std::map<std::uint64_t, std::function<void()>> callbacks_;
};

} // namespace kerntune::net
