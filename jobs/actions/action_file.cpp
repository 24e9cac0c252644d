#include "jobs/actions/action_file.hpp"

#include "engine/text/display_text.hpp"
#include "engine/text/toml_reader.hpp"
#include "jobs/actions/action_rules.hpp"
#include "jobs/actions/declared_action.hpp"
#include "jobs/actions/param_declarations.hpp"
#include "jobs/actions/text_template.hpp"
#include "jobs/money/term.hpp"
#include "jobs/plan/plan_binding.hpp"
#include "jobs/select/param_cells.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace rcbatch::jobs {

namespace {

using engine::TomlReader;

const std::vector<std::string_view> top_keys{
    "name",          "summary",    "class",   "method",    "path",
    "id-param",      "targets",    "lists",   "reply",     "result-fields",
    "secret-output", "price-list", "plan",    "done-verb", "replaces-built-in",
    "params",        "preflight",  "evidence"};
const std::vector<std::string_view> rule_kinds{"unless",     "when",           "when-empty",
                                               "unless-any", "expires-within", "since-last-sent"};
const std::vector<std::string_view> rule_keys{
    "unless", "when",   "when-empty", "unless-any", "expires-within", "since-last-sent",
    "in",     "equals", "compare",    "reason",     "missing"};

// A field reference at `key`, checked.
std::optional<FieldRef> field_at(TomlReader& r, std::string_view key) {
    auto text = r.string(key, false);
    if (!text) return std::nullopt;
    std::string error;
    if (!valid_field_ref(*text, error)) {
        r.error_at_key(key, error);
        return std::nullopt;
    }
    return *text;
}

class FileReader {
  public:
    FileReader(const toml::table& root, const std::string& file, engine::Diagnostics& out,
               const FindAction& find)
        : file_(file), out_(out), find_(find), r_(root, file, "", out) {}

    Declaration read() {
        r_.allow_only(top_keys);
        read_head();
        d_.params = read_declared_params(r_, d_.id_param);
        read_preflight();
        read_evidence();
        read_texts();
        if (head_ok_) check_safety();
        return std::move(d_);
    }

  private:
    void read_head() {
        read_kind();
        d_.result_fields = string_list(r_, "result-fields").value_or(std::vector<std::string>{});
        d_.secret_output = r_.boolean("secret-output", false).value_or(false);
        d_.replaces_built_in = r_.boolean("replaces-built-in", false).value_or(false);
        if (auto prices = r_.one_of("price-list", false, {"plan-details"})) d_.plan_prices = true;
    }

    void read_kind() {
        if (auto name = r_.string("name", true)) {
            if (valid_action_name(*name))
                d_.name = *name;
            else
                r_.error_at_key("name", engine::quoted_value(*name) +
                                            " is no action name: lower-case words joined by "
                                            "'.', e.g. \"dns.add-txt-record\"");
        }
        d_.summary = r_.string("summary", true).value_or("");
        auto action_class = pick_word<ActionClass>(r_, "class", true,
                                                   {{"read", ActionClass::read},
                                                    {"change", ActionClass::change},
                                                    {"paid", ActionClass::paid}});
        auto method = pick_word<HttpMethod>(r_, "method", true,
                                            {{"GET", HttpMethod::get}, {"POST", HttpMethod::post}});
        if (auto path = r_.string("path", true)) read_path(*path);
        auto targets = pick_word<TargetKind>(r_, "targets", true,
                                             {{"backup-orders", TargetKind::backup_order},
                                              {"domain-orders", TargetKind::domain_order},
                                              {"none", TargetKind::none}});
        d_.lists = pick_word<TargetKind>(r_, "lists", false,
                                         {{"backup-orders", TargetKind::backup_order},
                                          {"domain-orders", TargetKind::domain_order}})
                       .value_or(TargetKind::none);
        auto reply = pick_word<ReplyKind>(r_, "reply", true,
                                          {{"action", ReplyKind::action},
                                           {"success", ReplyKind::success},
                                           {"value", ReplyKind::value},
                                           {"search-pages", ReplyKind::search_pages},
                                           {"plans", ReplyKind::plans}});
        // What the file is: when one of these is wrong, the checks that depend on it would
        // only repeat that one mistake, so they are left out.
        head_ok_ = action_class && method && targets && reply;
        d_.action_class = action_class.value_or(ActionClass::read);
        d_.method = method.value_or(HttpMethod::get);
        d_.targets = targets.value_or(TargetKind::none);
        d_.reply = reply.value_or(ReplyKind::value);
        d_.id_param = r_.string("id-param", false).value_or("");
        if (!targets) return;
        if (d_.targets != TargetKind::none && d_.id_param.empty() && !r_.has("id-param"))
            r_.error(nullptr,
                     "missing required key 'id-param': the parameter that carries the "
                     "order id (targets are orders)");
        if (d_.targets == TargetKind::none && !d_.id_param.empty())
            r_.error_at_key("id-param", "an action without targets has no order id to send");
        if (r_.has("lists") && reply && d_.reply != ReplyKind::search_pages)
            r_.error_at_key("lists", "only a search (reply = \"search-pages\") lists orders");
    }

