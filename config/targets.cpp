#include "config/targets.hpp"

#include "config/target_file_check.hpp"
#include "engine/text/display_text.hpp"
#include "engine/text/suggest.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/select/target_file_reader.hpp"

#include <algorithm>

namespace rcbatch::config {

namespace {

// A list of ids; `noun` names one in messages ("an order id"). An empty list is an error
// unless `empty_ok`.
std::vector<std::int64_t> read_ids(TomlReader& r, std::string_view key, std::string_view noun,
                                   bool empty_ok = false) {
    std::vector<std::int64_t> ids;
    const toml::node* n = r.node(key);
    const toml::array* list = n ? n->as_array() : nullptr;
    if (!list) {
        r.error_at_key(key, "expected a list of ids, e.g. [91234567, 91234568]");
        return ids;
    }
    if (list->empty() && !empty_ok) r.error_at_key(key, "the list is empty");
    for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::node& item = *list->get(i);
        std::optional<std::int64_t> id;
        if (item.is_integer() && item.as_integer()->get() > 0) id = item.as_integer()->get();
        if (item.is_string()) id = jobs::parse_order_id(item.as_string()->get());
        if (!id) {
            std::string shown = item.is_string()    ? engine::quoted_value(item.as_string()->get())
                                : item.is_integer() ? std::to_string(item.as_integer()->get())
                                                    : std::string(type_name(item));
            r.error(&item, r.qualified(key) + "[" + std::to_string(i) + "]: " + shown + " is not " +
                               std::string(noun) + " (a positive whole number)");
            continue;
        }
        ids.push_back(*id);
    }
    return ids;
}

std::vector<std::string> read_domain_names(TomlReader& r, std::string_view key) {
    std::vector<std::string> names;
    const toml::node* n = r.node(key);
    const toml::array* list = n ? n->as_array() : nullptr;
    if (!list) {
        r.error_at_key(key, "expected a list of domain names, e.g. [\"example.in\"]");
        return names;
    }
    if (list->empty()) r.error_at_key(key, "the list is empty");
    for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::node& item = *list->get(i);
        if (!item.is_string() || !jobs::plausible_domain_name(item.as_string()->get())) {
            std::string shown = item.is_string() ? engine::quoted_value(item.as_string()->get())
                                                 : std::string(type_name(item));
            r.error(&item, r.qualified(key) + "[" + std::to_string(i) + "]: " + shown +
                               " is not a domain name");
            continue;
        }
        names.push_back(item.as_string()->get());
    }
    return names;
}

void read_file_source(TomlReader& r, Targets& t, const std::filesystem::path& job_dir) {
    auto name = r.string("file", true);
    if (!name) return;
    std::filesystem::path path(*name);
    t.file = path.is_absolute() ? path : job_dir / path;
}

std::vector<std::string> read_strings(TomlReader& r, std::string_view key) {
    std::vector<std::string> out;
    const toml::node* n = r.node(key);
    if (!n) return out;
    const toml::array* list = n->as_array();
    if (!list) {
        if (n->is_string()) return {n->as_string()->get()};
        r.error_at_key(key, "expected a list of strings");
        return out;
    }
    for (const toml::node& item : *list) {
        if (item.is_string())
            out.push_back(item.as_string()->get());
        else
            r.error(&item,
                    r.qualified(key) + ": expected a string, got " + std::string(type_name(item)));
    }
    return out;
}

// The order statuses a search may name: api.md §2 for domains; backups have no e-mail
// verification, so the two verification statuses are left out (README "Selectors").
std::vector<std::string_view> order_statuses(jobs::TargetKind kind) {
    std::vector<std::string_view> statuses;
    if (const jobs::ActionSpec* search = jobs::search_action(jobs::TargetKind::domain_order))
        for (const jobs::ParamSpec& p : search->params)
            if (p.name == "status") statuses = p.allowed;
    if (kind != jobs::TargetKind::domain_order)
        std::erase_if(statuses, [](std::string_view s) { return s.ends_with("Verification"); });
    return statuses;
}

// Each status must be one the API knows, spelled as it spells it ("Active", not "active").
void check_statuses(TomlReader& r, const std::vector<std::string>& given, jobs::TargetKind kind) {
    const std::vector<std::string_view> allowed = order_statuses(kind);
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    for (const std::string& status : given) {
        if (std::find(allowed.begin(), allowed.end(), status) != allowed.end()) continue;
        std::string message =
            engine::quoted_value(status) + " is not an order status (" + list + ")";
        if (std::string guess = engine::closest(status, allowed); !guess.empty())
            message += " (did you mean '" + guess + "'?)";
        r.error_at_key("status", message);
    }
}

