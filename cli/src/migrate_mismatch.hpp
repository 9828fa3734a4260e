// What a batch's check of the target's row before a change found, in words a DBA can act
// on: the plan (apply_plan.hpp) compares fingerprints only, which is all the hot path
// needs; when one differs (a row changed by hand on the target), this names the first
// differing column and both values: the target's row as read again, the source's from
// the log's old_image of the change that expected it. Runs on the failure path only.
#pragma once

#include "apply_plan.hpp"
#include "migrate_session.hpp"
#include "migrate_target.hpp"

#include <string>

namespace fingerprint::cli::migrate {

// The detail to append to plan.conflict (starts with "; "), or "" when there is nothing
// more to say than the fingerprints. The target must hold its rows as before the batch
// (the caller rolled the batch's DELETE back). The source's image comes from its change
// log's old_image of plan.conflict_seq; without it (capture enabled without old_images)
// the detail says so, and names the target's values alone. Never throws Error: a read
// that fails is named in the detail instead.
std::string ConflictDetail(Session &source, TargetTable &target, const TablePlan &plan);

} // namespace fingerprint::cli::migrate
