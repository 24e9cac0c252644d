#include "jobs/plan/plan_binding.hpp"

#include "engine/store/regular_file.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/run/run_journal.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "jobs/run_folder/run_history.hpp"
#include "jobs/select/param_cells.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/evp.h>

#include <cerrno>
#include <unistd.h>

namespace rcbatch::jobs {

namespace json = boost::json;

namespace {
class Sha256 {
  public:
    Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
    ~Sha256() { EVP_MD_CTX_free(ctx_); }
    void add(std::string_view text) { EVP_DigestUpdate(ctx_, text.data(), text.size()); }
    std::string short_hex() {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_DigestFinal_ex(ctx_, digest, &n);
        static constexpr char hex[] = "0123456789abcdef";
        std::string out = "sha256:";
        for (unsigned i = 0; i < 8 && i < n; ++i) {
            out += hex[digest[i] >> 4];
            out += hex[digest[i] & 15];
        }
        return out;
    }

  private:
    EVP_MD_CTX* ctx_;
};
}  // namespace

std::string embedded_sandbox_host(std::string_view ca_pem) {
    return "embedded " + short_sha256(ca_pem);
}

std::string short_sha256(std::string_view text) {
    Sha256 h;
    h.add(text);
    return h.short_hex();
}

std::optional<std::string> file_short_sha256(const std::filesystem::path& file) {
    std::string why;  // the targets file's own check says why, with its name
    const auto in = engine::open_regular_file(file, engine::max_target_file_bytes, why);
    if (!in) return std::nullopt;
    Sha256 h;
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(in->fd(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::nullopt;
        if (n == 0) break;
        h.add(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
    return h.short_hex();
}

json::object plan_binding(const ActionSpec& spec, const std::string& region,
                          const std::vector<CallParam>& params, const std::string& targets,
                          const FlowSettings& flow, const std::string& account) {
    json::object preflight{{"enabled", flow.preflight}};
    const PreflightOptions& p = flow.preflight_options;
    if (p.renew_if_expires_within)
        preflight["renew-if-expires-within-s"] = p.renew_if_expires_within->count();
    if (p.min_interval) preflight["min-interval-s"] = p.min_interval->count();
    json::object b{{"action", spec.name}, {"region", region},       {"params", params_json(params)},
                   {"targets", targets},  {"preflight", preflight}, {"account", account}};
    // The action file's digest: a plan made with one definition is refused with another.
    if (!spec.digest.empty()) b["declaration"] = spec.digest;
    b["fingerprint"] = short_sha256(json::serialize(b));
    return b;
}

std::optional<std::string> binding_difference(const json::object& planned,
                                              const json::object& now) {
    std::vector<std::string> out;
    for (const char* key :
         {"action", "declaration", "region", "params", "targets", "preflight", "account"}) {
        const json::value* a = planned.if_contains(key);
        const json::value* b = now.if_contains(key);
        if (a && b && *a == *b) continue;
        if (a && b && a->is_object() && b->is_object() && std::string_view(key) == "params") {
            auto params = param_differences(a->get_object(), "plan", b->get_object(), "job");
            out.insert(out.end(), params.begin(), params.end());
        } else
            out.push_back(std::string(key) + ": plan " + shown_value(a) + ", now " +
                          shown_value(b));
    }
    if (out.empty()) return std::nullopt;
    std::string text;
    for (const std::string& d : out) text += (text.empty() ? "" : "; ") + d;
    return text;
}

json::object plan_targets_binding(const std::filesystem::path& plan_dir) {
    PlanSource source(plan_dir);
    Sha256 h;
    std::uint64_t orders = 0;
    while (auto t = source.next()) {
        ++orders;
        json::object extra;
        for (const auto& [key, value] : t->extra)
            extra[key] = value.is_object() ? json::parse(params_key(value.get_object())) : value;
        h.add(json::serialize(json::object{
            {"seq", t->seq}, {"given", t->given}, {"id", t->id}, {"extra", params_key(extra)}}));
        h.add("\n");
    }
    return {{"orders", orders}, {"fingerprint", h.short_hex()}};
}

namespace {
// Why the orders of the plan folder `dir` are not the ones its plan bound; nullopt when they are.
std::optional<std::string> plan_targets_changed(const std::filesystem::path& dir,
                                                const json::object& summary) {
    const json::value* planned = summary.if_contains("plan_targets");
    if (!planned || !planned->is_object())
        return dir.string() +
               " records no fingerprint of its orders (made by an older rcbatch): make the plan "
               "again";
    json::object now;
    try {
        now = plan_targets_binding(dir);
    } catch (const std::runtime_error& e) {
        return std::string(e.what()) + "; nothing was sent";
    }
    if (now == planned->get_object()) return std::nullopt;
    const std::string was = shown_value(planned->get_object().if_contains("orders"));
    const std::string is = shown_value(now.if_contains("orders"));
    return "the plan folder " + dir.string() + " was edited since the plan: " +
           (was != is ? "it planned " + was + " orders and now holds " + is
                      : "an order's parameters or the state the plan saw differ (plan.jsonl or "
                        "targets.jsonl)") +
           "; nothing was sent - make the plan again";
}
}  // namespace

std::optional<std::string> plan_refusal(const std::filesystem::path& dir, const std::string& job,
                                        const ActionSpec& spec, const json::object& binding) {
    const SummaryRead summary = RunFolder(dir).read_summary();
    const json::object* o = summary.object ? &*summary.object : nullptr;
    if (!o)
        return dir.string() + " is not a plan's run folder (" +
               (summary.missing ? std::string("no summary.json") : summary.error) + ")";
    const json::value* dry = o->if_contains("dry_run");
    if (!dry || !dry->is_bool() || !dry->as_bool()) return dir.string() + " is a run, not a plan";
    if (string_field(*o, "job") != job) return dir.string() + " is a plan of another job";
    if (string_field(*o, "action") != spec.name)
        return dir.string() + " is a plan of another action";
    const json::value* planned = o->if_contains("binding");
    if (!planned || !planned->is_object())
        return dir.string() + " records no binding (made by an older rcbatch): make the plan again";
    // A plan of another embedded sandbox: its orders were that sandbox's, and it is gone.
    const std::string planned_account = string_field(planned->get_object(), "account");
    if (planned_account.find("/embedded sha256:") != std::string::npos &&
        planned_account != string_field(binding, "account"))
        return dir.string() +
               " is a plan made against an embedded sandbox (--sandbox), which lived only for "
               "that command with orders of its own, so it cannot run here; plan and run in one "
               "command (rcbatch run --sandbox, which plans first under max-charge), or keep a "
               "sandbox running with rcbatch sandbox --state FILE; nothing was sent";
    if (auto diff = binding_difference(planned->get_object(), binding))
        return "the job changed since the plan in " + dir.string() + ": " + *diff +
               "; nothing was sent";
    return plan_targets_changed(dir, *o);
}

}  // namespace rcbatch::jobs
