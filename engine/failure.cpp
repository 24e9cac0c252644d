#include "engine/failure.hpp"

namespace rcbatch::engine {

namespace {

class FailureCategory final : public std::error_category {
  public:
    const char* name() const noexcept override { return "rcbatch"; }
    std::string message(int value) const override {
        switch (static_cast<Failure>(value)) {
            case Failure::bad_input:
                return "bad input";
            case Failure::locked:
                return "the job is locked by another run";
            case Failure::selection_incomplete:
                return "the selection is incomplete";
            case Failure::stopped:
                return "stopped before it started";
            case Failure::files:
                return "the run's files cannot be written";
            case Failure::journal:
                return "the journal cannot be written or read";
            case Failure::state:
                return "the state directory cannot be used";
        }
        return "unknown failure " + std::to_string(value);
    }
};

}  // namespace

const std::error_category& failure_category() noexcept {
    static const FailureCategory category;
    return category;
}

std::error_code make_error_code(Failure failure) noexcept {
    return {static_cast<int>(failure), failure_category()};
}

ExitCode exit_code_of(std::error_code code) noexcept {
    if (!code) return ExitCode::ok;
    if (code.category() != failure_category()) return ExitCode::aborted;
    switch (static_cast<Failure>(code.value())) {
        case Failure::bad_input:
            return ExitCode::bad_input;
        case Failure::locked:
            return ExitCode::locked;
        case Failure::selection_incomplete:
            return ExitCode::orders_failed;
        case Failure::stopped:
        case Failure::files:
        case Failure::journal:
        case Failure::state:
            return ExitCode::aborted;
    }
    return ExitCode::aborted;
}

}  // namespace rcbatch::engine
