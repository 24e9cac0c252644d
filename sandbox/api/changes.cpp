#include "sandbox/api/changes.hpp"

#include "sandbox/api/api.hpp"
#include "sandbox/api/service.hpp"

#include <charconv>

namespace rcbatch::sandbox {

namespace {

// Raises the invoice, sets rec's status and the reply's invoice fields in `money`; true when the
// change waits for payment.
bool bill_change(Service& svc, const Order& o, std::string_view invoice_option,
                 std::int64_t price_milli, const std::string& currency, ActionRecord& rec,
                 boost::json::object& money) {
    if (invoice_option == "NoInvoice") {
        rec.actionstatus = "Success";
        rec.actionstatusdesc = "Renewal completed successfully";
        return false;
    }
    auto& customer = svc.data().customers[o.customer_id];
    const bool paid = invoice_option == "PayInvoice" && customer.balance_milli >= price_milli;
    if (paid) customer.balance_milli -= price_milli;
    const std::string invoice =
        std::to_string(svc.add_invoice(o, rec, price_milli, currency, paid));
    const bool waits = invoice_option == "OnlyAdd" || (invoice_option == "PayInvoice" && !paid);
    if (invoice_option == "KeepInvoice") {
        rec.actionstatus = "Success";
        rec.actionstatusdesc = "Renewal completed; invoice " + invoice + " kept for later payment";
    } else if (paid) {
        rec.actionstatus = "InvoicePaid";
        rec.actionstatusdesc = "Invoice paid from the customer's balance; renewal completed";
    } else {
        rec.actionstatus = "Pending";
        rec.actionstatusdesc =
            invoice_option == "OnlyAdd"
                ? "Invoice " + invoice + " added; the renewal is awaiting payment"
                : "The customer's balance does not cover invoice " + invoice +
                      "; the renewal is awaiting payment";
    }
    money["invoiceid"] = invoice;
    money["customerid"] = std::to_string(o.customer_id);
    money["sellingcurrencysymbol"] = currency;
    money["sellingamount"] = format_milli(-price_milli);
    money["unutilisedsellingamount"] = format_milli(paid ? 0 : -price_milli);
    return waits;
}

}  // namespace

bool parse_bool(std::string_view s, bool& out) {
    if (s == "true")
        out = true;
    else if (s == "false")
        out = false;
    else
        return false;
    return true;
}

std::optional<std::int64_t> parse_amount_milli(std::string_view s) {
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || !(v >= 0) || v > 1e9) return std::nullopt;
    return static_cast<std::int64_t>(v * 1000 + 0.5);
}

boost::json::object action_object(const Order& o, const ActionRecord& rec) {
    boost::json::object a;
    a["entityid"] = std::to_string(o.id);
    a["description"] = o.description;
    a["actiontype"] = rec.actiontype;
    a["actiontypedesc"] = rec.actiontypedesc;
    a["eaqid"] = std::to_string(rec.eaqid);
    a["actionstatus"] = rec.actionstatus;
    a["actionstatusdesc"] = rec.actionstatusdesc;
    a["status"] = "Success";
    return a;
}

std::optional<Reply> refuse_change(const Order& o) {
    if (o.status == "Deleted") return api_error(msg::order_deleted);
    if (o.pending) return api_error(msg::action_pending);
    return std::nullopt;
}

bool valid_invoice_option(std::string_view option) {
    return option == "NoInvoice" || option == "PayInvoice" || option == "KeepInvoice" ||
           option == "OnlyAdd";
}

Reply accept_paid_change(Context& ctx, Order& o, ActionRecord& rec, PendingAction change,
                         std::string_view invoice_option, std::int64_t price_milli,
                         const std::string& currency) {
    boost::json::object money;
    change.eaqid = rec.eaqid;
    change.actiontype = rec.actiontype;
    change.awaiting_payment =
        bill_change(ctx.service, o, invoice_option, price_milli, currency, rec, money);
    change.invoice_id = rec.invoice_id;
    ctx.service.accept(ctx, o, rec, std::move(change));
    auto a = action_object(o, rec);
    for (const auto& [key, value] : money) a[key] = value;
    ctx.applied = true;
    return json_reply(a);
}

// Records `type` on `o`, complete (Success), hands it to Service::accept and returns the reply.
Reply accept_change(Context& ctx, Order& o, std::string type, std::string typedesc,
                    PendingAction change) {
    ActionRecord& rec = ctx.service.record_action(o, std::move(type), std::move(typedesc));
    rec.actionstatus = "Success";
    rec.actionstatusdesc = rec.actiontypedesc + " completed successfully";
    change.eaqid = rec.eaqid;
    change.actiontype = rec.actiontype;
    ctx.service.accept(ctx, o, rec, std::move(change));
    ctx.applied = true;
    return json_reply(action_object(o, rec));
}

}  // namespace rcbatch::sandbox
