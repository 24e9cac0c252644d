#include "jobs/api/action_status.hpp"

#include "jobs/api/reply_reader.hpp"
#include "jobs/api/text_fields.hpp"

namespace rcbatch::jobs {

ActionStatus classify_action_status(std::string_view status, std::string_view description) {
    const std::string_view text = status.empty() ? description : status;
    if (matches_any(text, {"fail", "error", "cancel", "reject", "declin"}))
        return ActionStatus::failed;
    if (status.size() == 7 && istarts_with(status, "success")) return ActionStatus::applied;
    return ActionStatus::pending;
}

ActionStatus classify_shown_status(std::string_view shown) {
    const auto colon = shown.find(": ");
    if (colon == std::string_view::npos) return classify_action_status(shown);
    return classify_action_status(shown.substr(0, colon), shown.substr(colon + 2));
}

}  // namespace rcbatch::jobs
