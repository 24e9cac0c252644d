#pragma once
// One TLS client session cache for all the connections made with one client context (a run's
// workers, its selectors and solo callers), so that every connection after the first resumes
// a session instead of a full handshake, and so do reconnects. make_client_tls_context puts
// one in each context it makes.
//
// Sessions are kept per endpoint key (the host connected to, port, server name and proxy): a
// session is never offered to another endpoint, so a resumed connection is always to the host
// whose certificate was verified when the session was made. OpenSSL hands the sessions over
// through its "new session" callback: after the handshake for TLS 1.2, and when a ticket
// arrives (after the handshake, with the first reply) for TLS 1.3. OpenSSL recommends a
// TLS 1.3 ticket be used once: the least-used session is offered first, and a used one only
// when no fresh one is left (a server that refuses a reused ticket makes a full handshake).
//
// "Priming": while the first connection to an endpoint handshakes with nothing to resume,
// others wait (see SessionSettings::resume_wait) for its session, or for its failure, which
// they then share when it stops the run (so a refused certificate costs one connection).
// Not thread-safe: used from the io_context's one thread.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

struct ssl_st;
struct ssl_ctx_st;
struct ssl_session_st;

namespace rcbatch::engine {

class TlsSessionCache {
  public:
    // A connection waiting for the first one's session: woken with the run-stopping failure
    // message of the first connection, or with none (a session came, or nothing useful).
    struct Waiter {
        std::function<void(const std::string& fatal)> wake;
    };

    TlsSessionCache() = default;
    ~TlsSessionCache();
    TlsSessionCache(const TlsSessionCache&) = delete;
    TlsSessionCache& operator=(const TlsSessionCache&) = delete;

    // Gives `ctx` a cache (owned by it, freed with it) and the callback that fills it. Throws
    // std::runtime_error when OpenSSL cannot store it.
    static void install(ssl_ctx_st* ctx);
    // The cache of `ctx`; null when it has none (a context not made by make_client_tls_context).
    static TlsSessionCache* of(const ssl_ctx_st* ctx);
    // Marks `ssl` as a connection to `key` (which must outlive it): sessions it receives are
    // stored under that key.
    static void attach(ssl_st* ssl, const std::string* key);

    // Sets on `ssl` the least-used resumable session kept for `key` and returns true, or
    // returns false when there is none.
    bool offer(const std::string& key, ssl_st* ssl);
    bool has_session(const std::string& key);

    // Keeps a copy of `session` (when resumable) under `key` and wakes its waiters.
    void store(const std::string& key, ssl_session_st* session);

    bool priming(const std::string& key) const;
    // Makes the caller the first connection others wait for; false (no waiting) when the
    // endpoint is known to give no sessions.
    bool start_priming(const std::string& key);
    // The first connection is done handshaking (or failed): wakes its waiters, passing
    // `fatal` (empty unless its failure stops the run). `exchanged`: it completed a whole
    // exchange; if no session came by then, none will: nobody waits for this endpoint again.
    void end_priming(const std::string& key, const std::string& fatal = {}, bool exchanged = false);
    void add_waiter(const std::string& key, Waiter* waiter);
    void remove_waiter(const std::string& key, Waiter* waiter) noexcept;

    std::size_t size(const std::string& key) const;  // sessions kept (for tests)

  private:
    struct Kept {
        ssl_session_st* session = nullptr;
        std::uint64_t uses = 0;
        std::uint64_t order = 0;  // higher is newer
    };
    struct Entry {
        std::deque<Kept> sessions;
        bool priming = false;
        bool gives_none = false;  // a whole exchange brought no session
        std::vector<Waiter*> waiters;
    };
    void prune(Entry& entry);
    void wake(Entry& entry, const std::string& fatal);

    std::map<std::string, Entry> entries_;
    std::uint64_t next_order_ = 0;
};

}  // namespace rcbatch::engine
