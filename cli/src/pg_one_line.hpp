// libpq's multi-line messages ("ERROR:  ...\nDETAIL:  ...\n") on one line, for the
// copy, migrate and diff sessions alike.
#pragma once

#include <string>

namespace fingerprint::cli {

inline std::string PgOneLine(const char *message) {
	std::string out;
	for (const char *p = message; *p != '\0'; ++p) {
		if (*p == '\n') {
			while (p[1] == ' ' || p[1] == '\t')
				++p;
			if (p[1] != '\0')
				out += "; ";
		} else {
			out += *p;
		}
	}
	return out;
}

} // namespace fingerprint::cli
