// A server that echoes the key (in error messages, in an HTML page quoting the request) must
// not put it into any file or output: one redaction point for everything recorded or printed.
#include "engine/secret/redact.hpp"
#include "sandbox/api/faults.hpp"
#include "tests/support/run_fixture.hpp"

namespace redaction_test {

using namespace rcbatch;
using namespace rcbatch::test;

TEST_SUITE("never twice: the key") {
    TEST_CASE("a canary key echoed by the server is in no file and no output") {
        sandbox::Options o = run_options(9);
        o.api_key = "CanaryKey0123456789abcdefXYZ";
        o.faults = sandbox::parse_fault_spec("echo-key=1,502=0.3");
        RunFixture f(o);
        engine::register_secret(o.api_key);  // as rcbatch run does with the profile's key
        auto ids = f.own_orders(active_backup("us"), 6);
        ids.push_back(1);  // "No Entity found": an error message that echoes the request
        ids.push_back(2);
        auto out = f.run_ids(f.action("backup.details", "us"), ids, f.settings());
        CHECK(out.count("api_error") == 2);
        for (const auto& r : out.records)
            if (text_of(r.at("outcome")) == "api_error")
                CHECK(text_of(r.at("message")).find("***") != std::string::npos);
        check_no_key(out, o.api_key);
        CHECK(out.every_file.find("Canary") == std::string::npos);
    }

    TEST_CASE("the key's encoded forms and api-key= values are redacted in any text") {
        engine::register_secret("Ab+/=&9Zk");
        CHECK(engine::redact("bad key Ab+/=&9Zk (Ab%2B%2F%3D%269Zk, ab%2b%2f%3d%269Zk)") ==
              "bad key *** (***, ***)");
        CHECK(engine::redact("GET /x?api-key=whatever&y=1") == "GET /x?api-key=***&y=1");
        CHECK(engine::mask_key_like("api-key-env = Zx81Kq0LmN3pQr7StUv2 (profile a)") ==
              "api-key-env = *** (profile a)");
        CHECK(engine::mask_key_like("RCBATCH_API_KEY and /etc/rcbatch/key") ==
              "RCBATCH_API_KEY and /etc/rcbatch/key");
    }
}

}  // namespace redaction_test
