#include "progress.hpp"

#include "shown_text.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>

namespace fingerprint::cli {

namespace {

std::size_t TerminalWidth() {
	winsize size{};
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20)
		return size.ws_col;
	return 80;
}

} // namespace

void Progress::Phase(const std::string &table, const std::string &phase) {
	if (!enabled_)
		return;
	std::lock_guard<std::mutex> lock(mutex_);
	last_ = table + ": " + phase;
	Draw(last_);
}

void Progress::TableDone() {
	if (!enabled_)
		return;
	std::lock_guard<std::mutex> lock(mutex_);
	++done_;
	Draw(last_);
}

void Progress::Message(const std::string &text) {
	if (!enabled_)
		return;
	std::lock_guard<std::mutex> lock(mutex_);
	last_ = text;
	Draw(last_);
}

void Progress::Clear() {
	if (!enabled_)
		return;
	std::lock_guard<std::mutex> lock(mutex_);
	if (drawn_)
		std::fputs("\r\033[K", stderr);
	drawn_ = false;
	std::fflush(stderr);
}

void Progress::Draw(const std::string &text) {
	constexpr std::size_t kBar = 20;
	const std::size_t filled = total_ == 0 ? kBar : done_ * kBar / total_;
	std::string line = "[" + std::string(filled, '#') + std::string(kBar - filled, '.') + "] " +
	                   std::to_string(done_) + "/" + std::to_string(total_) + " tables  " + Shown(text);
	const std::size_t width = TerminalWidth() - 1;
	if (line.size() > width) {
		std::size_t cut = width;
		while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
			--cut; // never inside a UTF-8 sequence
		line.resize(cut);
	}
	std::fprintf(stderr, "\r\033[K%s", line.c_str());
	std::fflush(stderr);
	drawn_ = true;
}

} // namespace fingerprint::cli
