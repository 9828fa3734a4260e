// Feeding classed UDF arguments to a RowHasher: the one place that knows how each class
// letter's value reaches the core (spec.hpp), through a RowHasher or an image writer, and
// how a refused value is reported. Used by row_fingerprint/fingerprint_agg (call_state.cpp,
// HashRow and the batch loop) and the bucket UDFs (bucket_agg.cpp, bucket_key.cpp).
#pragma once

#include "udf_abi.hpp"

#include "fingerprint/row_hasher.hpp"
#include "fingerprint/status.hpp"
#include "fingerprint/value_writer.hpp"

#include <cstddef>
#include <string_view>

namespace fingerprint::udf {

// Room for "error: column <name> (argument N, class 'x'): <reason>": argument names are
// cut to 192 bytes, so the text stays well inside SIGNAL's 512.
constexpr std::size_t kErrorSize = 512;

// A string of class letters (no algorithm); false with the bad letter in *bad otherwise.
bool CheckClasses(std::string_view classes, char *bad) noexcept;

// Asks the server to pass arguments first .. first + classes.size() - 1 as the classes need.
void CoerceClassedArgs(UDF_ARGS *args, unsigned first, std::string_view classes) noexcept;

// What a class letter does with a non-NULL value, chosen once per column (at _init, by
// AdderOf) so that a row costs one call per value and no decoding of letters.
using ValueAdder = Status (*)(RowHasher *hasher, const char *value, unsigned long length) noexcept;
ValueAdder AdderOf(char letter) noexcept;

// The image writer of a class letter's values in fingerprint_agg's batch loop
// (call_state.cpp, FlushBatch), which writes a batched row's image itself
// (WritePackedRowImage, value_writer.hpp) and hashes it whole instead of feeding a
// RowHasher value by value: the writer for each column is chosen once, at _init, and the
// room for a value is checked once. Anything a writer does not take (a text of another
// shape, a zero date, a value the core refuses) sends the whole row to RowHasher's path
// (HashBatchedRow), which writes the same bytes or reports the error. i u f d s S c C b T
// D have one; WriterKind::none for the others (j, t, U), whose tables keep RowHasher's path.
WriterKind ImageWriterOf(char letter) noexcept;

// Adds one non-NULL value to hasher as its class letter says (the rules of docs/mysql.md).
Status AddClassedValue(RowHasher *hasher, char letter, const char *value, unsigned long length) noexcept;

// Writes "error: column <name> (argument N, class 'x'): <reason>" for argument arg (or
// "error: argument N (class 'x'): <reason>" when the server gives it no name) into error
// (size bytes, NUL-terminated) and returns its length.
std::size_t FormatColumnError(char *error, std::size_t size, const UDF_ARGS *args, unsigned arg, char letter,
                              Status status) noexcept;

// Adds arguments first .. first + classes.size() - 1 to hasher (SQL NULL is the NULL tag),
// without Reset() first. On a value the core refuses, writes the FormatColumnError text
// into error (error_size bytes), sets *error_length, resets the hasher and returns false.
bool HashClassedArgs(RowHasher *hasher, const UDF_ARGS *args, unsigned first, std::string_view classes,
                     char *error, std::size_t error_size, std::size_t *error_length) noexcept;

// HashClassedArgs with the adders chosen at _init (adders[i] = AdderOf(classes[i])).
bool HashPlannedArgs(RowHasher *hasher, const UDF_ARGS *args, unsigned first, const ValueAdder *adders,
                     std::string_view classes, char *error, std::size_t error_size,
                     std::size_t *error_length) noexcept;

} // namespace fingerprint::udf
