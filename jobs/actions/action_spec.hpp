#pragma once
// An API action as data: how it is called, what it takes, what it changes. config/
// validates job files against these specs; the engine issue adds how each reply is read.

#include "engine/net/http_request.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rcbatch::jobs {

using HttpMethod = engine::HttpMethod;

enum class ParamType { integer, number, boolean, string, string_list, integer_list };

// How an action that takes no targets lists its records: page through a search reply, or
// one reply that holds every product's plans.
enum class Listing { none, search_pages, plans };

// What one record of the batch is: a backup order, a domain order (given by id or by
// name), or nothing (the action is one call, or pages through a search).
enum class TargetKind { backup_order, domain_order, none };

struct ActionBehaviour;  // action_behaviour.hpp: what the action does beyond its request

struct ParamSpec {
    std::string_view name;  // as the API names it, e.g. "invoice-option"
    ParamType type;
    bool required;
    std::string_view description;
    std::vector<std::string_view> allowed = {};  // allowed values of a string or list
    std::optional<double> min = {};
    std::optional<double> max = {};
    std::optional<int> max_items = {};    // a list's longest
    std::string_view default_value = {};  // sent when a job gives none, as a cell would write it
    // Not sent: picks the path, `{name}` in it becoming the text of the value ("enable").
    std::vector<std::pair<std::string_view, std::string_view>> in_path = {};
};

struct ActionSpec {
    std::string_view name;  // "backup.renew"
    std::string_view summary;
    HttpMethod method;
    std::string_view path;      // "/api/backup/{region}/renew.json"; {region} is us or asia
    std::string_view id_param;  // the parameter that carries the order id; empty for none
    TargetKind targets;
    bool mutating;     // changes state on the server (or e-mails a customer)
    bool costs_money;  // charged to the reseller's account
    std::vector<ParamSpec> params;
    std::vector<std::string_view> result_fields;  // reply fields worth a report column
    bool secret_output = false;  // the reply is a secret the user asked for (auto-login URL)
    const ActionBehaviour* behaviour = nullptr;  // null: a read, nothing beyond the request
    Listing listing = Listing::none;
    // A search action: the orders it lists (a job's `search` selector uses it for them).
    TargetKind lists = TargetKind::none;
    // Top-level job keys only this action takes ("min-interval", ...).
    std::vector<std::string_view> job_keys = {};
    bool plan_prices = false;  // a renewal priced by plan-details' price per month
    // Where the declaration came from (declared_action.hpp): "built-in", "user", "profile",
    // its file, and the digest of its bytes that plans and reports name.
    std::string_view origin = {};
    std::string_view file = {};
    std::string_view digest = {};
};

std::string_view to_string(HttpMethod m) noexcept;
std::string_view to_string(ParamType t) noexcept;

// Whether the action's path depends on a region (backup.* actions).
bool needs_region(const ActionSpec& spec) noexcept;

// The spec's path with {region} filled in.
std::string path_for(const ActionSpec& spec, std::string_view region);

// `path` with {region} replaced by `region` (a profile's path override, say).
std::string fill_region(std::string_view path, std::string_view region);

// Regions a `region` key may name.
const std::vector<std::string_view>& regions();

}  // namespace rcbatch::jobs
