#include "serve/pages/style_sheet.hpp"

#include "engine/report/html_report.hpp"

namespace rcbatch::serve {

namespace {
constexpr const char* site_rules =
    R"(nav{display:flex;gap:1em;align-items:center;margin-bottom:1em;flex-wrap:wrap}
nav form{margin-left:auto}nav input{width:18em}
form.filter{display:flex;gap:.6em;flex-wrap:wrap;align-items:end;margin:.5em 0 1em}
form.filter label{display:flex;flex-direction:column;font-size:12px;color:#555}
.pager{display:flex;gap:1em;margin:.8em 0}
.state-running{color:#1565c0;font-weight:600}.state-died{color:#b71c1c;font-weight:600}
.state-stopped{color:#ef6c00}.state-finished{color:#2e7d32}
progress{width:20em}td.outcomes span{margin-right:.6em;white-space:nowrap}
th a{color:inherit;text-decoration:none}th a.sorted{text-decoration:underline}
)";
}  // namespace

const std::string& style_sheet() {
    static const std::string sheet = engine::html_style() + site_rules;
    return sheet;
}

}  // namespace rcbatch::serve
