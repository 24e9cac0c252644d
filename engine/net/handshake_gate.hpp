#pragma once
// At most a few connections set up at once (TCP, proxy tunnel, TLS handshake) among those made
// with one client context. A handshake holds OpenSSL's handshake state (its message buffer,
// record buffers, key shares, tens of KiB) until it ends; a run that opens C connections at
// once would hold C of them together, and the heap keeps that high-water mark for the whole
// run (about 1.5 MiB of peak RSS at C=64). A connection over the limit waits for a slot, in the
// order it came; a slot given back goes straight to the oldest waiter. make_client_tls_context
// puts one gate in each context it makes. Not thread-safe: used from the io_context's one
// thread.

#include <cstddef>
#include <deque>
#include <functional>

struct ssl_ctx_st;

namespace rcbatch::engine {

class HandshakeGate {
  public:
    // A connection waiting for a slot; woken once the slot is its own.
    struct Waiter {
        std::function<void()> wake;
    };

    explicit HandshakeGate(std::size_t limit) : limit_(limit == 0 ? 1 : limit) {}
    HandshakeGate(const HandshakeGate&) = delete;
    HandshakeGate& operator=(const HandshakeGate&) = delete;

    // Gives `ctx` a gate of `limit` slots (owned by it, freed with it). Throws
    // std::runtime_error when OpenSSL cannot store it.
    static void install(ssl_ctx_st* ctx, std::size_t limit);
    // The gate of `ctx`; null when it has none (a context not made by make_client_tls_context).
    static HandshakeGate* of(const ssl_ctx_st* ctx);

    // Takes a slot when one is free and nobody waits for one.
    bool try_enter() noexcept;
    // Gives a slot back: to the oldest waiter (woken, the slot now its own), else to the gate.
    void leave();
    // Queues a waiter for the next slot given back; remove it unless it was woken.
    void add_waiter(Waiter* waiter);
    void remove_waiter(Waiter* waiter) noexcept;

    std::size_t limit() const noexcept { return limit_; }
    std::size_t inside() const noexcept { return inside_; }
    std::size_t peak() const noexcept { return peak_; }  // the most slots ever taken at once

  private:
    std::size_t limit_;
    std::size_t inside_ = 0;
    std::size_t peak_ = 0;
    std::deque<Waiter*> waiters_;
};

}  // namespace rcbatch::engine
