#include "copy_rows.hpp"

#include "cli_error.hpp"
#include "copy_text.hpp"
#include "shown_text.hpp"
#include "stop_signal.hpp"

#include <algorithm>

namespace fingerprint::cli::copy {

std::string QuotedValue(std::string_view value) {
	constexpr std::size_t kShown = 64;
	if (value.size() <= kShown)
		return "'" + Shown(value) + "'";
	std::size_t cut = kShown;
	while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80)
		--cut; // never inside a UTF-8 sequence
	return "'" + Shown(value.substr(0, cut)) + "...' (" + std::to_string(value.size()) + " bytes)";
}

bool RowStream::Next(std::string &piece) {
	// A stop request (SIGINT/SIGTERM under migrate, stop_signal.hpp) ends the load here:
	// the target rolls the chunk back, so a large chunk does not hold the stop for minutes.
	if (StopRequested())
		throw Interrupted("stopped by SIGINT or SIGTERM while loading rows (the chunk was rolled back)");
	piece.clear();
	// Room for a piece just under kPieceBytes plus a slice escaped (at most 2 bytes a
	// byte): one reservation, no doubling.
	constexpr std::size_t kRoom = kPieceBytes + 2 * kSliceBytes + 16;
	if (piece.capacity() < kRoom)
		piece.reserve(kRoom);
	while (piece.size() < kPieceBytes) {
		if (in_slices_) {
			if (!AppendSlice(piece))
				continue;
			in_slices_ = false;
			++column_;
		}
		if (!in_row_) {
			if (ended_ || !reader_.Next()) {
				ended_ = true;
				break;
			}
			in_row_ = true;
			column_ = 0;
		}
		while (column_ < columns_.converters.size() && piece.size() < kPieceBytes) {
			if (!StartValue(piece))
				break; // in_slices_: continued by the loop above
			++column_;
		}
		if (!in_slices_ && column_ == columns_.converters.size())
			EndRow(piece);
	}
	return !piece.empty();
}

bool RowStream::StartValue(std::string &piece) {
	const std::size_t i = column_;
	if (i > 0)
		piece += '\t';
	if (reader_.IsNull(i)) {
		piece += kNullText;
		return true;
	}
	if (!columns_.converters[i]->Convert(reader_.Value(i), converted_, reason_))
		Refuse(i, reason_);
	if (converted_.size() <= kSliceBytes) {
		target_.AppendLoadValue(converted_, piece);
		return true;
	}
	in_slices_ = true;
	sliced_ = 0;
	return false;
}

bool RowStream::AppendSlice(std::string &piece) {
	// Every escape is of one byte, so a slice may end anywhere.
	const std::size_t n = std::min(kSliceBytes, converted_.size() - sliced_);
	target_.AppendLoadValue(std::string_view(converted_).substr(sliced_, n), piece);
	sliced_ += n;
	if (sliced_ < converted_.size())
		return false;
	converted_.clear();
	ReleaseIfHuge(converted_);
	return true;
}

void RowStream::EndRow(std::string &piece) {
	piece += '\n';
	in_row_ = false;
	++count_;
	rows_.fetch_add(1, std::memory_order_relaxed);
	const std::uint64_t bytes = reader_.Bytes();
	bytes_.fetch_add(bytes - last_bytes_, std::memory_order_relaxed);
	last_bytes_ = bytes;
}

void RowStream::Refuse(std::size_t column, const std::string &reason) const {
	std::string key;
	if (columns_.key.empty()) {
		key = "row " + std::to_string(count_ + 1) + " of its chunk (the table has no primary key)";
	} else {
		std::string names, values;
		for (const std::size_t k : columns_.key) {
			names += (names.empty() ? "" : ", ") + Shown(columns_.names[k]);
			values += (values.empty() ? "" : ", ") +
			          (reader_.IsNull(k) ? std::string("NULL") : QuotedValue(reader_.Value(k)));
		}
		key = "key (" + names + ")=(" + values + ")";
	}
	throw Error("table " + Shown(columns_.table) + ": " + key + ", column " + Shown(columns_.names[column]) +
	            ", value " + QuotedValue(reader_.Value(column)) + ": " +
	            Shown(reason)); // a NUL would end what()
}

} // namespace fingerprint::cli::copy