    void read_path(const std::string& path) {
        d_.path = path;
        if (!path.starts_with("/api/") || path.find_first_of("?#\\ \t\r\n") != std::string::npos ||
            path.find("..") != std::string::npos)
            r_.error_at_key("path", engine::quoted_value(path) +
                                        " is no API path: it starts with /api/ and has no "
                                        "query, fragment, space or '..'");
    }

    void read_preflight() {
        const toml::table* t = r_.table("preflight", false);
        if (!t) return;
        TomlReader pr(*t, file_, "preflight", out_);
        pr.allow_only({"read", "skip", "refuse", "fence"});
        if (auto reader = pr.string("read", true)) {
            d_.reader = *reader;
            const ActionSpec* spec = find_(*reader);
            if (!spec)
                pr.error_at_key("read", "unknown action " + engine::quoted_value(*reader));
            else if (head_ok_ && (spec->mutating || spec->targets != d_.targets ||
                                  spec->targets == TargetKind::none))
                pr.error_at_key("read", engine::quoted_value(*reader) +
                                            " is not a read of the same orders (a read action "
                                            "with the same targets)");
        }
        read_rules(pr, "skip", false);
        read_rules(pr, "refuse", true);
        for (const toml::table* f : tables(pr, "fence")) {
            TomlReader fr(*f, file_, "preflight.fence", out_);
            fr.allow_only({"param", "field"});
            auto param = fr.string("param", true);
            auto field = field_at(fr, "field");
            if (!fr.has("field")) fr.missing("field");
            if (field && field->starts_with('@')) {
                fr.error_at_key("field", engine::quoted_value(*field) +
                                             ": a fence sends a field of the order by name, "
                                             "not by setting");
                field.reset();
            }
            if (param && field) d_.fences.push_back({*param, *field});
        }
    }

    std::vector<const toml::table*> tables(TomlReader& r, std::string_view key) {
        std::vector<const toml::table*> out;
        const toml::node* n = r.node(key);
        if (!n) return out;
        const toml::array* a = n->as_array();
        if (!a || !a->is_array_of_tables()) {
            r.error_at_key(key, "expected a list of tables ([[" + r.qualified(key) + "]])");
            return out;
        }
        for (const toml::node& item : *a) out.push_back(item.as_table());
        return out;
    }

