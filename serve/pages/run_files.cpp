#include "serve/pages/run_files.hpp"

#include "engine/store/run_folder_names.hpp"

namespace rcbatch::serve {

namespace names = engine::run_folder_names;

const std::array<RunFileType, 6>& run_file_types() {
    static const std::array<RunFileType, 6> types{{
        {names::records_csv(names::Records::results), "text/csv; charset=utf-8"},
        {names::records_jsonl(names::Records::results), "application/x-ndjson"},
        {names::junit, "application/xml"},
        {names::records_csv(names::Records::plan), "text/csv; charset=utf-8"},
        {names::records_jsonl(names::Records::plan), "application/x-ndjson"},
        {names::summary, "application/json"},
    }};
    return types;
}

std::array<std::string_view, 6> served_run_files() {
    std::array<std::string_view, 6> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = run_file_types()[i].name;
    return out;
}

std::optional<RunFileType> run_file_type(std::string_view name) {
    for (const RunFileType& t : run_file_types())
        if (t.name == name) return t;
    return std::nullopt;
}

}  // namespace rcbatch::serve
