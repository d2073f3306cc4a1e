// core/util/gzip.hpp - gzip (RFC 1952) of whole buffers in memory, with libdeflate: the sync
// bodies both sides send. Whole-buffer deflate and inflate are faster than zlib's streaming
// ones, and a sync body is always held whole anyway.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fadaa {

// gzip-compresses bytes at `level` (1 fastest ... 12 smallest). Level 1: repetitive JSON still
// shrinks several times, for a fraction of the higher levels' CPU. Throws std::runtime_error
// when libdeflate cannot allocate a compressor (out of memory, or a level outside 0..12).
std::string gzipCompress(std::string_view bytes, int level = 1);

// The most bytes gzipCompress (any level), or zlib at any level, makes of n bytes. So a
// compressed body longer than gzipCompressBound(limit) inflates past `limit`.
size_t gzipCompressBound(size_t n);

enum class InflateStatus {
    Ok,
    TooLarge,  // the data inflates past maxBytes; nothing past maxBytes was ever written
    Corrupt,   // not gzip/zlib, a bad checksum, truncated, or bytes after the stream
};

struct Inflated {
    InflateStatus status = InflateStatus::Corrupt;
    std::string bytes;  // the inflated data when status is Ok, else empty
};

// Inflates a gzip body (one member or several in a row) or a zlib stream (what HTTP calls
// "deflate"), told apart by gzip's magic bytes, into at most maxBytes. The gzip trailer's size
// field only sizes the first attempt, capped at maxBytes: a lying trailer costs a retry, never
// more memory. Empty input inflates to empty output.
Inflated gzipDecompress(std::string_view bytes, size_t maxBytes);

}  // namespace fadaa
