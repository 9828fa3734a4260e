// Row images in the PostgreSQL adapter, defined in capture_image.cpp: collecting an image
// into a StringInfo (the capture trigger, bucket_rows) and rendering one as JSON into
// palloc'd memory (fingerprint_image_json, bucket_rows' key_json). Include after the
// PostgreSQL headers.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before image_json.hpp"
#endif

#include "fingerprint/status.hpp"

#include <cstddef>
#include <string_view>

namespace fingerprint_pg {

// A RowHasher ByteSink (row_hasher.hpp) appending to the StringInfo context. It raises
// ERROR when memory runs out; the hasher is trivially destructible, so that is harmless.
void AppendToStringInfo(void *context, const unsigned char *data, std::size_t length) noexcept;

// The core's RenderImageJson of `image` (an object keyed by `names`, or an array when
// names is nullptr) as NUL-terminated UTF-8 in CurrentMemoryContext, its byte length in
// *length; nullptr with *status set on failure. Never raises an ERROR: the std::string it
// renders into is gone before the caller can ereport, and the copy is allocated with
// MCXT_ALLOC_NO_OOM, so no longjmp can skip its destructor.
char *RenderImageJsonText(const bytea *image, const std::string_view *names, int count, size_t *length,
                          fingerprint::Status *status) noexcept;

} // namespace fingerprint_pg
