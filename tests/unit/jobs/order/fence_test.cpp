// A fenced change (domain.renew's exp-date <- endtime, api.md §7) step by step: the fence is
// read before the send and sent with it, and a resend after a lost answer that the API refuses
// is decided from the order's state read after it, never from the refusal's words.
#include "flow_script.hpp"
#include "jobs/actions/action_behaviour.hpp"

namespace fence_test {

using namespace rcbatch::test;
using rcbatch::jobs::CallParam;

namespace {
const rcbatch::jobs::ActionSpec& domain_renew() {
    return *rcbatch::jobs::find_action("domain.renew");
}

std::vector<CallParam> params() {
    return {{"years", std::int64_t{1}},
            {"invoice-option", std::string("NoInvoice")},
            {"auto-renew", false}};
}

std::string sent(const OrderFlow& flow, const std::string& name) {
    for (const CallParam& p : flow.params())
        if (p.name == name) return std::get<std::string>(p.value);
    return "";
}

// A renew whose answer was lost, nothing showing it twice, then its resend refused.
std::vector<Line> resend_refused() {
    return {read_order(details("Active", end_before)),
            claim(),
            send(lost()),
            read_log(log_of({})),
            read_order(details("Active", end_before)),
            wait(),
            read_log(log_of({})),
            read_order(details("Active", end_before)),
            send(api_error("The expiry date given does not match the domain's"))};
}
}  // namespace

TEST_SUITE("fence") {
    TEST_CASE("the fence is the end time the preflight read, sent with the change") {
        const auto settings = settings_for(domain_renew());
        OrderFlow flow(domain_renew(), settings, target("100"), "100", params());
        walk(flow, {read_order(details("Active", end_before)), claim(),
                    send(ok(R"({"eaqid":"9","actionstatus":"Success"})"))});
        CHECK(flow.result().outcome == Outcome::ok);
        CHECK(sent(flow, "exp-date") == std::to_string(end_before));
    }

    TEST_CASE("the preflight off: a fenced change still reads the order first") {
        auto settings = settings_for(domain_renew());
        settings.preflight = false;
        OrderFlow flow(domain_renew(), settings, target("100"), "100", params());
        CHECK(flow.step() == OrderFlow::Step::read_order);
    }

    TEST_CASE("a refused resend, and the expiry moved: the first attempt was applied") {
        const auto settings = settings_for(domain_renew());
        OrderFlow flow(domain_renew(), settings, target("100"), "100", params());
        auto script = resend_refused();
        script.push_back(read_log(log_of({})));
        script.push_back(read_order(details("Active", end_before + 365 * 86400)));
        walk(flow, script);
        CHECK(flow.result().outcome == Outcome::ok);
        CHECK(flow.result().message.starts_with("applied (reconciled: expiry moved"));
        CHECK(flow.result().message.find("does not match") == std::string::npos);
    }

    TEST_CASE("a refused resend, and the action log shows the renew: applied") {
        const auto settings = settings_for(domain_renew());
        OrderFlow flow(domain_renew(), settings, target("100"), "100", params());
        auto script = resend_refused();
        script.push_back(read_log(log_of({logged("RenewDomain", now + 5, false)})));
        walk(flow, script);
        CHECK(flow.result().outcome == Outcome::ok);
        CHECK(flow.result().reconciled);
    }

    TEST_CASE("a refused resend, and nothing shows after the settle delay: the refusal stands") {
        const auto settings = settings_for(domain_renew());
        OrderFlow flow(domain_renew(), settings, target("100"), "100", params());
        auto script = resend_refused();
        for (Line l : {read_log(log_of({})), read_order(details("Active", end_before)), wait(),
                       read_log(log_of({})), read_order(details("Active", end_before))})
            script.push_back(l);
        walk(flow, script);
        CHECK(flow.result().outcome == Outcome::api_error);
        CHECK(flow.result().message.find("does not match") != std::string::npos);
        CHECK(flow.step() == OrderFlow::Step::done);
    }

    TEST_CASE("a first send refused is an ordinary failure: nothing to reconcile") {
        const auto settings = settings_for(domain_renew());
        OrderFlow flow(domain_renew(), settings, target("100"), "100", params());
        walk(flow, {read_order(details("Active", end_before)), claim(),
                    send(api_error("Insufficient funds"))});
        CHECK(flow.result().outcome == Outcome::api_error);
        CHECK(flow.result().message == "Insufficient funds");
    }
}

}  // namespace fence_test
