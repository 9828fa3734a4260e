#include "copy_rows.hpp"

#include "cli_error.hpp"
#include "copy_text.hpp"
#include "shown_text.hpp"

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

bool RowStream::Next(std::string &line) {
	line.clear();
	if (!reader_.Next())
		return false;
	const std::size_t count = columns_.converters.size();
	for (std::size_t i = 0; i < count; ++i) {
		if (i > 0)
			line += '\t';
		if (reader_.IsNull(i)) {
			line += kNullText;
			continue;
		}
		if (!columns_.converters[i]->Convert(reader_.Value(i), converted_, reason_))
			Refuse(i, reason_);
		target_.AppendLoadValue(converted_, line);
		ReleaseIfHuge(converted_);
	}
	line += '\n';
	++count_;
	rows_.fetch_add(1, std::memory_order_relaxed);
	const std::uint64_t bytes = reader_.Bytes();
	bytes_.fetch_add(bytes - last_bytes_, std::memory_order_relaxed);
	last_bytes_ = bytes;
	return true;
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
