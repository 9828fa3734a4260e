// The release installed on a server must be the release of this tool: the procedures
// and functions it calls, their arguments and their results belong to one release
// (docs/upgrading.md). A server that is behind is told how to upgrade, never used.
#pragma once

#include "url.hpp"

#include <string>

namespace fingerprint::cli {

// Throws Error prefixed with who when `installed` (the extension's extversion, or
// MariaDB's fingerprint.version()) is not this tool's release.
void CheckInstalledRelease(const std::string &installed, Engine engine, const std::string &who);

} // namespace fingerprint::cli
