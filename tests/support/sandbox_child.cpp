#include "tests/support/sandbox_child.hpp"

#include "tests/support/files.hpp"
#include "tests/support/sandbox_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/verb.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rcbatch::test {

namespace {
std::vector<std::string> sandbox_args(const std::string& ca_file, std::vector<std::string> extra) {
    std::vector<std::string> args{"sandbox", "--ca-out", ca_file};
    if (std::find(extra.begin(), extra.end(), "--port") == extra.end())
        args.insert(args.end(), {"--port", "0"});
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}
}  // namespace

SandboxChild::SandboxChild(std::string ca, std::vector<std::string> extra,
                           std::chrono::milliseconds limit)
    : ca_file(std::move(ca)), child_(rcbatch_binary(), sandbox_args(ca_file, std::move(extra))) {
    std::map<std::string, std::string> values;
    const auto until = std::chrono::steady_clock::now() + limit;
    while (values.size() < 4) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        auto line = child_.read_line(left);
        if (!line) break;
        if (auto eq = line->find('='); eq != std::string::npos)
            values[line->substr(0, eq)] = line->substr(eq + 1);
    }
    if (!values.contains("RCBATCH_SANDBOX_URL") || !values.contains("RCBATCH_SANDBOX_USERID") ||
        !values.contains("RCBATCH_SANDBOX_API_KEY"))
        throw std::runtime_error("rcbatch sandbox printed no settings: " + child_.err());
    url = values["RCBATCH_SANDBOX_URL"];
    userid = values["RCBATCH_SANDBOX_USERID"];
    api_key = values["RCBATCH_SANDBOX_API_KEY"];
    port = static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
}

std::optional<int> SandboxChild::stop(std::chrono::milliseconds limit) {
    child_.signal(SIGTERM);
    return child_.wait(limit);  // still running: the ChildProcess destructor kills and reaps it
}

std::optional<int> SandboxChild::kill(std::chrono::milliseconds limit) {
    child_.signal(SIGKILL);
    return child_.wait(limit);
}

boost::json::object SandboxChild::admin(const std::string& target) const {
    boost::asio::io_context ioc;
    SandboxClient client(ioc, port, slurp(ca_file));
    ClientReply reply = run_until_done(
        ioc, client.request(boost::beast::http::verb::get, target, {}, std::chrono::seconds(5)),
        std::chrono::seconds(10));
    client.close();
    if (!reply.ok() || reply.status != 200)
        throw std::runtime_error(target + ": HTTP " + std::to_string(reply.status) + " " +
                                 reply.body);
    boost::json::value v = reply.json();
    if (!v.is_object()) throw std::runtime_error(target + ": not a JSON object");
    return std::move(v.as_object());
}

std::uint64_t SandboxChild::api_requests() const {
    return admin("/_sandbox/stats").at("api_requests").to_number<std::uint64_t>();
}

std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> SandboxChild::counters(
    const std::string& action) const {
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> out;
    const boost::json::object all = admin("/_sandbox/counters");
    for (const auto& c : all.at("counters").as_array()) {
        const auto& o = c.as_object();
        if (o.at("action").as_string() != action) continue;
        out[std::string(o.at("order-id").as_string())] = {
            o.at("received").to_number<std::uint64_t>(),
            o.at("applied").to_number<std::uint64_t>()};
    }
    return out;
}

std::filesystem::path SandboxChild::write_profile(const std::filesystem::path& file,
                                                  const std::string& name,
                                                  const std::string& environment) const {
    std::ofstream(file) << "[profiles." << name << "]\nenvironment = \"" << environment
                        << "\"\nauth-userid = " << userid << "\nendpoint = \"" << url
                        << "\"\nca-file = \"" << ca_file << "\"\n";
    return file;
}

}  // namespace rcbatch::test
