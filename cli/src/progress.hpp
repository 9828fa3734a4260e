// The progress line on standard error: "[#####.....] 3/10 tables  orders: bucket
// fingerprints (131072 buckets)". Drawn only when standard error is a terminal (and
// not --no-progress), so logs and pipes never see it. Thread-safe.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>

namespace fingerprint::cli {

class Progress {
  public:
	Progress(bool enabled, std::size_t tables) : enabled_(enabled), total_(tables) {}
	~Progress() { Clear(); }

	void Phase(const std::string &table, const std::string &phase);
	void TableDone();
	void Message(const std::string &text); // a free-standing status ("waiting 5 s ...")
	void Clear();

  private:
	void Draw(const std::string &text); // with the lock held

	bool enabled_;
	std::size_t total_;
	std::size_t done_ = 0;
	bool drawn_ = false;
	std::string last_;
	std::mutex mutex_;
};

} // namespace fingerprint::cli
