#include "migrate_session.hpp"
#include "copy_types_sql.hpp"
#include "hex_digit.hpp"

#include "cli_error.hpp"

namespace fingerprint::cli::migrate {

Value Session::QueryValue(const std::string &sql, const std::string &what) {
	const std::vector<Row> rows = Query(sql, what);
	if (rows.empty() || rows[0].empty())
		return std::nullopt;
	return rows[0][0];
}

void Session::QueryEach(const std::string &sql, const std::string &what, const RowVisitor &visit,
                        const std::vector<unsigned> &binary_types) {
	if (!binary_types.empty())
		throw Error(who() + ": " + what + ": binary results are PostgreSQL's");
	RowView view;
	for (const Row &row : Query(sql, what)) {
		view.assign(row.size(), std::nullopt);
		for (std::size_t i = 0; i < row.size(); ++i)
			if (row[i])
				view[i] = std::string_view(*row[i]);
		visit(view);
	}
}

void Session::CopyStart(const std::string &, const std::string &what) {
	throw Error(who() + ": " + what + ": COPY FROM STDIN is PostgreSQL's");
}

void Session::CopyData(const std::string &, const std::string &what) {
	throw Error(who() + ": " + what + ": COPY FROM STDIN is PostgreSQL's");
}

void Session::CopyEnd(const std::string &, const char *) {}

std::string Session::Name(const std::string &name) const {
	// The copy's quoting rule; its Engine is copy's own enum.
	return copy::QuoteName(engine_ == Engine::postgresql ? copy::Engine::postgresql : copy::Engine::mysql,
	                       name);
}

copy::QueryRows CatalogQueries(Session &session) {
	return [&session](const std::string &sql, const std::vector<std::string> &params) {
		const bool pg = session.engine() == Engine::postgresql;
		std::string text;
		std::size_t next = 0; // MySQL: the next ? is this parameter
		for (std::size_t i = 0; i < sql.size(); ++i) {
			std::size_t index = params.size();
			if (!pg && sql[i] == '?') {
				index = next++;
			} else if (pg && sql[i] == '$' && i + 1 < sql.size() && sql[i + 1] >= '1' && sql[i + 1] <= '9') {
				index = 0;
				while (i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9')
					index = index * 10 + static_cast<std::size_t>(sql[++i] - '0');
				--index;
			} else {
				text += sql[i];
				continue;
			}
			if (index >= params.size())
				throw Error("internal: a catalog query names parameter " + std::to_string(index + 1) +
				            " of " + std::to_string(params.size()));
			text += session.Literal(params[index]);
		}
		return session.Query(text, "reading the catalog");
	};
}

std::unique_ptr<Session> OpenSession(const ConnectionUrl &url, const std::string &side) {
	const std::string who = side + " " + url.display;
	if (url.engine == Engine::postgresql)
		return OpenPostgresSession(url, who);
	return OpenMysqlSession(url, who);
}

std::string DecodeHex(const std::string &text) {
	std::size_t start = text.size() >= 2 && text[0] == '\\' && text[1] == 'x' ? 2 : 0;
	if ((text.size() - start) % 2 != 0)
		throw Error("malformed hex text of " + std::to_string(text.size()) + " characters");
	std::string out;
	out.reserve((text.size() - start) / 2);
	for (std::size_t i = start; i < text.size(); i += 2) {
		const int high = HexDigitValue(text[i]), low = HexDigitValue(text[i + 1]);
		if (high < 0 || low < 0)
			throw Error("malformed hex text at character " + std::to_string(i));
		out += static_cast<char>(high * 16 + low);
	}
	return out;
}

std::string EncodeHex(const std::string &bytes) {
	static const char digits[] = "0123456789abcdef";
	std::string out;
	out.reserve(bytes.size() * 2);
	for (const unsigned char c : bytes) {
		out += digits[c >> 4];
		out += digits[c & 15];
	}
	return out;
}

} // namespace fingerprint::cli::migrate
