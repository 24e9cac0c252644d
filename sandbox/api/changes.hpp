#pragma once
// What the changing endpoints share (api_backup_changes.cpp, api_domain_changes.cpp): their
// common refusals, the action object their replies carry, the end of a paid change (its
// invoice), and the parameter forms they read.

#include "sandbox/api/reply.hpp"
#include "sandbox/data/model.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::sandbox {

class Service;
struct Context;

// "true" / "false"; false for anything else (and `out` untouched).
bool parse_bool(std::string_view s, bool& out);

// Thousandths from "12.5", "0", "3.125"; nullopt when malformed or negative.
std::optional<std::int64_t> parse_amount_milli(std::string_view s);

// The action object a change's reply is (api.md §4): entityid, eaqid, actiontype, status, ...
boost::json::object action_object(const Order& o, const ActionRecord& rec);

// A refusal common to the changing actions (a deleted order, an action pending), or nullopt.
std::optional<Reply> refuse_change(const Order& o);

// Ends a paid change recorded as `rec`: raises the invoice of `price_milli` in `currency` as
// `invoice_option` says (NoInvoice, PayInvoice, KeepInvoice, OnlyAdd; none for NoInvoice) and
// sets rec's status from it, hands `change` to Service::accept (waiting for payment when unpaid)
// and returns the action object with the invoice fields.
// Records `type` on `o`, complete (Success), hands `change` to Service::accept (now or later,
// as the faults say) and returns the action object: a free change's end.
Reply accept_change(Context& ctx, Order& o, std::string type, std::string typedesc,
                    PendingAction change = {});

Reply accept_paid_change(Context& ctx, Order& o, ActionRecord& rec, PendingAction change,
                         std::string_view invoice_option, std::int64_t price_milli,
                         const std::string& currency);

// Whether `option` is one of the four invoice options.
bool valid_invoice_option(std::string_view option);

}  // namespace rcbatch::sandbox
