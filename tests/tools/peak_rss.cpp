// peak_rss FILE PROGRAM [ARGS...]: runs PROGRAM and writes its own peak resident memory (KiB)
// to FILE, exiting as it did (128 + the signal when one ended it).
//
// Why not wait4 in the test itself: a process forked from the test program inherits the
// parent's memory high-water mark across exec (Linux keeps it in ru_maxrss), so an e2e test
// whose own process is large (ASan's shadow and quarantine) would measure itself. This small
// program is the parent instead: its child starts from a few pages.
#include <cstdio>
#include <cstdlib>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: peak_rss FILE PROGRAM [ARGS...]\n");
        return 125;
    }
    const pid_t pid = ::fork();
    if (pid < 0) return 125;
    if (pid == 0) {
        ::execv(argv[2], argv + 2);
        std::_Exit(127);
    }
    int status = 0;
    rusage usage{};
    if (::wait4(pid, &status, 0, &usage) != pid) return 125;
    if (std::FILE* out = std::fopen(argv[1], "w")) {
        std::fprintf(out, "%ld\n", usage.ru_maxrss);
        std::fclose(out);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
