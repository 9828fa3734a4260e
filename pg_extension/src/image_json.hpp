// A row image rendered as JSON into palloc'd memory: shared by fingerprint_image_json
// (capture_image.cpp, where it is defined) and bucket_rows (the key as JSON). Include
// after the PostgreSQL headers.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before image_json.hpp"
#endif

#include "fingerprint/status.hpp"

#include <string_view>

namespace fingerprint_pg {

// The core's RenderImageJson of `image` (an object keyed by `names`, or an array when
// names is nullptr) as NUL-terminated UTF-8 in CurrentMemoryContext, its byte length in
// *length; nullptr with *status set on failure. Never raises an ERROR: the std::string it
// renders into is gone before the caller can ereport, and the copy is allocated with
// MCXT_ALLOC_NO_OOM, so no longjmp can skip its destructor.
char *RenderImageJsonText(const bytea *image, const std::string_view *names, int count, size_t *length,
                          fingerprint::Status *status) noexcept;

} // namespace fingerprint_pg
