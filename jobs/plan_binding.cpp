#include "jobs/plan_binding.hpp"

#include "jobs/run_folder_files.hpp"
#include "jobs/run_journal.hpp"
#include "jobs/text_fields.hpp"

#include <boost/json/serialize.hpp>

#include <openssl/evp.h>

#include <fstream>

namespace rcbatch::jobs {

namespace json = boost::json;

namespace {
std::string shown(const json::value* v) {
    if (!v) return "(none)";
    if (v->is_string()) return std::string(v->get_string());
    return json::serialize(*v);
}

// One line per parameter that differs: its name, the plan's value and the job's.
void param_differences(const json::object& plan, const json::object& now,
                       std::vector<std::string>& out) {
    for (const auto& [name, value] : plan)
        if (const auto* v = now.if_contains(name); !v || *v != value)
            out.push_back(std::string(name) + ": plan " + shown(&value) + ", job " + shown(v));
    for (const auto& [name, value] : now)
        if (!plan.contains(name))
            out.push_back(std::string(name) + ": plan (none), job " + shown(&value));
}

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
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    Sha256 h;
    char buffer[64 * 1024];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
        h.add(std::string_view(buffer, in.gcount()));
    if (in.bad()) return std::nullopt;
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
    b["fingerprint"] = short_sha256(json::serialize(b));
    return b;
}

std::string binding_difference(const json::object& planned, const json::object& now) {
    std::vector<std::string> out;
    for (const char* key : {"action", "region", "params", "targets", "preflight", "account"}) {
        const json::value* a = planned.if_contains(key);
        const json::value* b = now.if_contains(key);
        if (a && b && *a == *b) continue;
        if (a && b && a->is_object() && b->is_object() && std::string_view(key) == "params")
            param_differences(a->get_object(), b->get_object(), out);
        else
            out.push_back(std::string(key) + ": plan " + shown(a) + ", now " + shown(b));
    }
    std::string text;
    for (const std::string& d : out) text += (text.empty() ? "" : "; ") + d;
    return text;
}

std::optional<std::string> plan_refusal(const std::filesystem::path& dir, const std::string& job,
                                        const ActionSpec& spec, const json::object& binding) {
    const SummaryRead summary = RunFolder(dir).read_summary();
    const json::object* o = summary.object ? &*summary.object : nullptr;
    if (!o) return dir.string() + " is not a plan's run folder (no readable summary.json)";
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
    if (std::string diff = binding_difference(planned->get_object(), binding); !diff.empty())
        return "the job changed since the plan in " + dir.string() + ": " + diff +
               "; nothing was sent";
    return std::nullopt;
}

}  // namespace rcbatch::jobs
