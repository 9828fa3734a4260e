// What every diff session shares, whatever the engine: opening one, naming a side, and
// the default rule for resolving the column names a user typed.
#include "connection.hpp"

#include "column_check.hpp"

namespace fingerprint::cli {

std::vector<std::string> Connection::ResolveColumnNames(const std::string &,
                                                        const std::vector<ColumnInfo> &columns,
                                                        const std::vector<std::string> &names) {
	std::vector<std::string> resolved;
	for (const std::string &name : names)
		resolved.push_back(ResolveByName(columns, name));
	return resolved;
}

std::unique_ptr<Connection> Connect(Side side, const ConnectionUrl &url,
                                    std::shared_ptr<std::atomic<std::uint64_t>> bytes_read) {
	if (url.engine == Engine::postgresql)
		return ConnectPostgres(side, url, std::move(bytes_read));
	return ConnectMysql(side, url, std::move(bytes_read));
}

const char *SideName(Side side) {
	return side == Side::source ? "source" : "target";
}

} // namespace fingerprint::cli
