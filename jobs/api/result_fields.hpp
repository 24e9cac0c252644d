#pragma once
// The useful fields of a successful reply, picked for the report (results.jsonl/.csv).

#include "jobs/actions/action_spec.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

// Picks from an object reply the keys named in `spec.result_fields` (plain lookups: search
// entries have flat keys WITH dots, "orders.endtime"), plus `eaqid`, `actionstatus` and
// `invoiceid` of an action object (a renew/delete reply, recognised by its `eaqid`). Every
// picked "endtime" / "*.endtime" of Unix seconds gets an extra "<key>_iso" field in ISO-8601
// UTC. A reply that is not an object (a bare id, true/false, a text) is kept as "value".
// Secret fields (is_secret_field) are kept only with `keep_secrets` — the caller sets it for
// the action's own requested output; otherwise their value is "***". Every string kept is
// redacted (engine/secret/redact.hpp). Never throws on data.
boost::json::object pick_fields(const ActionSpec& spec, const boost::json::value& reply,
                                bool keep_secrets);

// Whether a reply field holds a secret token: the auto-login URL, passwords, tokens, keys.
bool is_secret_field(std::string_view name) noexcept;

// Unix seconds (a JSON string of digits, as the API sends them, or an integer) as
// "2019-10-26T13:34:52Z"; nullopt for anything else.
std::optional<std::string> unix_seconds_to_iso(const boost::json::value& v);

}  // namespace rcbatch::jobs
