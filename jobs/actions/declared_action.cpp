#include "jobs/actions/declared_action.hpp"

#include "jobs/actions/action_rules.hpp"

namespace rcbatch::jobs {

std::vector<std::string> job_keys_of(const Declaration& d) {
    std::vector<std::string> keys;
    for (const OrderRule& r : d.order_rules) {
        if (r.kind == OrderRule::Kind::expires_within) keys.push_back("renew-if-expires-within");
        if (r.kind == OrderRule::Kind::since_last) keys.push_back("min-interval");
    }
    if (d.without_evidence == WithoutEvidence::repeat_or_ask) keys.push_back("repeat-resend");
    return keys;
}

ParamSpec param_spec(const DeclaredParam& p) {
    ParamSpec s{.name = p.name,
                .type = p.type,
                .required = p.required,
                .description = p.description,
                .min = p.min,
                .max = p.max,
                .max_items = p.max_items,
                .default_value = p.default_value};
    for (const std::string& a : p.allowed) s.allowed.push_back(a);
    for (const auto& [value, text] : p.in_path) s.in_path.emplace_back(value, text);
    return s;
}

namespace {

Listing listing_of(ReplyKind r) {
    if (r == ReplyKind::search_pages) return Listing::search_pages;
    if (r == ReplyKind::plans) return Listing::plans;
    return Listing::none;
}

}  // namespace

DeclaredAction::DeclaredAction(Declaration d) : d_(std::move(d)), job_keys_(job_keys_of(d_)) {
    const bool changes = d_.action_class != ActionClass::read;
    spec_ = ActionSpec{.name = d_.name,
                       .summary = d_.summary,
                       .method = d_.method,
                       .path = d_.path,
                       .id_param = d_.id_param,
                       .targets = d_.targets,
                       .mutating = changes,
                       .costs_money = d_.action_class == ActionClass::paid,
                       .params = {},
                       .result_fields = {},
                       .secret_output = d_.secret_output,
                       .behaviour = changes ? &behaviour_ : nullptr,
                       .listing = listing_of(d_.reply),
                       .lists = d_.lists,
                       .job_keys = {},
                       .plan_prices = d_.plan_prices,
                       .origin = d_.origin,
                       .file = d_.file,
                       .digest = d_.digest};
    for (const DeclaredParam& p : d_.params) spec_.params.push_back(param_spec(p));
    for (const std::string& f : d_.result_fields) spec_.result_fields.push_back(f);
    for (const std::string& k : job_keys_) spec_.job_keys.push_back(k);
    if (!changes) return;

    const Declaration* decl = &d_;
    behaviour_.reader = d_.reader;
    behaviour_.preflight = [decl](std::string_view id, const boost::json::object& details,
                                  const PreflightOptions& options, std::int64_t now,
                                  const std::vector<CallParam>& params) {
        return judge_rules(*decl, id, details, options, now, params);
    };
    behaviour_.read_state = [decl](const boost::json::object& details,
                                   const PreflightOptions& options) {
        return declared_state(*decl, details, options);
    };
    behaviour_.judge_reply =
        d_.reply == ReplyKind::action ? judge_action_object : judge_status_success;
    if (!d_.state_rules.empty())
        behaviour_.state_evidence = [decl](const OrderState& before, const OrderState& after,
                                           const std::vector<CallParam>& params) {
            return state_rules_evidence(*decl, before, after, params);
        };
    for (const std::string& t : d_.log_types) behaviour_.log_types.push_back(t);
    behaviour_.without_evidence = d_.without_evidence;
    behaviour_.idempotent = d_.idempotent;
    for (const Fence& f : d_.fences) behaviour_.fences.emplace_back(f.param, f.field);
    behaviour_.plan_text = [decl](const std::vector<CallParam>& params,
                                  const std::optional<OrderState>& state) {
        return declared_plan_text(*decl, params, state);
    };
    behaviour_.done_verb = d_.done_verb;
    behaviour_.read_fields = read_fields(d_);
}

}  // namespace rcbatch::jobs
