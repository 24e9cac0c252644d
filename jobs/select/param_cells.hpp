#pragma once
// Per-order parameters: a target file's cell read with its parameter's own rules (README
// "Per-order parameters"), the JSON they travel in (targets.jsonl, intents, results) and the
// job's parameters with an order's own ones put over them.

#include "jobs/actions/action_spec.hpp"
#include "jobs/api/request_builder.hpp"
#include "jobs/select/target_file_reader.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::jobs {

struct CellValue {
    std::optional<ParamValue> value;  // set when the cell is valid
    std::string error;                // else why not: "must be from 1 to 120, got 0"
};

// Reads one non-empty cell as parameter `p`: integers and numbers in plain decimal, booleans
// true/false (any case), strings as written, lists separated by ';'. Never throws.
CellValue parse_cell(const ParamSpec& p, std::string_view text);

// The parameter of `spec` named `name`, or null.
const ParamSpec* find_param(const ActionSpec& spec, std::string_view name);

// A parameter's range as the messages say it (" from 1 to 120", " at least 0", or ""), and
// whether `v` is in it: the same rules for the job file's [params] and a target file's cells.
std::string param_range_text(const ParamSpec& p);
bool param_in_range(const ParamSpec& p, double v);

// What a job says about its target file's columns.
struct ColumnRules {
    const ActionSpec* spec = nullptr;
    std::vector<std::string> keep;      // [targets] keep-columns: context, carried to reports
    std::vector<std::string> defaults;  // the parameters [params] gives a value
};

struct CellProblem {
    int col = 1;
    std::string message;  // "months: must be from 1 to 120, got 0"
};

// One line's cells read by `rules`: its own parameters (non-empty cells), its kept columns,
// the bad cells, and the columns that are neither (unknown, in order). A required parameter
// without a cell or a default is a problem at column 1.
struct LineParams {
    std::vector<CallParam> params;
    std::vector<std::pair<std::string, std::string>> kept;
    std::vector<CellProblem> problems;
    std::vector<std::string> unknown;
};
LineParams line_params(const ColumnRules& rules, const std::vector<TargetCell>& cells);

// A value as JSON, and back (nullopt for JSON no parameter can hold).
boost::json::value param_json(const ParamValue& value);
std::optional<ParamValue> param_from_json(const boost::json::value& value);

// A value as one report cell: "12", "true", "NoInvoice", "a;b".
std::string param_text(const ParamValue& value);

// A target's own parameters as one text that two targets share exactly when they give the
// same values: the members sorted by name, serialized ({"months":12}; "{}" for none).
std::string params_key(const boost::json::object& params);

// A JSON value as a difference shows it: a string as it is, "(none)" for none, else JSON.
std::string shown_value(const boost::json::value* v);

// Each parameter whose value differs between `a` and `b`, as "months: plan 1, job 60" (with
// `a_name` "plan" and `b_name` "job"); one missing on a side shows as "(none)".
std::vector<std::string> param_differences(const boost::json::object& a, std::string_view a_name,
                                           const boost::json::object& b, std::string_view b_name);

// `job` with each of `own` replacing the job's value of the same name (kept in the job's
// order), and own names the job lacks appended.
std::vector<CallParam> merged_params(const std::vector<CallParam>& job,
                                     const std::vector<CallParam>& own);

}  // namespace rcbatch::jobs
