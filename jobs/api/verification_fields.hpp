#pragma once
// The names of a domain's verification fields in the API's details reply. api.md §3 marks
// both a guess, so a profile may rename them (email-verification-field, ekyc-verification-field).

namespace rcbatch::jobs {

inline constexpr const char* default_email_verification_field = "emailVerificationStatus";
inline constexpr const char* default_ekyc_verification_field = "eKYCVerificationStatus";

}  // namespace rcbatch::jobs
