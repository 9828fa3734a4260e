// The SPI query builder (select_query.hpp).
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

#include "row_cache.hpp"
#include "select_query.hpp"

namespace fingerprint_pg {

char *BuildSelectQuery(Relation relation, const RowCache *cache, const char *before, const char *after,
                       const char *filter) {
	StringInfoData query;
	initStringInfo(&query);
	appendStringInfo(&query, "SELECT %s", before);
	int written = 0;
	for (int column = 0; column < cache->last_column; column++) {
		if (cache->kinds[column] != nullptr)
			appendStringInfo(&query, "%st.%s", written++ > 0 ? ", " : "",
			                 quote_identifier(NameStr(TupleDescAttr(cache->desc, column)->attname)));
	}
	appendStringInfo(&query, "%s FROM %s t", after,
	                 quote_qualified_identifier(get_namespace_name(RelationGetNamespace(relation)),
	                                            RelationGetRelationName(relation)));
	// The newline ends a trailing "--" comment in the filter before the parenthesis.
	if (filter != nullptr)
		appendStringInfo(&query, " WHERE (%s\n)", filter);
	return query.data;
}

} // namespace fingerprint_pg
