#pragma once
// The parameters of a plain backup.renew, as the tests send it: no invoice, auto-renew off.

#include "jobs/api/request_builder.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rcbatch::test {

inline std::vector<jobs::CallParam> renew_params(std::int64_t months = 12) {
    return {
        {"months", months}, {"invoice-option", std::string("NoInvoice")}, {"auto-renew", false}};
}

}  // namespace rcbatch::test
