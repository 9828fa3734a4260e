// Refusing a second consumer of MariaDB's change log at start (migrate_log_owner.hpp).
#include "migrate_log_owner.hpp"

#include "cli_error.hpp"
#include "shown_text.hpp"

#include <cstdio>

namespace fingerprint::cli::migrate {

void RefuseOtherLogConsumer(Source &source, const std::vector<std::string> &tables,
                            const std::string &consumer, bool no_copy) {
	Session &session = source.session();
	if (session.engine() != Engine::mysql)
		return;
	std::string names;
	for (const std::string &table : tables)
		names += (names.empty() ? "" : ", ") + session.Literal(session.Namespace() + "." + table);
	// The captured tables among ours, and the latest batch taken since the earliest of
	// their captures was enabled.
	const std::vector<Row> rows =
	    session.Query("SELECT (SELECT GROUP_CONCAT(s.table_name ORDER BY s.table_name SEPARATOR ', ')"
	                  "          FROM fingerprint.capture_state s WHERE s.enabled AND s.table_name IN (" +
	                      names +
	                      ")), b.batch_id, b.consumer, b.created_at FROM (SELECT 1) one LEFT JOIN ("
	                      "SELECT batch_id, consumer, created_at FROM fingerprint.capture_batches"
	                      " WHERE consumer LIKE '" +
	                      std::string(kConsumerPrefix) + "%' AND NOT (BINARY consumer <=> BINARY " +
	                      session.Literal(consumer) +
	                      ") AND created_at >= (SELECT COALESCE(MIN(s.enabled_at), '1970-01-02') FROM "
	                      "fingerprint.capture_state s"
	                      "   WHERE s.enabled AND s.table_name IN (" +
	                      names + ")) ORDER BY batch_id DESC LIMIT 1) b ON 1 = 1",
	                  "reading who consumes the change log");
	if (rows.empty() || !rows[0][0])
		return; // capture of none of them is on: nobody consumes their changes yet
	const std::string captured = Text(rows[0][0]);
	if (rows[0][1]) {
		const std::string who = "migration '" + Text(rows[0][2]).substr(kConsumerPrefix.size()) + "'";
		throw Error(
		    session.who() + ": " + who + " consumes this database's change log (it took batch " +
		    Text(rows[0][1]) + " at " + Text(rows[0][3]) + " UTC, since capture of " + captured +
		    " was turned on): MariaDB's log has one consumer, and a second migration would take its"
		    " changes away and stop it for good. Nothing was enabled or copied. Add the tables to " +
		    who +
		    " instead, or once it is over (cut over, the source no longer written) disable capture of " +
		    captured + " (fingerprint capture disable) and start again");
	}
	if (!no_copy)
		std::fprintf(stderr,
		             "note: capture of %s was already on; MariaDB's change log has one consumer: if another"
		             " migration already consumes it (one that took no batch yet cannot be seen), this one"
		             " takes its changes away and that one stops\n",
		             Shown(captured).c_str());
}

} // namespace fingerprint::cli::migrate
