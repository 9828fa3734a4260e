// The MySQL/MariaDB session of `fingerprint migrate` (the MySQL client library).
#include "migrate_session.hpp"
#include "my_client.hpp"

namespace fingerprint::cli::migrate {

namespace {

class MySession final : public Session {
  public:
	MySession(const ConnectionUrl &url, const std::string &who)
	    : Session(Engine::mysql, who, url.database), mysql_(OpenMysql(url, who)) {
		// Strict: a value the column cannot hold is an error, never truncated or clipped.
		// Zero dates stay allowed: a MariaDB source may hold them (NO_ZERO_DATE is left out).
		Exec("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO'",
		     "setting sql_mode");
		Exec("SET SESSION group_concat_max_len = 67108864", "setting group_concat_max_len");
	}

	std::vector<Row> Query(const std::string &sql, const std::string &what) override {
		std::vector<Row> rows;
		MysqlRun(mysql_.get(), sql, who(), what,
		         [&](MYSQL_ROW values, const unsigned long *lengths, unsigned fields) {
			         Row row;
			         row.reserve(fields);
			         for (unsigned i = 0; i < fields; ++i) {
				         if (values[i] == nullptr)
					         row.emplace_back(std::nullopt);
				         else
					         row.emplace_back(std::string(values[i], lengths[i]));
			         }
			         rows.push_back(std::move(row));
		         });
		return rows;
	}

	// Rows straight from the client library's buffers (MySQL has no binary option here).
	void QueryEach(const std::string &sql, const std::string &what, const RowVisitor &visit,
	               const std::vector<unsigned> &binary_types) override {
		if (!binary_types.empty())
			Session::QueryEach(sql, what, visit, binary_types); // refuses, naming the call
		RowView row;
		MysqlRun(mysql_.get(), sql, who(), what,
		         [&](MYSQL_ROW values, const unsigned long *lengths, unsigned fields) {
			         row.assign(fields, std::nullopt);
			         for (unsigned i = 0; i < fields; ++i)
				         if (values[i] != nullptr)
					         row[i] = std::string_view(values[i], lengths[i]);
			         visit(row);
		         });
	}

	std::string Literal(const std::string &text) const override { return MysqlQuote(mysql_.get(), text); }

  private:
	MysqlHandle mysql_;
};

} // namespace

std::unique_ptr<Session> OpenMysqlSession(const ConnectionUrl &url, const std::string &who) {
	return std::make_unique<MySession>(url, who);
}

} // namespace fingerprint::cli::migrate
