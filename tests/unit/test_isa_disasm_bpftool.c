// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_isa_disasm_bpftool.c - the disassembler's UBF_SYNTAX_BPFTOOL text,
 * which `userbpf prog dump xlated` prints as bpftool does.  The expected
 * texts of the first table are what Linux 6.18's verifier log printed for
 * the same instructions (its printer is bpftool's); the second table holds
 * the forms only bpftool's callbacks print (map ids, map values,
 * subprogram addresses), as Debian's bpftool 7.1 prints them for an xlated
 * program.
 */
#include "test.h"

#include <string.h>

#include <userbpf/isa.h>

#define I(c, d, s, o, i) UBF_INSN(c, d, s, o, i)
#define NONE UBF_INSN(0, 0, 0, 0, 0)

struct kern_text {
	struct ubf_raw_insn in[2];
	const char *text;
};

static const struct kern_text linux618[] = {
	{{I(0xb7, 0, 0, 0, 0), NONE}, "(b7) r0 = 0"},
	{{I(0xb7, 1, 0, 0, -1), NONE}, "(b7) r1 = -1"},
	{{I(0xb4, 2, 0, 0, -1), NONE}, "(b4) w2 = -1"},
	{{I(0x07, 1, 0, 0, -1), NONE}, "(07) r1 += -1"},
	{{I(0x04, 2, 0, 0, 5), NONE}, "(04) w2 += 5"},
	{{I(0x0f, 1, 0, 0, 0), NONE}, "(0f) r1 += r0"},
	{{I(0x0c, 2, 2, 0, 0), NONE}, "(0c) w2 += w2"},
	{{I(0x84, 2, 0, 0, 0), NONE}, "(84) w2 = -w2"},
	{{I(0x87, 1, 0, 0, 0), NONE}, "(87) r1 = -r1"},
	{{I(0xd4, 1, 0, 0, 16), NONE}, "(d4) r1 = le16 r1"},
	{{I(0xdc, 1, 0, 0, 64), NONE}, "(dc) r1 = be64 r1"},
	{{I(0xd7, 1, 0, 0, 32), NONE}, "(d7) r1 = bswap32 r1"},
	{{I(0xbf, 3, 1, 8, 0), NONE}, "(bf) r3 = (s8)r1"},
	{{I(0xbc, 4, 2, 16, 0), NONE}, "(bc) w4 = (s16)w2"},
	{{I(0x3f, 1, 1, 1, 0), NONE}, "(3f) r1 s/= r1"},
	{{I(0x9f, 1, 1, 1, 0), NONE}, "(9f) r1 s%= r1"},
	{{I(0xc7, 1, 0, 0, 3), NONE}, "(c7) r1 s>>= 3"},
	{{I(0x7b, 10, 1, -8, 0), NONE}, "(7b) *(u64 *)(r10 -8) = r1"},
	{{I(0x72, 10, 0, -1, 7), NONE}, "(72) *(u8 *)(r10 -1) = 7"},
	{{I(0x79, 5, 10, -8, 0), NONE}, "(79) r5 = *(u64 *)(r10 -8)"},
	{{I(0x91, 5, 10, -8, 0), NONE}, "(91) r5 = *(s8 *)(r10 -8)"},
	{{I(0xdb, 10, 1, -8, 0), NONE}, "(db) lock *(u64 *)(r10 -8) += r1"},
	{{I(0xdb, 10, 1, -8, 1), NONE}, "(db) r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)"},
	{{I(0xdb, 10, 1, -8, 0xe1), NONE}, "(db) r1 = atomic64_xchg((u64 *)(r10 -8), r1)"},
	{{I(0xc3, 10, 2, -8, 1), NONE}, "(c3) r2 = atomic_fetch_add((u32 *)(r10 -8), r2)"},
	{{I(0xdb, 10, 0, -8, 0xf1), NONE}, "(db) r0 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r0)"},
	{{I(0x18, 6, 0, 0, 0x12345678), I(0, 0, 0, 0, 9)}, "(18) r6 = 0x912345678"},
	{{I(0x15, 1, 0, 1, -1), NONE}, "(15) if r1 == 0xffffffff goto pc+1"},
	{{I(0x16, 2, 0, 1, 3), NONE}, "(16) if w2 == 0x3 goto pc+1"},
	{{I(0x2d, 1, 3, 1, 0), NONE}, "(2d) if r1 > r3 goto pc+1"},
	{{I(0xbe, 2, 4, 1, 0), NONE}, "(be) if w2 <= w4 goto pc+1"},
	{{I(0x05, 0, 0, 0, 0), NONE}, "(05) goto pc+0"},
	{{I(0x06, 0, 0, 0, 0), NONE}, "(06) gotol pc+0"},
	{{I(0x85, 0, 0, 0, 5), NONE}, "(85) call bpf_ktime_get_ns#5"},
	{{I(0xbf, 0, 6, 0, 0), NONE}, "(bf) r0 = r6"},
	{{I(0x95, 0, 0, 0, 0), NONE}, "(95) exit"},
};

static const struct kern_text bpftool71[] = {
	{{I(0x18, 1, 1, 0, 7), NONE}, "(18) r1 = map[id:7]"},
	{{I(0x18, 2, 2, 0, 12), I(0, 0, 0, 0, 16)}, "(18) r2 = map[id:12][0]+16"},
	{{I(0x85, 0, 0, 0, 1), NONE}, "(85) call bpf_map_lookup_elem#1"},
	{{I(0x85, 0, 1, 0, 43), NONE}, "(85) call pc+43"},
	{{I(0x61, 2, 1, 4, 0), NONE}, "(61) r2 = *(u32 *)(r1 +4)"},
	{{I(0x2d, 3, 2, 35, 0), NONE}, "(2d) if r3 > r2 goto pc+35"},
};

static void check_texts(const char *file, int line, const struct kern_text *t, size_t n)
{
	char buf[128];
	size_t i, cnt;
	int ret;

	for (i = 0; i < n; i++) {
		cnt = t[i].in[0].code == 0x18 ? 2 : 1;
		ret = ubf_disasm_insn(t[i].in, cnt, 0, UBF_SYNTAX_BPFTOOL, buf, sizeof(buf));
		if (ret != (int)cnt || strcmp(buf, t[i].text))
			ubf_test_fail(file, line, "got '%s' (%d), want '%s'", buf, ret, t[i].text);
	}
}

TEST(disasm_bpftool_matches_linux_printer)
{
	check_texts(__FILE__, __LINE__, linux618, sizeof(linux618) / sizeof(linux618[0]));
}

TEST(disasm_bpftool_prints_xlated_references_as_bpftool)
{
	check_texts(__FILE__, __LINE__, bpftool71, sizeof(bpftool71) / sizeof(bpftool71[0]));
}

TEST(disasm_bpftool_keeps_the_code_of_unknown_encodings)
{
	struct ubf_raw_insn in = I(0x8e, 1, 2, 0, 0);
	char buf[64];

	EXPECT_EQ_INT(ubf_disasm_insn(&in, 1, 0, UBF_SYNTAX_BPFTOOL, buf, sizeof(buf)), 1);
	EXPECT_STREQ(buf, "(8e) <unknown>");
}
