#pragma once
// /static/rcbatch.css: report.html's style (engine/report/html_report.hpp, so the run page's
// charts and rows look the same) and the site's own rules.

#include <string>

namespace rcbatch::serve {

const std::string& style_sheet();

}  // namespace rcbatch::serve
