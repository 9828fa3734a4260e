// What `fingerprint copy` shows while it runs, on standard error. On a terminal: one bar
// per running table (rows, bytes, rate, ETA from the row count taken in the snapshot),
// redrawn twice a second. Otherwise (a log, a pipe): one line per table when it ends.
// Never on standard output, which holds the report.
#pragma once

#include "copy_table.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace fingerprint::cli::copy {

class CopyProgress {
  public:
	// tables: every table of the run, alive until Stop(). bars: draw bars (a terminal).
	CopyProgress(const std::vector<std::unique_ptr<TableCopy>> &tables, bool bars, bool lines);
	~CopyProgress() { Stop(); }
	// A table ended (outcome set): its line (above the bars on a terminal).
	void TableEnded(const TableCopy &table);
	void Stop();

  private:
	void Loop();
	void Draw(); // with mutex_ held

	const std::vector<std::unique_ptr<TableCopy>> &tables_;
	bool bars_;
	bool lines_;
	std::size_t drawn_lines_ = 0;
	bool stop_ = false;
	std::mutex mutex_;
	std::condition_variable wake_;
	std::thread thread_;
};

// "1.5 MB", "312 B": for reports and bars.
std::string HumanBytes(double bytes);
// One table's figures as text: "5000 rows, 1.2 MB in 0.31 s (16129 rows/s, 3.9 MB/s)".
std::string TableFigures(const TableCopy &table);

} // namespace fingerprint::cli::copy
