#include "installed_version.hpp"

#include "cli_error.hpp"

#include <fingerprint/version.hpp>

namespace fingerprint::cli {

void CheckInstalledRelease(const std::string &installed, Engine engine, const std::string &who) {
	if (installed == kRelease)
		return;
	const std::string how = engine == Engine::postgresql
	                            ? "run ALTER EXTENSION fingerprint UPDATE in that database"
	                            : "load the install.sql (share/fingerprint/mysql/) of fingerprint " +
	                                  std::string(kRelease) +
	                                  " as an administrator (it upgrades in place and keeps the change log)";
	throw Error(who + ": fingerprint " + installed + " is installed there, but this tool is fingerprint " +
	            kRelease + ": " + how + ", or use the tool of release " + installed + " (docs/upgrading.md)");
}

} // namespace fingerprint::cli
