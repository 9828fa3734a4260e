#include "log_seqs.hpp"

#include "cli_error.hpp"

#include <algorithm>
#include <cctype>

namespace fingerprint::cli {

void LogSeqs::Append(std::uint64_t lo, std::uint64_t hi) {
	if (lo > hi || (!ranges_.empty() && lo <= ranges_.back().second + 1))
		throw Error("change-log seq ranges out of order: " + std::to_string(lo) + "-" + std::to_string(hi) +
		            " after " + Text());
	ranges_.emplace_back(lo, hi);
}

bool LogSeqs::Contains(std::uint64_t seq) const {
	// The first range ending at or after seq.
	const auto found = std::lower_bound(ranges_.begin(), ranges_.end(), seq,
	                                    [](const std::pair<std::uint64_t, std::uint64_t> &range,
	                                       std::uint64_t s) { return range.second < s; });
	return found != ranges_.end() && found->first <= seq;
}

std::string LogSeqs::Text() const {
	std::string out;
	for (const auto &range : ranges_) {
		if (!out.empty())
			out += ',';
		out += std::to_string(range.first);
		if (range.second != range.first)
			out += '-' + std::to_string(range.second);
	}
	return out;
}

namespace {

// Reads digits at text[at...]; throws when there are none or too many.
std::uint64_t ReadNumber(const std::string &text, std::size_t &at, const std::string &what) {
	const std::size_t start = at;
	std::uint64_t value = 0;
	while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) != 0) {
		const std::uint64_t digit = static_cast<std::uint64_t>(text[at] - '0');
		if (value > (UINT64_MAX - digit) / 10)
			throw Error(what + ": a change-log seq out of range in '" + text + "'");
		value = value * 10 + digit;
		++at;
	}
	if (at == start)
		throw Error(what + ": unreadable change-log seq ranges '" + text + "'");
	return value;
}

} // namespace

LogSeqs LogSeqs::Parse(const std::string &text, const std::string &what) {
	LogSeqs seqs;
	std::size_t at = 0;
	while (at < text.size()) {
		const std::uint64_t lo = ReadNumber(text, at, what);
		std::uint64_t hi = lo;
		if (at < text.size() && text[at] == '-')
			hi = ReadNumber(text, ++at, what);
		if (at < text.size() && text[at] != ',')
			throw Error(what + ": unreadable change-log seq ranges '" + text + "'");
		if (at < text.size() && ++at == text.size())
			throw Error(what + ": unreadable change-log seq ranges '" + text + "'");
		try {
			seqs.Append(lo, hi);
		} catch (const Error &error) {
			throw Error(what + ": " + error.what());
		}
	}
	return seqs;
}

} // namespace fingerprint::cli
