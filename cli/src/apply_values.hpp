// How `fingerprint migrate` writes a logged value on the target: each value of a row
// image (the core's canonical encoding, docs/FORMAT.md) goes through the converter that
// `fingerprint copy` uses for the target column (copy_types.hpp MakeImageConverter: the
// same checks, refusals and target text, docs/copy-types.md), and the target's text
// becomes an SQL literal of the target engine. Database-free: unit-tested.
//
// Why from the image and not from the source's text: the image is the value the proof
// is about, identical whichever engine logged it, and decoding it needs no session
// settings (DateStyle, time zones, float digits) on either side.
#pragma once

#include "copy_types.hpp"
#include "copy_types_spec.hpp"
#include "url.hpp"

#include <fingerprint/row_image.hpp>
#include <fingerprint/value_class.hpp>

#include <memory>
#include <string>

namespace fingerprint::cli::migrate {

// One target column, as its catalog describes it.
struct TargetColumn {
	std::string name;
	std::string type; // the engine's own text: format_type() / COLUMN_TYPE
	ValueClass value_class = ValueClass::unsupported;
	bool generated = false;       // a generated column: never written, read back only
	bool identity_always = false; // PostgreSQL GENERATED ALWAYS AS IDENTITY
	int key_position = 0;         // 1-based in the primary key
	// Set by PrepareConverter: copy's description of the column and its converter of
	// logged values (null: the column is not written, or was not prepared).
	copy::Kind kind = copy::Kind::unsupported;
	std::shared_ptr<const copy::ValueConverter> converter;
};

// Gives `column` copy's converter for values of its class from a row image into the
// column `definition` describes (read with copy's ReadTableDefinition). Throws Error
// naming the column when copy's rules have none (then the table cannot be migrated).
void PrepareConverter(Engine target, const copy::ColumnDefinition &definition, TargetColumn &column);

// An image value as the text copy's converters read for its class (MakeImageConverter):
// the canonical decimal, the shortest text of a double ("NaN", "Infinity"), the bytes,
// "YYYY-MM-DD[ HH:MM:SS[.ffffff]][ BC]", "[-]H+:MM:SS[.ffffff]", "infinity", the JSON
// text, a MySQL invalid date's own text. Not for NULL.
std::string ImageValueText(const ImageValue &value);

// ImageValueText into `scratch` when it needs one: a view of the image's own text for
// numbers, strings and JSON (valid while the image is), else of `scratch`.
std::string_view ImageValueText(const ImageValue &value, std::string &scratch);

// Writes the literal of `value` for `column` on a `target` engine into out (replaced).
// Returns false with a reason (without table, key or column: the caller adds them) when
// the column cannot hold the value exactly: copy's converter refused it.
bool TargetLiteral(Engine target, const TargetColumn &column, const ImageValue &value, std::string &out,
                   std::string &reason);

// The buffers AppendLiteral converts a value through, kept by the caller across the
// values of a batch: a multi-row INSERT of 10,000 rows was two or three heap
// allocations per value through TargetLiteral's own strings.
struct LiteralBuffers {
	std::string value_text;  // the image value's text, when it is not in the image
	std::string target_text; // the converter's output
};

// TargetLiteral appending to `out` (left as it was on failure but for what was appended).
bool AppendLiteral(Engine target, const TargetColumn &column, const ImageValue &value,
                   LiteralBuffers &buffers, std::string &out, std::string &reason);

// The SQL literal of a target's text as copy's converter wrote it for `kind` (the text
// a loader would read: PostgreSQL input text, MySQL LOAD DATA bytes).
void AppendTargetLiteral(Engine target, copy::Kind kind, std::string_view text, std::string &out);

// A PostgreSQL literal as TargetLiteral writes it (NULL or a '...' string with ''
// doubled) as an element of an array literal ('{...}', as migrate looks up a batch's
// keys): NULL, or the string's text in double quotes with backslash and double quote
// escaped, so that the array's input reads the same text the literal gives.
void AppendPgArrayElement(const std::string &literal, std::string &out);

// `value` for `column` as a PostgreSQL target reads it, appended to `out` in one of the
// two forms migrate sends without a literal's quoting (no literal is made and unmade):
// AppendCopyValue a field of COPY's text format (\N for NULL, else the converter's text
// with backslash, tab, newline and carriage return escaped, copy_text.hpp);
// AppendPgArrayElement an element of an array literal, as the literal overload above
// writes it. Both return false with a reason, as AppendLiteral does, when the column
// cannot hold the value.
bool AppendCopyValue(const TargetColumn &column, const ImageValue &value, LiteralBuffers &buffers,
                     std::string &out, std::string &reason);
bool AppendPgArrayElement(const TargetColumn &column, const ImageValue &value, LiteralBuffers &buffers,
                          std::string &out, std::string &reason);

} // namespace fingerprint::cli::migrate