    void read_rules(TomlReader& pr, std::string_view key, bool refuse) {
        for (const toml::table* t : tables(pr, key)) {
            TomlReader rr(*t, file_, pr.qualified(key), out_);
            rr.allow_only(rule_keys);
            std::vector<std::string_view> kinds;
            for (std::string_view k : rule_kinds)
                if (rr.has(k)) kinds.push_back(k);
            if (kinds.size() != 1) {
                rr.error(nullptr, pr.qualified(key) +
                                      ": a rule needs exactly one of unless, when, when-empty, "
                                      "unless-any, expires-within, since-last-sent");
                continue;
            }
            OrderRule rule;
            rule.refuse = refuse;
            rule.reason = rr.string("reason", true).value_or("");
            const std::string_view kind = kinds.front();
            if (kind == "unless" || kind == "when" || kind == "expires-within") {
                if (auto f = field_at(rr, kind)) rule.fields.push_back(*f);
            } else if (kind == "when-empty" || kind == "unless-any") {
                for (const std::string& f :
                     string_list(rr, kind).value_or(std::vector<std::string>{})) {
                    std::string error;
                    if (!valid_field_ref(f, error)) rr.error_at_key(kind, error);
                    rule.fields.push_back(f);
                }
            } else if (!rr.boolean(kind, true).value_or(false)) {
                rr.error_at_key(kind, "write since-last-sent = true, or leave the rule out");
            }
            if (kind == "unless") rule.kind = OrderRule::Kind::unless_in;
            if (kind == "when")
                rule.kind =
                    rr.has("equals") ? OrderRule::Kind::when_equals : OrderRule::Kind::when_in;
            if (kind == "when-empty") rule.kind = OrderRule::Kind::when_empty;
            if (kind == "unless-any") rule.kind = OrderRule::Kind::unless_any_in;
            if (kind == "expires-within") rule.kind = OrderRule::Kind::expires_within;
            if (kind == "since-last-sent") rule.kind = OrderRule::Kind::since_last;
            const bool wants_in = rule.kind == OrderRule::Kind::unless_in ||
                                  rule.kind == OrderRule::Kind::when_in ||
                                  rule.kind == OrderRule::Kind::unless_any_in;
            if (wants_in) {
                rule.values = string_list(rr, "in", true).value_or(std::vector<std::string>{});
                if (!rr.has("in")) rr.missing("in");
            } else if (rr.has("in")) {
                rr.error_at_key("in", "only unless, when and unless-any compare with a list");
            }
            if (rule.kind == OrderRule::Kind::when_equals) {
                rule.param = rr.string("equals", true).value_or("");
                rule.as_set = compare_as_set(rr);
                if (!rule.param.empty() && !param(rule.param))
                    rr.error_at_key("equals", "no parameter " + engine::quoted_value(rule.param) +
                                                  " in [params]");
            } else if (rr.has("equals")) {
                rr.error_at_key("equals", "only when = FIELD compares with a parameter");
            }
            if (rule.kind == OrderRule::Kind::expires_within)
                rule.missing_reason = rr.string("missing", true).value_or("");
            else if (rr.has("missing"))
                rr.error_at_key("missing", "only expires-within has a reason for a missing time");
            if (rule.kind != OrderRule::Kind::when_equals && rr.has("compare"))
                rr.error_at_key("compare", "only equals compares as a set");
            check_template(rr, "reason", rule.reason, rule.kind == OrderRule::Kind::since_last);
            if (rule.kind == OrderRule::Kind::expires_within)
                check_template(rr, "missing", rule.missing_reason, false);
            d_.order_rules.push_back(std::move(rule));
        }
    }

    bool compare_as_set(TomlReader& r) {
        return r.one_of("compare", false, {"text", "set"}).value_or("text") == "set";
    }

    const DeclaredParam* param(std::string_view name) const {
        for (const DeclaredParam& p : d_.params)
            if (p.name == name) return &p;
        return nullptr;
    }

    void read_evidence() {
        const toml::table* t = r_.table("evidence", false);
        if (!t) return;
        TomlReader er(*t, file_, "evidence", out_);
        er.allow_only({"log-types", "without", "idempotent", "state"});
        d_.log_types = string_list(er, "log-types").value_or(std::vector<std::string>{});
        d_.without_evidence =
            pick_word<WithoutEvidence>(er, "without", false,
                                       {{"reconcile", WithoutEvidence::reconcile},
                                        {"repeat-or-ask", WithoutEvidence::repeat_or_ask}})
                .value_or(WithoutEvidence::reconcile);
        d_.idempotent = er.boolean("idempotent", false).value_or(false);
        if (d_.idempotent && d_.action_class == ActionClass::paid)
            er.error_at_key("idempotent", "a paid change is never sent again on the state alone");
        if (d_.without_evidence == WithoutEvidence::repeat_or_ask &&
            d_.action_class == ActionClass::paid)
            er.error_at_key("without", "a paid change is never repeated without evidence");
        for (const toml::table* s : tables(er, "state")) read_state_rule(*s);
    }

