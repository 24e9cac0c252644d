// The key in memory (issue #20): no core file, no ptrace attachment, and its copies
// overwritten before their memory is freed.

#include "engine/secret/private_memory.hpp"

#include <doctest/doctest.h>

#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace private_memory_test {

using namespace rcbatch::engine;

TEST_SUITE("private memory") {
    TEST_CASE("after keep_memory_private the process dumps no core and is not dumpable") {
        const pid_t child = ::fork();
        if (child == 0) {  // in a child: the test runner itself stays as it was
            rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
            ::setrlimit(RLIMIT_CORE, &unlimited);  // as `ulimit -c unlimited` leaves it
            const bool held = keep_memory_private();
            rlimit core{};
            ::getrlimit(RLIMIT_CORE, &core);
            const bool ok = held && core.rlim_cur == 0 && core.rlim_max == 0 &&
                            ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0;
            std::_Exit(ok ? 0 : 1);
        }
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }

    TEST_CASE("wipe overwrites every byte the string owns, then empties it") {
        std::string key(40, 'K');
        const char* bytes = key.data();
        const std::size_t capacity = key.capacity();
        wipe(key);
        CHECK(key.empty());
        CHECK(key.data() == bytes);  // the same buffer, still owned: safe to look at
        for (std::size_t i = 0; i < capacity; ++i) CHECK(bytes[i] == '\0');
    }

    TEST_CASE("a WipedString copies, moves and assigns like a string") {
        WipedString a("Zx81Kq0LmN3pQr7StUv2Wy4Ab6Cd8Ef0");
        WipedString b = a;
        CHECK(b == a);
        WipedString c = std::move(b);
        CHECK(c == a);
        c = WipedString("short");
        CHECK(c == "short");
        c = a;
        CHECK(c == a);
        const std::string_view view = c;
        CHECK(view.size() == 32);
    }
}

}  // namespace private_memory_test
