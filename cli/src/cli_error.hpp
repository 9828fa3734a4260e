// The one exception type of the command-line tool. Everything that stops a command or a
// table (bad arguments, a refused connection, an SQL error) throws it with a message
// that names the side, the table and the cause; main() prints it and exits with 2.
#pragma once

#include <stdexcept>
#include <string>

namespace fingerprint::cli {

class Error : public std::runtime_error {
  public:
	explicit Error(const std::string &message) : std::runtime_error(message) {}
};

// Bad command-line usage: main() adds "see fingerprint --help".
class UsageError : public Error {
  public:
	explicit UsageError(const std::string &message) : Error(message) {}
};

} // namespace fingerprint::cli
