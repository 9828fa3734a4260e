// What every copy session shares, whatever the engine.
#include "copy_session.hpp"

namespace fingerprint::cli::copy {

std::unique_ptr<Session> OpenPgSession(const ConnectionUrl &url, bool source);
std::unique_ptr<Session> OpenMySession(const ConnectionUrl &url, bool source);

QueryRows Session::Catalog() {
	return [this](const std::string &sql, const std::vector<std::string> &params) {
		return Query(sql, params, "reading the catalog");
	};
}

std::unique_ptr<Session> OpenSession(const ConnectionUrl &url, bool source) {
	if (url.engine == cli::Engine::postgresql)
		return OpenPgSession(url, source);
	return OpenMySession(url, source);
}

} // namespace fingerprint::cli::copy
