// Micro-benchmark of engine::redact on three typical records (a results.jsonl line, a
// results.csv row, a JSON log event quoting a request), with the key and a proxy password
// registered, as a run has them (doc/bench.md "Redaction's cost"). Not built by CMake; from the
// source folder:
//   g++ -std=c++20 -O2 -I. tests/bench/redact_bench.cpp engine/secret/redact.cpp \
//       engine/secret/secret_match.cpp engine/text/display_text.cpp -o /tmp/redact_bench
//   /tmp/redact_bench 300000        # wall time: noisy on a shared machine
//   valgrind --tool=callgrind /tmp/redact_bench 3000   # instructions: repeatable
//   valgrind --tool=callgrind /tmp/redact_bench 3000 key-only   # no proxy password
#include "engine/secret/redact.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>
using namespace std::chrono;
int main(int argc, char** argv) {
    rcbatch::engine::register_secret("Zx81Kq0LmN3pQr7StUv2Wy4Ab6Cd8Ef0");
    if (argc <= 2) rcbatch::engine::register_secret("proxyPass9");  // any 2nd argument: key only
    std::vector<std::string> records = {
        R"({"seq":41,"order":"91234567","target":"91234567","action":"backup.renew","outcome":"ok","http_status":200,"message":"","attempts":1,"reconciled":false,"latency_ms":63,"started":"2026-11-30T04:29:50.123Z","finished":"2026-11-30T04:29:50.186Z","fields":{"change":"applied","eaqid":"700000079","actionstatus":"Success","actionstatusdesc":"Order renewed successfully for 12 months","sellingcurrencysymbol":"USD","sellingamount":"-42.000","invoiceid":"88123456","description":"Acronis Backup renewal"}})",
        R"(41,91234567,91234567,backup.renew,ok,200,,1,false,63,2026-11-30T04:29:50.123Z,2026-11-30T04:29:50.186Z,applied,700000079,"{""change"":""applied"",""eaqid"":""700000079"",""actionstatus"":""Success"",""actionstatusdesc"":""Order renewed successfully for 12 months""}")",
        std::string(
            R"({"event":"order","run":"20261130T042950Z","seq":0,"order":"99999999","target":"99999999","outcome":"api_error","message":"No Entity found for Entityid: 99999999 at https://test.httpapi.com/api/backup/us/renew.json?auth-userid=123456&api-key=)") +
            "xx" + R"(&order-id=99999999","http_status":500,"attempts":1})"};
    const int n = argc > 1 ? std::atoi(argv[1]) : 300000;
    std::size_t sink = 0, bytes = 0;
    const auto t0 = steady_clock::now();
    for (int i = 0; i < n; ++i)
        for (const auto& r : records) {
            sink += rcbatch::engine::redact(r).size();
            bytes += r.size();
        }
    const auto t1 = steady_clock::now();
    const double ns = duration<double, std::nano>(t1 - t0).count();
    std::printf("%d x %zu records: %.1f ns/record, %.2f ns/byte (sink %zu)\n", n, records.size(),
                ns / (n * records.size()), ns / bytes, sink);
}
