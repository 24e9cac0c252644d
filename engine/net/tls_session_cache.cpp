#include "engine/net/tls_session_cache.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <ctime>
#include <stdexcept>

namespace rcbatch::engine {

namespace {

// Enough for the tickets a few reconnects bring; older ones go first.
constexpr std::size_t max_sessions_per_endpoint = 16;

void free_cache(void*, void* cache, CRYPTO_EX_DATA*, int, long, void*) {
    delete static_cast<TlsSessionCache*>(cache);
}

int context_index() {
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, free_cache);
    return index;
}

int connection_index() {
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

// OpenSSL's "new session" callback: a session (TLS 1.2) or ticket (TLS 1.3) arrived.
int on_new_session(SSL* ssl, SSL_SESSION* session) {
    auto* cache = TlsSessionCache::of(SSL_get_SSL_CTX(ssl));
    const auto* key = static_cast<const std::string*>(SSL_get_ex_data(ssl, connection_index()));
    if (cache != nullptr && key != nullptr) cache->store(*key, session);
    return 0;  // the cache keeps a copy, not this reference
}

bool expired(SSL_SESSION* session) {
    const auto started = SSL_SESSION_get_time(session);
    const auto lifetime = SSL_SESSION_get_timeout(session);
    return started + lifetime <= static_cast<long>(std::time(nullptr));
}

}  // namespace

TlsSessionCache::~TlsSessionCache() {
    for (auto& [key, entry] : entries_)
        for (auto& kept : entry.sessions) SSL_SESSION_free(kept.session);
}

void TlsSessionCache::install(ssl_ctx_st* ctx) {
    if (context_index() < 0 || connection_index() < 0)
        throw std::runtime_error("cannot set up the TLS session cache");
    auto* cache = new TlsSessionCache();
    if (SSL_CTX_set_ex_data(ctx, context_index(), cache) != 1) {
        delete cache;
        throw std::runtime_error("cannot set up the TLS session cache");
    }
    // Client sessions go to the callback only: OpenSSL's own store would never be consulted.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, on_new_session);
}

TlsSessionCache* TlsSessionCache::of(const ssl_ctx_st* ctx) {
    if (ctx == nullptr || context_index() < 0) return nullptr;
    return static_cast<TlsSessionCache*>(SSL_CTX_get_ex_data(ctx, context_index()));
}

void TlsSessionCache::attach(ssl_st* ssl, const std::string* key) {
    SSL_set_ex_data(ssl, connection_index(), const_cast<std::string*>(key));
}

void TlsSessionCache::prune(Entry& entry) {
    std::erase_if(entry.sessions, [](const Kept& kept) {
        const bool gone = SSL_SESSION_is_resumable(kept.session) != 1 || expired(kept.session);
        if (gone) SSL_SESSION_free(kept.session);
        return gone;
    });
}

bool TlsSessionCache::offer(const std::string& key, ssl_st* ssl) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return false;
    prune(it->second);
    auto& sessions = it->second.sessions;
    if (sessions.empty()) return false;
    auto best =
        std::min_element(sessions.begin(), sessions.end(), [](const Kept& a, const Kept& b) {
            return a.uses != b.uses ? a.uses < b.uses : a.order > b.order;
        });
    // A copy again: a connection freed without a close_notify marks its session not
    // resumable, which must not reach the kept one that other connections resume.
    SSL_SESSION* copy = SSL_SESSION_dup(best->session);
    if (copy == nullptr) return false;
    const bool set = SSL_set_session(ssl, copy) == 1;
    SSL_SESSION_free(copy);  // the connection holds its own reference
    if (set) ++best->uses;
    return set;
}

bool TlsSessionCache::has_session(const std::string& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return false;
    prune(it->second);
    return !it->second.sessions.empty();
}

void TlsSessionCache::store(const std::string& key, ssl_session_st* session) {
    // A copy: OpenSSL marks the live session not resumable when its connection is freed
    // without a close_notify, the usual end of a kept-alive connection.
    if (session == nullptr || SSL_SESSION_is_resumable(session) != 1) return;
    SSL_SESSION* copy = SSL_SESSION_dup(session);
    if (copy == nullptr) return;
    Entry& entry = entries_[key];
    if (entry.sessions.size() >= max_sessions_per_endpoint) {
        SSL_SESSION_free(entry.sessions.front().session);
        entry.sessions.pop_front();
    }
    entry.sessions.push_back({copy, 0, ++next_order_});
    entry.gives_none = false;
    wake(entry, {});
}

bool TlsSessionCache::priming(const std::string& key) const {
    auto it = entries_.find(key);
    return it != entries_.end() && it->second.priming;
}

bool TlsSessionCache::start_priming(const std::string& key) {
    Entry& entry = entries_[key];
    entry.priming = !entry.gives_none;
    return entry.priming;
}

void TlsSessionCache::end_priming(const std::string& key, const std::string& fatal,
                                  bool exchanged) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    it->second.priming = false;
    if (exchanged && it->second.sessions.empty()) it->second.gives_none = true;
    wake(it->second, fatal);
}

void TlsSessionCache::wake(Entry& entry, const std::string& fatal) {
    std::vector<Waiter*> waiters;
    waiters.swap(entry.waiters);
    for (Waiter* w : waiters) w->wake(fatal);
}

void TlsSessionCache::add_waiter(const std::string& key, Waiter* waiter) {
    entries_[key].waiters.push_back(waiter);
}

void TlsSessionCache::remove_waiter(const std::string& key, Waiter* waiter) noexcept {
    auto it = entries_.find(key);
    if (it != entries_.end()) std::erase(it->second.waiters, waiter);
}

std::size_t TlsSessionCache::size(const std::string& key) const {
    auto it = entries_.find(key);
    return it == entries_.end() ? 0 : it->second.sessions.size();
}

}  // namespace rcbatch::engine
