// An action rcbatch does not ship, added with no rebuild: jobs/examples/actions/orders.suspend.toml
// copied into $XDG_CONFIG_HOME/rcbatch/actions/ is listed as the user's, planned, run against
// `rcbatch sandbox` (which knows orders/suspend.json), journaled and claimed in the ledger like a
// built-in change, skipped when run again, and a plan made with it is refused once it changed.

#include "tests/e2e/run/run_e2e_support.hpp"

namespace declared_action_test {

namespace {

constexpr std::uint64_t seed = 5;

// The first `n` own Active domain orders of the sandbox under `seed`.
std::vector<std::int64_t> active_domains(std::size_t n) {
    rcbatch::sandbox::Options o;
    o.seed = seed;
    rcbatch::sandbox::Service service(o);
    std::vector<std::int64_t> ids;
    for (const auto& [id, order] : service.data().orders)
        if (order.reseller_id == service.credentials().userid &&
            order.kind == rcbatch::sandbox::OrderKind::domain && order.status == "Active" &&
            ids.size() < n)
            ids.push_back(static_cast<std::int64_t>(id));
    REQUIRE(ids.size() == n);
    return ids;
}

// A job suspending `ids` through profile "t" (run_e2e_support's profile_file).
std::string suspend_job(const fs::path& dir, const std::string& name,
                        const std::vector<std::int64_t>& ids) {
    const fs::path path = dir / (name + ".toml");
    std::ofstream out(path);
    out << "name = \"" << name << "\"\naction = \"orders.suspend\"\nprofile = \"t\"\n"
        << "\n[targets]\norder-ids = [";
    for (std::size_t i = 0; i < ids.size(); ++i) out << (i ? ", " : "") << ids[i];
    out << "]\n\n[params]\nreason = \"abuse report\"\n\n[run]\nconcurrency = 2\nrate = 0.0\n"
        << "timeout = \"5s\"\n";
    return path.string();
}

std::string status_of(const rcbatch::test::SandboxChild& sb, std::int64_t id) {
    const auto order = sb.admin("/_sandbox/order?order-id=" + std::to_string(id));
    return std::string(order.at("currentstatus").as_string());
}

std::vector<fs::path> folders_of(const fs::path& reports, const std::string& job) {
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(reports / job, ec))
        if (e.is_directory()) found.push_back(e.path());
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace

TEST_SUITE("e2e: a declared action") {
    TEST_CASE("orders.suspend from the user's folder: listed, planned, run, journaled, skipped") {
        TempDir tmp{"rcbatch-e2e-declared"};
        const fs::path actions = tmp.path / "xdg/rcbatch/actions";
        fs::create_directories(actions);
        const fs::path action_file = actions / "orders.suspend.toml";
        fs::copy_file(source("jobs/examples/actions/orders.suspend.toml"), action_file);

        SandboxProcess sb(tmp.path, seed);
        const std::string config = profile_file(tmp.path, sb.userid, sb.url, sb.ca_file);
        const fs::path reports = tmp.path / "reports";
        const std::map<std::string, std::string> env{
            {"RCBATCH_API_KEY", sb.key},
            {"XDG_CONFIG_HOME", (tmp.path / "xdg").string()},
            {"RCBATCH_STATE_DIR", (tmp.path / "state").string()},
            {"RCBATCH_CONFIG", ""}};
        const auto ids = active_domains(5);
        const std::vector<std::int64_t> suspended(ids.begin(), ids.begin() + 3);
        const std::vector<std::int64_t> later(ids.begin() + 3, ids.end());

        // rcbatch actions: the user's file, by path and digest.
        auto listed = run_rcbatch({"actions", "orders.suspend"}, env);
        CAPTURE(listed.err);
        REQUIRE(listed.exit_code == 0);
        CHECK(listed.out.find("orders.suspend  POST /api/orders/suspend.json  [changes state]") !=
              std::string::npos);
        CHECK(listed.out.find("from: user " + action_file.string() + " (sha256:") !=
              std::string::npos);
        CHECK(listed.out.find("reason") != std::string::npos);
        // Without the folder the action is unknown: nothing of it is built in.
        auto unknown = run_rcbatch({"actions", "orders.suspend"},
                                   {{"XDG_CONFIG_HOME", (tmp.path / "empty").string()}});
        CHECK(unknown.exit_code == 2);
        CHECK(unknown.err.find("unknown action 'orders.suspend'") != std::string::npos);

        const std::string job = suspend_job(tmp.path, "suspend-some", suspended);
        const auto common = [&](std::vector<std::string> args) {
            args.insert(args.end(),
                        {"--config", config, "--report-dir", reports.string(), "--quiet"});
            return args;
        };

        // plan: the file's plan text with the state read, nothing sent.
        auto plan =
            run_rcbatch({"plan", job, "--config", config, "--report-dir", reports.string()}, env);
        CAPTURE(plan.err);
        REQUIRE(plan.exit_code == 0);
        CAPTURE(plan.out);
        CHECK(plan.out.find("suspend (abuse report), now Active") != std::string::npos);
        CHECK(sb.child.counters("orders.suspend").empty());
        for (auto id : suspended) CHECK(status_of(sb.child, id) == "Active");

        // run: each order suspended once, with the reports of any run.
        auto run = run_rcbatch(common({"run", job}), env);
        CAPTURE(run.err);
        REQUIRE(run.exit_code == 0);
        const auto counters = sb.child.counters("orders.suspend");
        for (auto id : suspended) {
            CAPTURE(id);
            CHECK(status_of(sb.child, id) == "Suspended");
            const auto it = counters.find(std::to_string(id));
            REQUIRE(it != counters.end());
            CHECK(it->second == std::pair<std::uint64_t, std::uint64_t>{1, 1});
        }
        auto folders = folders_of(reports, "suspend-some");
        REQUIRE(folders.size() == 2);  // the plan's, the run's
        const fs::path dir = folders.back();
        for (const char* file : {"results.csv", "summary.json", "report.html", "journal.jsonl"})
            CHECK_MESSAGE(fs::exists(dir / file), file);
        const Reports rep = read_reports(dir);
        check_one_record_per_target(rep, suspended.size());
        CHECK(rep.count("ok") == suspended.size());
        const std::string declaration(rep.summary.at("declaration").as_string());
        CHECK(declaration.starts_with("user sha256:"));
        CHECK(listed.out.find("(" + declaration.substr(5) + ")") != std::string::npos);
        CHECK(slurp(dir / "report.html").find(declaration) != std::string::npos);
        // The journal names the declaration and each change's answer.
        const std::string journal = slurp(dir / "journal.jsonl");
        CHECK(journal.find("\"declaration\":\"" + declaration.substr(5) + "\"") !=
              std::string::npos);
        CHECK(journal.find("\"action\":\"orders.suspend\"") != std::string::npos);

        // The ledger: history of an order and the runs.
        auto history = run_rcbatch({"history", std::to_string(suspended.front())}, env);
        CAPTURE(history.out);
        CHECK(history.exit_code == 0);
        CHECK(history.out.find("orders.suspend  ok  action ") != std::string::npos);
        CHECK(history.out.find("job suspend-some") != std::string::npos);
        auto runs = run_rcbatch({"runs", "--job", "suspend-some"}, env);
        CAPTURE(runs.out);
        CHECK(runs.exit_code == 0);
        CHECK(runs.out.find("suspend-some  run  orders.suspend") != std::string::npos);
        CHECK(runs.out.find("finished  ok 3") != std::string::npos);

        // Run again: every order is skipped as already suspended, nothing sent.
        auto again = run_rcbatch(common({"run", job}), env);
        CAPTURE(again.err);
        CHECK(again.exit_code == 0);
        folders = folders_of(reports, "suspend-some");
        REQUIRE(folders.size() == 3);
        const Reports second = read_reports(folders.back());
        check_one_record_per_target(second, suspended.size());
        CHECK(second.count("skipped") == suspended.size());
        for (const auto& rec : second.records) CHECK(rec.at("message") == "already Suspended");
        CHECK(sb.child.counters("orders.suspend") == counters);

        // A plan made with the file, then the file changed: the plan is refused, nothing sent.
        const std::string later_job = suspend_job(tmp.path, "suspend-later", later);
        auto later_plan = run_rcbatch(common({"plan", later_job}), env);
        CAPTURE(later_plan.err);
        REQUIRE(later_plan.exit_code == 0);
        const auto plan_dirs = folders_of(reports, "suspend-later");
        REQUIRE(plan_dirs.size() == 1);
        std::string text = slurp(action_file);
        const std::string old_summary = "summary = \"Suspend a domain order\"";
        REQUIRE(text.find(old_summary) != std::string::npos);
        text.replace(text.find(old_summary), old_summary.size(),
                     "summary = \"Suspend a domain order (edited)\"");
        std::ofstream(action_file, std::ios::trunc) << text;
        auto stale =
            run_rcbatch(common({"run", later_job, "--plan", plan_dirs.front().string()}), env);
        CAPTURE(stale.err);
        CHECK(stale.exit_code == 2);
        CHECK(stale.err.find("declaration: plan " + declaration.substr(5) + ", now sha256:") !=
              std::string::npos);
        CHECK(stale.err.find("nothing was sent") != std::string::npos);
        for (auto id : later) {
            CHECK(status_of(sb.child, id) == "Active");
            CHECK(sb.child.counters("orders.suspend").count(std::to_string(id)) == 0);
        }
        check_no_key(sb.key, {listed.out, plan.out, plan.err, run.out, run.err, rep.every_file,
                              again.err, stale.err});
    }
}

}  // namespace declared_action_test
