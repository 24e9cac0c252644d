#include "jobs/actions/action_behaviour.hpp"

#include "jobs/actions/registry.hpp"
#include "jobs/api/action_status.hpp"
#include "jobs/api/text_fields.hpp"

namespace rcbatch::jobs {

namespace {
const ActionBehaviour read_only{};

bool is_success(std::string_view status) {
    return status.size() == 7 && istarts_with(status, "success");
}
}  // namespace

const ActionBehaviour& behaviour_of(const ActionSpec& spec) {
    return spec.behaviour ? *spec.behaviour : read_only;
}

const ActionSpec* reader_of(const ActionSpec& spec) {
    const std::string_view reader = behaviour_of(spec).reader;
    return reader.empty() ? nullptr : find_action(reader);
}

ChangeReply judge_action_object(const boost::json::value& reply) {
    ChangeReply r;
    const auto* o = reply.if_object();
    if (!o) return r;
    r.eaqid = string_field(*o, "eaqid");
    const std::string status = string_field(*o, "actionstatus");
    if (r.eaqid.empty() && status.empty()) return r;
    const std::string desc = string_field(*o, "actionstatusdesc");
    const ActionStatus read =
        status.empty() ? ActionStatus::applied : classify_action_status(status, desc);
    if (read == ActionStatus::applied) {
        r.kind = ChangeReply::Kind::applied;
        return r;
    }
    r.kind = read == ActionStatus::failed ? ChangeReply::Kind::failed : ChangeReply::Kind::pending;
    r.status = desc.empty() ? status : status + ": " + desc;
    return r;
}

ChangeReply judge_status_success(const boost::json::value& reply) {
    if (const auto* text = reply.if_string(); text && istarts_with(*text, "success"))
        return {ChangeReply::Kind::applied, "", ""};
    ChangeReply r = judge_action_object(reply);
    if (r.kind != ChangeReply::Kind::not_an_action) return r;
    if (const auto* o = reply.if_object(); o && is_success(string_field(*o, "status")))
        r.kind = ChangeReply::Kind::applied;
    return r;
}

}  // namespace rcbatch::jobs
