#pragma once
// Seeded, deterministic sandbox data: the same seed, sizes and `now` give the same dataset.

#include "sandbox/data/model.hpp"

#include <cstdint>
#include <string>

namespace rcbatch::sandbox {

struct SeedSizes {
    std::size_t backups_per_region = 300;
    std::size_t domains = 60;          // raised to the minimum that covers every verification state
    std::size_t foreign_per_kind = 3;  // orders of another reseller: per region and of domains
};

// Backup orders in us and asia (mostly Active, some InActive, Suspended, Deleted; about
// a fifth Active ones ending within 30 days of `now`), .IN / third-level .IN / .BHARAT
// domains covering every verification state (and InActive, Deleted ones), some non-NIXI
// domains, a few orders of `other_reseller`, customers with balances (some too low to pay
// a renewal), and plans for both Acronis product keys. Order ids are distinct.
Dataset make_dataset(std::uint64_t seed, const SeedSizes& sizes, std::int64_t now,
                     const std::string& reseller_id, const std::string& other_reseller_id);

// The fewest domains make_dataset makes whatever `sizes.domains` says.
std::size_t minimum_domains() noexcept;

}  // namespace rcbatch::sandbox
