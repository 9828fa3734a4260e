// How `fingerprint migrate` writes a logged value on the target: each value of a row
// image (the core's canonical encoding, docs/FORMAT.md) becomes an SQL literal of the
// target engine for the target column, exactly (the same value by the classes of the
// format, so the target row's fingerprint equals the logged one), or is refused with a
// reason when the target column cannot hold it. Database-free: unit-tested.
//
// Why from the image and not from the source's text: the image is the value the proof
// is about, identical whichever engine logged it, and decoding it needs no session
// settings (DateStyle, time zones, float digits) on either side.
#pragma once

#include "url.hpp"

#include <fingerprint/row_image.hpp>
#include <fingerprint/value_class.hpp>

#include <string>

namespace fingerprint::cli::migrate {

// One target column, as its catalog describes it.
struct TargetColumn {
	std::string name;
	std::string type; // the engine's own text: format_type() / COLUMN_TYPE
	ValueClass value_class = ValueClass::unsupported;
	bool binary = false;          // PostgreSQL bytea, MySQL BINARY/VARBINARY/BLOB
	bool boolean = false;         // PostgreSQL boolean
	bool bit_string = false;      // PostgreSQL bit/varbit (not supported yet)
	bool time_zone = false;       // PostgreSQL timestamptz (instants are written in UTC)
	bool generated = false;       // a generated column: never written, read back only
	bool identity_always = false; // PostgreSQL GENERATED ALWAYS AS IDENTITY
	int key_position = 0;         // 1-based in the primary key
};

// Writes the literal of `value` for `column` on a `target` engine into out (replaced).
// Returns false with a reason (without table, key or column: the caller adds them) when
// the column cannot hold the value exactly.
bool TargetLiteral(Engine target, const TargetColumn &column, const ImageValue &value, std::string &out,
                   std::string &reason);

} // namespace fingerprint::cli::migrate
