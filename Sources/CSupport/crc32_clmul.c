// CRC-32 (the IEEE polynomial zlib and the block format use) with carry-less multiplication:
// four 128-bit lanes fold 64 bytes per step, then fold into one lane, then a Barrett
// reduction gives the 32-bit remainder. zlib 1.2 computes it a table lookup per byte and
// was a fifth of a full scan's time (every block is checked when read).
//
// The method and its constants (x^n mod P in the bit-reflected domain) are from Intel's
// "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ Instruction" (Gopal et al.,
// 2009). The CRC runs in the reflected, non-inverted form: the caller inverts before and
// after, as zlib's crc32() does inside.
#include "CSupport.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

int moviecol_crc32_clmul_available(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
    }
    return cached;
}

/// One lane folded 128 bits forward (by the distance `k` holds) and the next data added.
__attribute__((target("pclmul,sse4.1")))
static inline __m128i fold(__m128i lane, __m128i k, __m128i data) {
    __m128i low = _mm_clmulepi64_si128(lane, k, 0x00);
    __m128i high = _mm_clmulepi64_si128(lane, k, 0x11);
    return _mm_xor_si128(_mm_xor_si128(high, low), data);
}

__attribute__((target("pclmul,sse4.1")))
uint32_t moviecol_crc32_clmul(uint32_t crc, const uint8_t *p, size_t n) {
    // x^(4*128+64) and x^(4*128) mod P: fold by 512 bits (four lanes).
    const __m128i by512 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
    // x^(128+64) and x^128 mod P: fold by one lane.
    const __m128i by128 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
    // x^64 mod P: 128 bits to 96.
    const __m128i by64 = _mm_set_epi64x(0, 0x0163cd6124);
    // P (with its x^32 term) and floor(x^64 / P), reflected, for the Barrett step.
    const __m128i barrett = _mm_set_epi64x(0x01f7011641, 0x01db710641);
    const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);

    __m128i a = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), _mm_cvtsi32_si128((int)crc));
    __m128i b = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i c = _mm_loadu_si128((const __m128i *)(p + 32));
    __m128i d = _mm_loadu_si128((const __m128i *)(p + 48));
    p += 64;
    n -= 64;
    while (n >= 64) {
        a = fold(a, by512, _mm_loadu_si128((const __m128i *)p));
        b = fold(b, by512, _mm_loadu_si128((const __m128i *)(p + 16)));
        c = fold(c, by512, _mm_loadu_si128((const __m128i *)(p + 32)));
        d = fold(d, by512, _mm_loadu_si128((const __m128i *)(p + 48)));
        p += 64;
        n -= 64;
    }
    a = fold(a, by128, b);
    a = fold(a, by128, c);
    a = fold(a, by128, d);
    while (n >= 16) {
        a = fold(a, by128, _mm_loadu_si128((const __m128i *)p));
        p += 16;
        n -= 16;
    }
    // 128 -> 96 bits: the low half times x^128 mod P (by128's high constant) into the high half.
    __m128i t = _mm_clmulepi64_si128(a, by128, 0x10);
    a = _mm_xor_si128(_mm_srli_si128(a, 8), t);
    // 96 -> 64 bits.
    t = _mm_srli_si128(a, 4);
    a = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(a, low32), by64, 0x00), t);
    // Barrett: q = low32(a) * floor(x^64/P), r = a xor low32(q) * P.
    t = _mm_clmulepi64_si128(_mm_and_si128(a, low32), barrett, 0x10);
    t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), barrett, 0x00);
    a = _mm_xor_si128(a, t);
    return (uint32_t)_mm_extract_epi32(a, 1);
}
#else
int moviecol_crc32_clmul_available(void) { return 0; }
uint32_t moviecol_crc32_clmul(uint32_t crc, const uint8_t *p, size_t n) { (void)p; (void)n; return crc; }
#endif
