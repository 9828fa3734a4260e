#include "copy_progress.hpp"

#include "shown_text.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace fingerprint::cli::copy {

namespace {

std::size_t TerminalWidth() {
	winsize size{};
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20)
		return size.ws_col;
	return 80;
}

std::string Fixed(double value, int decimals) {
	char text[64];
	std::snprintf(text, sizeof text, "%.*f", decimals, value);
	return text;
}

std::string Duration(double seconds) {
	const long total = static_cast<long>(seconds + 0.5);
	char text[32];
	std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
	return text;
}

} // namespace

std::string HumanBytes(double bytes) {
	const char *units[] = {"B", "kB", "MB", "GB", "TB"};
	int unit = 0;
	while (bytes >= 1000 && unit < 4) {
		bytes /= 1000;
		++unit;
	}
	return (unit == 0 ? Fixed(bytes, 0) : Fixed(bytes, 1)) + " " + units[unit];
}

std::string TableFigures(const TableCopy &table) {
	const double seconds = table.seconds;
	const double rows = static_cast<double>(table.rows.load());
	std::string text = std::to_string(table.rows.load()) + " rows, " +
	                   HumanBytes(static_cast<double>(table.bytes)) + " in " + Fixed(seconds, 2) + " s";
	if (seconds > 0)
		text += " (" + Fixed(rows / seconds, 0) + " rows/s, " + HumanBytes(table.bytes / seconds) + "/s)";
	return text;
}

CopyProgress::CopyProgress(const std::vector<std::unique_ptr<TableCopy>> &tables, bool bars, bool lines)
    : tables_(tables), bars_(bars), lines_(lines) {
	if (bars_)
		thread_ = std::thread([this] { Loop(); });
}

void CopyProgress::TableEnded(const TableCopy &table) {
	if (!bars_ && !lines_)
		return;
	std::lock_guard<std::mutex> lock(mutex_);
	// On a terminal the line goes above the bars, which are drawn again below it: a table
	// copied between two drawings still leaves its result on the screen.
	for (std::size_t i = 0; bars_ && i < drawn_lines_; ++i)
		std::fputs("\033[F\033[K", stderr); // up one line, erase it
	drawn_lines_ = 0;
	std::fprintf(stderr, "%s -> %s: %s: %s\n", Shown(table.SourceName()).c_str(),
	             Shown(table.TargetName()).c_str(), TableFigures(table).c_str(), OutcomeName(table.outcome));
	if (bars_ && !stop_)
		Draw();
	std::fflush(stderr);
}

void CopyProgress::Stop() {
	{
		std::lock_guard<std::mutex> lock(mutex_);
		if (stop_)
			return;
		stop_ = true;
	}
	wake_.notify_all();
	if (thread_.joinable())
		thread_.join();
	if (bars_) {
		std::lock_guard<std::mutex> lock(mutex_);
		for (std::size_t i = 0; i < drawn_lines_; ++i)
			std::fputs("\033[F\033[K", stderr); // up one line, erase it
		drawn_lines_ = 0;
		std::fflush(stderr);
	}
}

void CopyProgress::Loop() {
	std::unique_lock<std::mutex> lock(mutex_);
	while (!stop_) {
		Draw();
		wake_.wait_for(lock, std::chrono::milliseconds(500));
	}
}

void CopyProgress::Draw() {
	std::string out;
	for (std::size_t i = 0; i < drawn_lines_; ++i)
		out += "\033[F"; // back to the first line drawn last time
	std::size_t lines = 0;
	std::size_t done = 0;
	const std::size_t width = TerminalWidth() - 1;
	const auto now = std::chrono::steady_clock::now();
	for (const auto &table : tables_) {
		if (table->ended) {
			++done;
			continue;
		}
		if (!table->running || !table->has_started)
			continue;
		const double seconds = std::chrono::duration<double>(now - table->started).count();
		const double rows = static_cast<double>(table->rows.load());
		const double total = static_cast<double>(table->source_rows);
		const double fraction = total > 0 ? std::min(1.0, rows / total) : 0;
		constexpr int kBar = 20;
		const int filled = static_cast<int>(fraction * kBar);
		const double rate = seconds > 0 ? rows / seconds : 0;
		// What matters most first, so that a narrow terminal cuts the least useful.
		std::string line = "[" + std::string(filled, '#') + std::string(kBar - filled, '.') + "] " +
		                   Fixed(fraction * 100, 0) + "%";
		if (rate > 0 && total > rows)
			line += " ETA " + Duration((total - rows) / rate);
		line += "  " + Shown(table->source_table) + "  " + std::to_string(table->rows.load()) + "/" +
		        std::to_string(table->source_rows) + " rows  " + Fixed(rate, 0) + " rows/s  " +
		        HumanBytes(static_cast<double>(table->bytes));
		if (line.size() > width) {
			std::size_t cut = width;
			while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
				--cut; // never inside a UTF-8 sequence
			line.resize(cut);
		}
		out += "\033[K" + line + "\n";
		++lines;
	}
	out += "\033[K" + std::to_string(done) + "/" + std::to_string(tables_.size()) + " tables done\n";
	++lines;
	for (std::size_t i = lines; i < drawn_lines_; ++i)
		out += "\033[K\n"; // erase what the longer last drawing left below
	if (drawn_lines_ > lines)
		for (std::size_t i = lines; i < drawn_lines_; ++i)
			out += "\033[F";
	drawn_lines_ = lines;
	std::fputs(out.c_str(), stderr);
	std::fflush(stderr);
}

} // namespace fingerprint::cli::copy
