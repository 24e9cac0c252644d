#include "engine/net/handshake_gate.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <stdexcept>

namespace rcbatch::engine {

namespace {

void free_gate(void*, void* gate, CRYPTO_EX_DATA*, int, long, void*) {
    delete static_cast<HandshakeGate*>(gate);
}

int gate_index() {
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, free_gate);
    return index;
}

}  // namespace

void HandshakeGate::install(ssl_ctx_st* ctx, std::size_t limit) {
    if (gate_index() < 0) throw std::runtime_error("cannot set up the TLS handshake gate");
    auto* gate = new HandshakeGate(limit);
    if (SSL_CTX_set_ex_data(ctx, gate_index(), gate) != 1) {
        delete gate;
        throw std::runtime_error("cannot set up the TLS handshake gate");
    }
}

HandshakeGate* HandshakeGate::of(const ssl_ctx_st* ctx) {
    if (ctx == nullptr || gate_index() < 0) return nullptr;
    return static_cast<HandshakeGate*>(SSL_CTX_get_ex_data(ctx, gate_index()));
}

bool HandshakeGate::try_enter() noexcept {
    if (inside_ >= limit_ || !waiters_.empty()) return false;
    peak_ = std::max(peak_, ++inside_);
    return true;
}

void HandshakeGate::leave() {
    if (waiters_.empty()) {
        if (inside_ > 0) --inside_;
        return;
    }
    Waiter* next = waiters_.front();  // the slot passes to it: `inside_` stays
    waiters_.pop_front();
    next->wake();
}

void HandshakeGate::add_waiter(Waiter* waiter) { waiters_.push_back(waiter); }

void HandshakeGate::remove_waiter(Waiter* waiter) noexcept { std::erase(waiters_, waiter); }

}  // namespace rcbatch::engine
