// GROUP BY ... WITH ROLLUP is refused by every aggregate UDF (fingerprint_agg,
// fingerprint_buckets, fingerprint_advance). MariaDB 10.11 computes each rollup level
// with a copy of the aggregate item (copy_or_same), and the copy's UDF_INIT is a copy of
// the original's, ptr included: all levels share one state, each row is added once per
// level and each level's _clear resets the others' sums, so every group's result and the
// total would be wrong. The copies pass their own UDF_INIT, so _add sees two addresses
// within one group: the group's result is then an error string. (A query of a single row
// gives every level the right result and is not refused.)
#pragma once

#include "udf_abi.hpp"

namespace fingerprint::udf {

// The UDF_INIT that added the group's first row; Clear() at each _clear.
class GroupOwner {
  public:
	void Clear() noexcept { owner_ = nullptr; }
	// False when another UDF_INIT already added rows to this group (WITH ROLLUP).
	bool Accepts(const UDF_INIT *initid) noexcept {
		if (owner_ == nullptr)
			owner_ = initid;
		return owner_ == initid;
	}

  private:
	const UDF_INIT *owner_ = nullptr;
};

// The refusal, after the UDF's name: "error: <name>" + kRollupRefusal.
constexpr const char kRollupRefusal[] =
    " cannot be used WITH ROLLUP (MariaDB shares its state between the rollup levels, which would give "
    "wrong fingerprints): group without ROLLUP";

} // namespace fingerprint::udf
