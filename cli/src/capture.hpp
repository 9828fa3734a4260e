// `fingerprint capture enable|disable|ddl MYSQL_URL TABLE ...`: the MySQL/MariaDB
// change-capture triggers of the change-log work (docs/capture.md). The statements come
// from CALL fingerprint.capture_ddl('db.tbl', 'enable'|'disable'), one per row in
// column `statement`; `ddl` prints the enable statements as a script for the mariadb
// client, enable/disable run them in order, one statement per request.
#pragma once

#include "options.hpp"

namespace fingerprint::cli {

int RunCapture(const CaptureCommand &command);

} // namespace fingerprint::cli
