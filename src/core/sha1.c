/* sha1.c - SHA-1 (FIPS 180-4) for pypet's comment hexdigests (spec 4.5, 9). Not for security. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/hash_int.h"

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void block(uint32_t *h, const unsigned char *b) {
  uint32_t w[80];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 | (uint32_t)b[4 * i + 2] << 8 |
           b[4 * i + 3];
  for (int i = 16; i < 80; i++)
    w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
  for (int i = 0; i < 80; i++) {
    uint32_t f, k;
    if (i < 20)
      f = (bb & c) | (~bb & d), k = 0x5A827999;
    else if (i < 40)
      f = bb ^ c ^ d, k = 0x6ED9EBA1;
    else if (i < 60)
      f = (bb & c) | (bb & d) | (c & d), k = 0x8F1BBCDC;
    else
      f = bb ^ c ^ d, k = 0xCA62C1D6;
    uint32_t t = rol(a, 5) + f + e + k + w[i];
    e = d, d = c, c = rol(bb, 30), bb = a, a = t;
  }
  h[0] += a, h[1] += bb, h[2] += c, h[3] += d, h[4] += e;
}

void cpet__sha1_hex(const void *p, size_t len, char out[41]) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  cpet__md_digest_hex(p, len, h, 5, block, out);
}

void cpet__md_digest_hex(const void *p, size_t len, uint32_t *h, int nwords,
                         void (*block)(uint32_t *h, const unsigned char *b), char *out) {
  const unsigned char *s = p;
  size_t i = 0;
  for (; i + 64 <= len; i += 64)
    block(h, s + i);
  unsigned char tail[128];
  size_t r = len - i;
  memset(tail, 0, sizeof tail);
  if (r) memcpy(tail, s + i, r);
  tail[r] = 0x80;
  size_t tl = r + 1 + 8 <= 64 ? 64 : 128;
  uint64_t bits = (uint64_t)len * 8;
  for (int k = 0; k < 8; k++)
    tail[tl - 1 - k] = (unsigned char)(bits >> (8 * k));
  block(h, tail);
  if (tl == 128) block(h, tail + 64);
  for (int k = 0; k < nwords; k++)
    snprintf(out + 8 * k, 9, "%08x", (unsigned)h[k]);
}
