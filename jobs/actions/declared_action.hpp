#pragma once
// An action file made into what the run reads: the ActionSpec (how it is called, what it
// takes) and the ActionBehaviour (its rules, interpreted by action_rules.hpp). It owns the
// declaration the spec's views point into, so it never moves.

#include "jobs/actions/declaration.hpp"

#include <memory>

namespace rcbatch::jobs {

// A declared parameter as the spec holds it (views into `p`).
ParamSpec param_spec(const DeclaredParam& p);

class DeclaredAction {
  public:
    explicit DeclaredAction(Declaration d);
    DeclaredAction(const DeclaredAction&) = delete;
    DeclaredAction& operator=(const DeclaredAction&) = delete;

    const ActionSpec& spec() const noexcept { return spec_; }
    const Declaration& declaration() const noexcept { return d_; }

  private:
    Declaration d_;
    std::vector<std::string> job_keys_;
    ActionSpec spec_;
    ActionBehaviour behaviour_;
};

}  // namespace rcbatch::jobs
