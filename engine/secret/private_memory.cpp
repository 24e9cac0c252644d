#include "engine/secret/private_memory.hpp"

#include <cstring>
#include <sys/prctl.h>
#include <sys/resource.h>

namespace rcbatch::engine {

bool keep_memory_private() noexcept {
    const rlimit no_core{0, 0};
    const bool core_off = ::setrlimit(RLIMIT_CORE, &no_core) == 0;
    const bool undumpable = ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0;
    return core_off && undumpable;
}

void wipe(std::string& text) noexcept {
    // explicit_bzero: a plain memset before a free may be optimised away.
    ::explicit_bzero(text.data(), text.capacity());
    text.clear();
}

WipedString& WipedString::operator=(const WipedString& other) {
    if (this != &other) {
        wipe(*this);  // a longer copy reallocates: the old bytes would be freed as they are
        std::string::operator=(other);
    }
    return *this;
}

WipedString& WipedString::operator=(WipedString&& other) noexcept {
    if (this != &other) {
        wipe(*this);
        std::string::operator=(std::move(other));
    }
    return *this;
}

}  // namespace rcbatch::engine