void read_search(TomlReader& parent, Targets& t, jobs::TargetKind kind) {
    const toml::table* table = parent.table("search", true);
    if (!table) return;
    TomlReader r(*table, parent.file(), parent.qualified("search"), parent.diagnostics());
    std::vector<std::string_view> keys = search_filter_keys();
    if (kind != jobs::TargetKind::domain_order)
        std::erase_if(keys,
                      [](std::string_view k) { return k == "product-keys" || k == "domain-name"; });
    r.allow_only(keys);
    SearchFilter& f = t.search;
    f.status = read_strings(r, "status");
    check_statuses(r, f.status, kind);
    f.expires_within = r.duration(settings::expires_within);
    f.expired_since = r.duration(settings::expired_since);
    if (r.has("order-ids")) f.order_ids = read_ids(r, "order-ids", "an order id");
    if (r.has("customer-ids")) f.customer_ids = read_ids(r, "customer-ids", "a customer id");
    f.product_keys = read_strings(r, "product-keys");
    f.domain_name = r.string("domain-name", false);
    if (f.expires_within && f.expired_since)
        r.error_at_key("expired-since", "choose one of expires-within and expired-since");
}

// exclude-order-ids and exclude-file: orders a search finds that the job leaves out.
void read_exclusions(TomlReader& r, Targets& t, const std::filesystem::path& job_dir) {
    for (std::string_view key : {"exclude-order-ids", "exclude-file"})
        if (r.has(key) && t.source != Targets::Source::search)
            r.error_at_key(key, std::string(key) +
                                    " goes with search = {...}: a list or a file names its "
                                    "orders itself, so leave them out there");
    if (t.source != Targets::Source::search) return;
    std::vector<std::int64_t>& ids = t.search.excluded;
    if (r.has("exclude-order-ids")) ids = read_ids(r, "exclude-order-ids", "an order id", true);
    if (auto name = r.string("exclude-file", false)) {
        std::filesystem::path path(*name);
        t.exclude_file = path.is_absolute() ? path : job_dir / path;
        for (std::int64_t id : read_exclude_file(t.exclude_file, r)) ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}
}  // namespace

const std::vector<std::string_view>& target_source_keys() {
    static const std::vector<std::string_view> keys{"order-ids", "domain-names", "file", "search"};
    return keys;
}

const std::vector<std::string_view>& search_filter_keys() {
    static const std::vector<std::string_view> keys{"status",     "expires-within", "expired-since",
                                                    "order-ids",  "customer-ids",   "product-keys",
                                                    "domain-name"};
    return keys;
}

Targets read_targets(const toml::table* table, jobs::TargetKind kind,
                     const std::filesystem::path& job_dir, TomlReader& root) {
    Targets t;
    if (kind == jobs::TargetKind::none) {
        if (table)
            root.error_at_key("targets",
                              "this action takes no targets; its filters go in [params]");
        return t;
    }
    if (!table) {
        root.error(nullptr,
                   "missing [targets]: name the orders with one of order-ids, "
                   "domain-names, file or search");
        return t;
    }
    TomlReader r(*table, root.file(), "targets", root.diagnostics());
    t.line = static_cast<int>(table->source().begin.line);
    std::vector<std::string_view> allowed = target_source_keys();
    allowed.insert(allowed.end(), {"keep-columns", "exclude-order-ids", "exclude-file"});
    r.allow_only(allowed);
    std::vector<std::string_view> present;
    for (std::string_view key : target_source_keys())
        if (r.has(key)) present.push_back(key);
    if (present.empty()) {
        r.error(nullptr,
                "[targets] names no orders: use one of order-ids, domain-names, file or search");
        return t;
    }
    if (present.size() > 1) {
        r.error_at_key(present[1], "[targets] takes exactly one source, but names both '" +
                                       std::string(present[0]) + "' and '" +
                                       std::string(present[1]) + "'");
        return t;
    }
    const std::string_view source = present.front();
    if (r.has("keep-columns")) {
        t.keep_columns = read_strings(r, "keep-columns");
        if (source != "file")
            r.error_at_key("keep-columns", "keep-columns needs a target file (file = ...)");
    }
    if (source == "order-ids") {
        t.source = Targets::Source::order_ids;
        t.order_ids = read_ids(r, source, "an order id");
    } else if (source == "domain-names") {
        t.source = Targets::Source::domain_names;
        if (kind != jobs::TargetKind::domain_order)
            r.error_at_key(source, "this action takes order ids, not domain names");
        else
            t.domain_names = read_domain_names(r, source);
    } else if (source == "file") {
        t.source = Targets::Source::file;
        read_file_source(r, t, job_dir);
    } else {
        t.source = Targets::Source::search;
        read_search(r, t, kind);
    }
    read_exclusions(r, t, job_dir);
    return t;
}

}  // namespace rcbatch::config