    void read_state_rule(const toml::table& t) {
        TomlReader sr(t, file_, "evidence.state", out_);
        sr.allow_only({"field", "moved", "became", "equals", "compare", "label"});
        StateRule rule;
        if (!sr.has("field")) sr.missing("field");
        rule.field = field_at(sr, "field").value_or("");
        if (rule.field.starts_with('@'))
            sr.error_at_key("field", "the state read again keeps fields by name, not by setting");
        rule.label = sr.string("label", false).value_or("");
        const int kinds = sr.has("moved") + sr.has("became") + sr.has("equals");
        if (kinds != 1) {
            sr.error(nullptr, "evidence.state: a rule needs exactly one of moved, became, equals");
            return;
        }
        if (sr.has("moved")) {
            rule.kind = StateRule::Kind::moved_later;
            sr.one_of("moved", true, {"later"});
        } else if (sr.has("became")) {
            rule.kind = StateRule::Kind::became;
            rule.values = string_list(sr, "became", true).value_or(std::vector<std::string>{});
        } else {
            rule.kind = StateRule::Kind::equals_param;
            rule.param = sr.string("equals", true).value_or("");
            rule.as_set = compare_as_set(sr);
            if (!rule.param.empty() && !param(rule.param))
                sr.error_at_key(
                    "equals", "no parameter " + engine::quoted_value(rule.param) + " in [params]");
        }
        d_.state_rules.push_back(std::move(rule));
    }

    void read_texts() {
        d_.plan_text = r_.string("plan", false).value_or("");
        d_.done_verb = r_.string("done-verb", false).value_or("");
        check_template(r_, "plan", d_.plan_text, false);
    }

    // Every placeholder names a parameter, a field, or (`given`) a value the rule gives.
    void check_template(TomlReader& r, std::string_view key, const std::string& text, bool given) {
        if (!r.has(key)) return;
        std::string error;
        auto t = parse_template(text, error);
        if (!t) {
            r.error_at_key(key, error);
            return;
        }
        for (const auto& piece : t->pieces) {
            if (piece.name.empty()) continue;
            if (given && (piece.name == "since" || piece.name == "min-interval")) continue;
            if (!param(piece.name) && !valid_field_ref(piece.name, error)) {
                r.error_at_key(key,
                               "{" + piece.name + "}: neither a parameter nor a field: " + error);
                return;
            }
            for (const std::string& f : piece.filters) {
                if (f == "after-term" &&
                    !std::any_of(d_.params.begin(), d_.params.end(), [](const DeclaredParam& p) {
                        return p.name == "months" || p.name == "years";
                    })) {
                    r.error_at_key(key, "after-term needs a months or years parameter");
                    return;
                }
                if (f == "name" && !piece.name.starts_with('@')) {
                    r.error_at_key(key, "|name shows the field an @setting names; {" + piece.name +
                                            "} is no setting");
                    return;
                }
            }
        }
    }

