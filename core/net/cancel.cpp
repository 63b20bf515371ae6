#include "core/net/cancel.hpp"

#include <utility>

namespace kerntune::net {

void CancelToken::cancel() {
    std::lock_guard lock(mutex_);
    if (cancelled_)
        return;
    cancelled_ = true;
    // Callbacks run under the lock, so that remove() returning means "not running".
    for (auto& [id, callback] : callbacks_)
        callback();
    callbacks_.clear();
    wake_.notify_all();
}

bool CancelToken::cancelled() const {
    std::lock_guard lock(mutex_);
    return cancelled_;
}

bool CancelToken::wait_for(std::chrono::steady_clock::duration duration) const {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, duration, [this] { return cancelled_; });
}

CancelToken::Registration CancelToken::on_cancel(std::function<void()> callback) const {
    std::lock_guard lock(mutex_);
    if (cancelled_) {
        callback();
        return {};
    }
    const std::uint64_t id = next_id_++;
    callbacks_.emplace(id, std::move(callback));
    return Registration(this, id);
}

void CancelToken::remove(std::uint64_t id) const {
    std::lock_guard lock(mutex_);
    callbacks_.erase(id);
}

CancelToken::Registration::Registration(Registration&& other) noexcept
    : token_(std::exchange(other.token_, nullptr)), id_(other.id_) {}

CancelToken::Registration& CancelToken::Registration::operator=(Registration&& other) noexcept {
    if (this != &other) {
        if (token_)
            token_->remove(id_);
        token_ = std::exchange(other.token_, nullptr);
        id_ = other.id_;
    }
    return *this;
}

CancelToken::Registration::~Registration() {
    if (token_)
        token_->remove(id_);
}

} // namespace kerntune::net
