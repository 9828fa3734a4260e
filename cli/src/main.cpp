// fingerprint: the command-line tool. `fingerprint diff` finds the rows that differ
// between two tables on PostgreSQL and MySQL/MariaDB (either side); `fingerprint copy`
// copies tables between them with proof; `fingerprint capture` manages MySQL/MariaDB
// change-capture triggers; `fingerprint migrate` moves live tables (and --drop forgets a
// migration). Exit status 0 equal (or
// done), 1 different, 2 error; every error is one line on standard error.
#include "capture.hpp"
#include "cli_error.hpp"
#include "client_threads.hpp"
#include "copy_run.hpp"
#include "migrate_drop.hpp"
#include "migrate_run.hpp"
#include "options.hpp"
#include "run_diff.hpp"
#include "shown_text.hpp"
#include "url.hpp"

#include <fingerprint/version.hpp>

#include <cstdio>
#include <exception>
#include <new>

namespace {

int Run(int argc, char **argv) {
	using namespace fingerprint::cli;
	const Command command = ParseCommandLine(argc, argv);
	// The parsed command holds its own copies: from here on ps shows no password.
	for (int i = 1; i < argc; ++i)
		ScrubPasswordsInPlace(argv[i]);
	switch (command.kind) {
	case Command::Kind::help:
		std::fputs(kUsage, stdout);
		return 0;
	case Command::Kind::version:
		std::printf("fingerprint %s (format %s)\n", fingerprint::kRelease, fingerprint::kFormatName);
		return 0;
	case Command::Kind::diff:
		return RunDiff(command.diff);
	case Command::Kind::copy:
		return RunCopy(command.copy);
	case Command::Kind::capture:
		return RunCapture(command.capture);
	case Command::Kind::migrate:
		return command.migrate.drop ? RunMigrateDrop(command.migrate) : RunMigrate(command.migrate);
	case Command::Kind::status:
		return RunStatus(command.status);
	}
	return 2;
}

} // namespace

int main(int argc, char **argv) {
	using fingerprint::cli::ShownLines;
	// Before any thread exists: the client libraries' global state.
	const fingerprint::cli::ClientLibraries libraries;
	if (!libraries.ok()) {
		std::fputs("fingerprint: cannot initialize the MySQL client library\n", stderr);
		return 2;
	}
	int status = 2;
	try {
		status = Run(argc, argv);
	} catch (const fingerprint::cli::UsageError &error) {
		std::fprintf(stderr, "fingerprint: %s (see fingerprint --help)\n", ShownLines(error.what()).c_str());
	} catch (const std::bad_alloc &) {
		std::fputs("fingerprint: out of memory\n", stderr);
	} catch (const std::exception &error) {
		std::fprintf(stderr, "fingerprint: %s\n", ShownLines(error.what()).c_str());
	}
	return status;
}