    // What a file may not weaken (README "Action files: what a file cannot change").
    void check_safety() {
        const bool changes = d_.action_class != ActionClass::read;
        if (!changes) {
            if (d_.method == HttpMethod::post)
                r_.error_at_key("method",
                                "a read is a GET: POST is for changes (class = "
                                "\"change\" or \"paid\")");
            if (d_.reply == ReplyKind::action || d_.reply == ReplyKind::success)
                r_.error_at_key("reply",
                                "a read's reply is \"value\", \"search-pages\" or "
                                "\"plans\"");
            for (const char* key : {"preflight", "evidence", "done-verb", "plan"})
                if (r_.has(key))
                    r_.error_at_key(key, "only a change (class = \"change\" or \"paid\") has it");
        } else {
            if (d_.method != HttpMethod::post)
                r_.error_at_key("method", "a change is sent with POST");
            if (d_.reply != ReplyKind::action && d_.reply != ReplyKind::success)
                r_.error_at_key("reply", "a change's reply is \"action\" or \"success\"");
            if (d_.targets == TargetKind::none)
                r_.error_at_key("targets",
                                "a change is made on orders: backup-orders or "
                                "domain-orders");
            if (d_.secret_output)
                r_.error_at_key("secret-output", "only a read returns a secret to keep");
            if (d_.done_verb.empty() && !r_.has("done-verb")) r_.missing("done-verb");
            if (d_.plan_text.empty() && !r_.has("plan")) r_.missing("plan");
        }
        if (d_.plan_prices && d_.action_class != ActionClass::paid)
            r_.error_at_key("price-list", "only a paid change has a price to estimate");
        if (d_.plan_prices && !std::any_of(d_.params.begin(), d_.params.end(), [](const auto& p) {
                return p.name == "months" || p.name == "years";
            }))
            r_.error_at_key("price-list", "a price per month needs a months or years parameter");
        const bool has_evidence = !d_.log_types.empty() || !d_.state_rules.empty();
        if (d_.action_class == ActionClass::paid && d_.fences.empty() && !has_evidence)
            r_.error(nullptr,
                     "a paid action needs a fence ([[preflight.fence]]) or evidence "
                     "([evidence] log-types or [[evidence.state]]): without either, a "
                     "lost answer could never be settled");
        if ((!d_.fences.empty() || !d_.state_rules.empty() || !d_.order_rules.empty()) &&
            !r_.has("preflight") && changes)
            r_.error(nullptr,
                     "rules that read the order need [preflight] read = the action "
                     "that reads it");
        if (d_.idempotent && d_.state_rules.empty())
            r_.error(nullptr,
                     "evidence.idempotent: a change sent again on its state needs "
                     "[[evidence.state]] to read it");
        for (const Fence& f : d_.fences) {
            if (param(f.param))
                r_.error(nullptr, "preflight.fence: '" + f.param +
                                      "' is filled from the order's read; it cannot also be a "
                                      "parameter a job sets");
            if (f.param == d_.id_param || f.param == "auth-userid" || f.param == "api-key")
                r_.error(nullptr, "preflight.fence: '" + f.param + "' cannot be fenced");
        }
        check_path_params();
    }

    // `{name}` in the path: the region, or a boolean parameter's in-path text.
    void check_path_params() {
        std::string_view rest = d_.path;
        while (true) {
            const auto open = rest.find('{');
            if (open == std::string_view::npos) break;
            const auto close = rest.find('}', open);
            if (close == std::string_view::npos) {
                r_.error_at_key("path", "a '{' without its '}'");
                return;
            }
            const std::string name(rest.substr(open + 1, close - open - 1));
            const DeclaredParam* p = param(name);
            if (name == "region") {
                if (d_.targets == TargetKind::domain_order)
                    r_.error_at_key("path", "{region} is for backup orders (us or asia)");
            } else if (!p || p->in_path.empty()) {
                r_.error_at_key("path",
                                "{" + name + "}: neither {region} nor a parameter with in-path");
            }
            rest.remove_prefix(close + 1);
        }
        for (const DeclaredParam& p : d_.params)
            if (!p.in_path.empty() && d_.path.find("{" + p.name + "}") == std::string::npos)
                r_.error(nullptr,
                         "params." + p.name + ".in-path: the path has no {" + p.name + "}");
    }

    const std::string& file_;
    engine::Diagnostics& out_;
    const FindAction& find_;
    TomlReader r_;
    Declaration d_;
    bool head_ok_ = false;
};

}  // namespace

bool valid_action_name(std::string_view name) {
    if (name.size() > 64 || name.find('.') == std::string_view::npos) return false;
    std::size_t start = 0;
    while (start <= name.size()) {
        const auto dot = name.find('.', start);
        const std::string_view word = name.substr(start, dot - start);
        if (word.empty() || !std::all_of(word.begin(), word.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            }))
            return false;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return true;
}

ActionFileRead read_action_file(std::string_view text, const std::string& file, std::string origin,
                                const FindAction& find) {
    ActionFileRead out;
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        out.errors.push_back(
            engine::located(file, e.source(), "TOML syntax: " + std::string(e.description())));
        return out;
    }
    FileReader reader(root, file, out.errors, find);
    Declaration d = reader.read();
    engine::reject_api_keys(root, file, out.errors);
    if (!out.errors.empty()) return out;
    d.file = file;
    d.origin = std::move(origin);
    d.digest = short_sha256(text);
    out.declaration = std::move(d);
    return out;
}

}  // namespace rcbatch::jobs
