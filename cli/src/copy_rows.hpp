// The rows of one chunk on their way: read from the source, each non-NULL value turned
// into the target's input text by its column's ValueConverter, escaped into the target's
// bulk format, handed out in pieces of about 64 kB. A huge row is cut into many pieces
// (both bulk loads take a stream), so the client holds the row as the source delivered
// it, its largest value converted and one piece, never the whole row escaped. A value a
// converter refuses stops the stream with an Error that names the table, the row's key,
// the column and the value.
#pragma once

#include "copy_session.hpp"
#include "copy_types.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace fingerprint::cli::copy {

// What a stream needs to know about the table, shared by all its chunks.
struct StreamColumns {
	std::string table;                              // "schema.table" on the source, for messages
	std::vector<std::string> names;                 // the source's column names
	std::vector<const ValueConverter *> converters; // one per column
	std::vector<std::size_t> key;                   // positions of the key columns (may be empty)
};

class RowStream final : public LineSource {
  public:
	// rows/bytes: live counters for the progress display (added to as rows pass).
	RowStream(RowReader &reader, const Session &target, const StreamColumns &columns,
	          std::atomic<std::uint64_t> &rows, std::atomic<std::uint64_t> &bytes)
	    : reader_(reader), target_(target), columns_(columns), rows_(rows), bytes_(bytes) {}
	// The next piece of the stream: whole rows up to about kPieceBytes, or a slice of a
	// huge row.
	bool Next(std::string &piece) override;
	std::uint64_t Rows() const { return count_; }
	// The source's bytes of the rows counted (a refused row's are not).
	std::uint64_t Bytes() const { return last_bytes_; }

  private:
	// Small enough that the client makes the next piece while the server takes the last
	// (1 MB pieces made PostgreSQL -> MariaDB 1.23x slower in a run: the server waited).
	static constexpr std::size_t kPieceBytes = std::size_t{64} << 10;
	// A converted value longer than this is escaped into pieces a slice at a time.
	static constexpr std::size_t kSliceBytes = std::size_t{16} << 10;

	// Starts the value of column_ (its separator, \N or its converted text); false when
	// its converted text is too long to append at once and is left to AppendSlice.
	bool StartValue(std::string &piece);
	// Appends the next slice of the long value being escaped; true when it is done.
	bool AppendSlice(std::string &piece);
	void EndRow(std::string &piece);
	[[noreturn]] void Refuse(std::size_t column, const std::string &reason) const;

	RowReader &reader_;
	const Session &target_;
	const StreamColumns &columns_;
	std::atomic<std::uint64_t> &rows_;
	std::atomic<std::uint64_t> &bytes_;
	std::uint64_t count_ = 0;
	std::uint64_t last_bytes_ = 0;
	bool in_row_ = false;    // a row is read and not yet all appended
	bool ended_ = false;     // the reader has no more rows
	std::size_t column_ = 0; // the next column of the row to append
	bool in_slices_ = false; // converted_ is being appended a slice at a time
	std::size_t sliced_ = 0; // bytes of converted_ appended so far
	std::string converted_;
	std::string reason_;
};

// A value for a message: at most 64 characters of it, shown safely, quoted.
std::string QuotedValue(std::string_view value);

} // namespace fingerprint::cli::copy
