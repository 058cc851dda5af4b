// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_jit_x86_enc_mem.c - the x86-64 encoders of src/jit/x86_64_enc.h
 * that address memory or transfer control (loads, stores, LEA, atomics,
 * PUSH/POP, jumps and calls) against an independent assembler: every row's
 * expected bytes were produced once by llvm-mc (the command is quoted above
 * each table), covering a SIB byte for RSP/R12 bases, a zero disp8 for
 * RBP/R13 bases, disp8/disp32 at their limits and REX for r8-r15.
 */
#include "jit_enc.h"


/*
 * x86_mov_r_m
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row mov_r_m_rows[] = {
	{ 1, X86_RAX, X86_RAX, 0, 0, "movzx eax, byte ptr [rax]", 3, { 0x0f, 0xb6, 0x00 } },
	{ 1, X86_RAX, X86_RSP, 0, 0, "movzx eax, byte ptr [rsp]", 4, { 0x0f, 0xb6, 0x04, 0x24 } },
	{ 1, X86_RAX, X86_RBP, 0, 0, "movzx eax, byte ptr [rbp]", 4, { 0x0f, 0xb6, 0x45, 0x00 } },
	{ 1, X86_RAX, X86_R12, 8, 0, "movzx eax, byte ptr [r12 + 8]",
	  6, { 0x41, 0x0f, 0xb6, 0x44, 0x24, 0x08 } },
	{ 1, X86_RAX, X86_R13, 0, 0, "movzx eax, byte ptr [r13]",
	  5, { 0x41, 0x0f, 0xb6, 0x45, 0x00 } },
	{ 1, X86_RAX, X86_R11, -129, 0, "movzx eax, byte ptr [r11 - 129]",
	  8, { 0x41, 0x0f, 0xb6, 0x83, 0x7f, 0xff, 0xff, 0xff } },
	{ 1, X86_RSI, X86_R13, -8, 0, "movzx esi, byte ptr [r13 - 8]",
	  5, { 0x41, 0x0f, 0xb6, 0x75, 0xf8 } },
	{ 1, X86_R9, X86_R13, -8, 0, "movzx r9d, byte ptr [r13 - 8]",
	  5, { 0x45, 0x0f, 0xb6, 0x4d, 0xf8 } },
	{ 1, X86_R12, X86_R13, -8, 0, "movzx r12d, byte ptr [r13 - 8]",
	  5, { 0x45, 0x0f, 0xb6, 0x65, 0xf8 } },
	{ 2, X86_RAX, X86_RAX, 0, 0, "movzx eax, word ptr [rax]", 3, { 0x0f, 0xb7, 0x00 } },
	{ 2, X86_RAX, X86_RSP, 0, 0, "movzx eax, word ptr [rsp]", 4, { 0x0f, 0xb7, 0x04, 0x24 } },
	{ 2, X86_RAX, X86_RBP, 0, 0, "movzx eax, word ptr [rbp]", 4, { 0x0f, 0xb7, 0x45, 0x00 } },
	{ 2, X86_RAX, X86_R12, 8, 0, "movzx eax, word ptr [r12 + 8]",
	  6, { 0x41, 0x0f, 0xb7, 0x44, 0x24, 0x08 } },
	{ 2, X86_RAX, X86_R13, 0, 0, "movzx eax, word ptr [r13]",
	  5, { 0x41, 0x0f, 0xb7, 0x45, 0x00 } },
	{ 2, X86_RAX, X86_R11, -129, 0, "movzx eax, word ptr [r11 - 129]",
	  8, { 0x41, 0x0f, 0xb7, 0x83, 0x7f, 0xff, 0xff, 0xff } },
	{ 2, X86_RSI, X86_R13, -8, 0, "movzx esi, word ptr [r13 - 8]",
	  5, { 0x41, 0x0f, 0xb7, 0x75, 0xf8 } },
	{ 2, X86_R9, X86_R13, -8, 0, "movzx r9d, word ptr [r13 - 8]",
	  5, { 0x45, 0x0f, 0xb7, 0x4d, 0xf8 } },
	{ 2, X86_R12, X86_R13, -8, 0, "movzx r12d, word ptr [r13 - 8]",
	  5, { 0x45, 0x0f, 0xb7, 0x65, 0xf8 } },
	{ 4, X86_RAX, X86_RAX, 0, 0, "mov eax, dword ptr [rax]", 2, { 0x8b, 0x00 } },
	{ 4, X86_RAX, X86_RSP, 0, 0, "mov eax, dword ptr [rsp]", 3, { 0x8b, 0x04, 0x24 } },
	{ 4, X86_RAX, X86_RBP, 0, 0, "mov eax, dword ptr [rbp]", 3, { 0x8b, 0x45, 0x00 } },
	{ 4, X86_RAX, X86_R12, 8, 0, "mov eax, dword ptr [r12 + 8]",
	  5, { 0x41, 0x8b, 0x44, 0x24, 0x08 } },
	{ 4, X86_RAX, X86_R13, 0, 0, "mov eax, dword ptr [r13]", 4, { 0x41, 0x8b, 0x45, 0x00 } },
	{ 4, X86_RAX, X86_R11, -129, 0, "mov eax, dword ptr [r11 - 129]",
	  7, { 0x41, 0x8b, 0x83, 0x7f, 0xff, 0xff, 0xff } },
	{ 4, X86_RSI, X86_R13, -8, 0, "mov esi, dword ptr [r13 - 8]",
	  4, { 0x41, 0x8b, 0x75, 0xf8 } },
	{ 4, X86_R9, X86_R13, -8, 0, "mov r9d, dword ptr [r13 - 8]",
	  4, { 0x45, 0x8b, 0x4d, 0xf8 } },
	{ 4, X86_R12, X86_R13, -8, 0, "mov r12d, dword ptr [r13 - 8]",
	  4, { 0x45, 0x8b, 0x65, 0xf8 } },
	{ 8, X86_RAX, X86_RAX, 0, 0, "mov rax, qword ptr [rax]", 3, { 0x48, 0x8b, 0x00 } },
	{ 8, X86_RAX, X86_RSP, 0, 0, "mov rax, qword ptr [rsp]", 4, { 0x48, 0x8b, 0x04, 0x24 } },
	{ 8, X86_RAX, X86_RBP, 0, 0, "mov rax, qword ptr [rbp]", 4, { 0x48, 0x8b, 0x45, 0x00 } },
	{ 8, X86_RAX, X86_RDI, 0, 0, "mov rax, qword ptr [rdi]", 3, { 0x48, 0x8b, 0x07 } },
	{ 8, X86_RAX, X86_R8, 0, 0, "mov rax, qword ptr [r8]", 3, { 0x49, 0x8b, 0x00 } },
	{ 8, X86_RAX, X86_R11, 0, 0, "mov rax, qword ptr [r11]", 3, { 0x49, 0x8b, 0x03 } },
	{ 8, X86_RAX, X86_R12, 0, 0, "mov rax, qword ptr [r12]", 4, { 0x49, 0x8b, 0x04, 0x24 } },
	{ 8, X86_RAX, X86_R13, 0, 0, "mov rax, qword ptr [r13]", 4, { 0x49, 0x8b, 0x45, 0x00 } },
	{ 8, X86_RAX, X86_R15, 0, 0, "mov rax, qword ptr [r15]", 3, { 0x49, 0x8b, 0x07 } },
	{ 8, X86_RAX, X86_RAX, -8, 0, "mov rax, qword ptr [rax - 8]",
	  4, { 0x48, 0x8b, 0x40, 0xf8 } },
	{ 8, X86_RAX, X86_RSP, -8, 0, "mov rax, qword ptr [rsp - 8]",
	  5, { 0x48, 0x8b, 0x44, 0x24, 0xf8 } },
	{ 8, X86_RAX, X86_RBP, -8, 0, "mov rax, qword ptr [rbp - 8]",
	  4, { 0x48, 0x8b, 0x45, 0xf8 } },
	{ 8, X86_RAX, X86_RDI, -8, 0, "mov rax, qword ptr [rdi - 8]",
	  4, { 0x48, 0x8b, 0x47, 0xf8 } },
	{ 8, X86_RAX, X86_R8, -8, 0, "mov rax, qword ptr [r8 - 8]", 4, { 0x49, 0x8b, 0x40, 0xf8 } },
	{ 8, X86_RAX, X86_R11, -8, 0, "mov rax, qword ptr [r11 - 8]",
	  4, { 0x49, 0x8b, 0x43, 0xf8 } },
	{ 8, X86_RAX, X86_R12, -8, 0, "mov rax, qword ptr [r12 - 8]",
	  5, { 0x49, 0x8b, 0x44, 0x24, 0xf8 } },
	{ 8, X86_RAX, X86_R13, -8, 0, "mov rax, qword ptr [r13 - 8]",
	  4, { 0x49, 0x8b, 0x45, 0xf8 } },
	{ 8, X86_RAX, X86_R15, -8, 0, "mov rax, qword ptr [r15 - 8]",
	  4, { 0x49, 0x8b, 0x47, 0xf8 } },
	{ 8, X86_RAX, X86_RAX, 127, 0, "mov rax, qword ptr [rax + 127]",
	  4, { 0x48, 0x8b, 0x40, 0x7f } },
	{ 8, X86_RAX, X86_RAX, 128, 0, "mov rax, qword ptr [rax + 128]",
	  7, { 0x48, 0x8b, 0x80, 0x80, 0x00, 0x00, 0x00 } },
	{ 8, X86_RAX, X86_RAX, -128, 0, "mov rax, qword ptr [rax - 128]",
	  4, { 0x48, 0x8b, 0x40, 0x80 } },
	{ 8, X86_RAX, X86_RAX, -129, 0, "mov rax, qword ptr [rax - 129]",
	  7, { 0x48, 0x8b, 0x80, 0x7f, 0xff, 0xff, 0xff } },
	{ 8, X86_RAX, X86_RAX, 2147483647, 0, "mov rax, qword ptr [rax + 2147483647]",
	  7, { 0x48, 0x8b, 0x80, 0xff, 0xff, 0xff, 0x7f } },
	{ 8, X86_RAX, X86_RAX, INT32_MIN, 0, "mov rax, qword ptr [rax - 2147483648]",
	  7, { 0x48, 0x8b, 0x80, 0x00, 0x00, 0x00, 0x80 } },
	{ 8, X86_RAX, X86_RBP, 127, 0, "mov rax, qword ptr [rbp + 127]",
	  4, { 0x48, 0x8b, 0x45, 0x7f } },
	{ 8, X86_RAX, X86_RBP, 128, 0, "mov rax, qword ptr [rbp + 128]",
	  7, { 0x48, 0x8b, 0x85, 0x80, 0x00, 0x00, 0x00 } },
	{ 8, X86_RAX, X86_RBP, -128, 0, "mov rax, qword ptr [rbp - 128]",
	  4, { 0x48, 0x8b, 0x45, 0x80 } },
	{ 8, X86_RAX, X86_RBP, -129, 0, "mov rax, qword ptr [rbp - 129]",
	  7, { 0x48, 0x8b, 0x85, 0x7f, 0xff, 0xff, 0xff } },
	{ 8, X86_RAX, X86_RBP, 2147483647, 0, "mov rax, qword ptr [rbp + 2147483647]",
	  7, { 0x48, 0x8b, 0x85, 0xff, 0xff, 0xff, 0x7f } },
	{ 8, X86_RAX, X86_RBP, INT32_MIN, 0, "mov rax, qword ptr [rbp - 2147483648]",
	  7, { 0x48, 0x8b, 0x85, 0x00, 0x00, 0x00, 0x80 } },
	{ 8, X86_RAX, X86_R12, 127, 0, "mov rax, qword ptr [r12 + 127]",
	  5, { 0x49, 0x8b, 0x44, 0x24, 0x7f } },
	{ 8, X86_RAX, X86_R12, 128, 0, "mov rax, qword ptr [r12 + 128]",
	  8, { 0x49, 0x8b, 0x84, 0x24, 0x80, 0x00, 0x00, 0x00 } },
	{ 8, X86_RAX, X86_R12, -128, 0, "mov rax, qword ptr [r12 - 128]",
	  5, { 0x49, 0x8b, 0x44, 0x24, 0x80 } },
	{ 8, X86_RAX, X86_R12, -129, 0, "mov rax, qword ptr [r12 - 129]",
	  8, { 0x49, 0x8b, 0x84, 0x24, 0x7f, 0xff, 0xff, 0xff } },
	{ 8, X86_RAX, X86_R12, 2147483647, 0, "mov rax, qword ptr [r12 + 2147483647]",
	  8, { 0x49, 0x8b, 0x84, 0x24, 0xff, 0xff, 0xff, 0x7f } },
	{ 8, X86_RAX, X86_R12, INT32_MIN, 0, "mov rax, qword ptr [r12 - 2147483648]",
	  8, { 0x49, 0x8b, 0x84, 0x24, 0x00, 0x00, 0x00, 0x80 } },
	{ 8, X86_RSI, X86_R13, -8, 0, "mov rsi, qword ptr [r13 - 8]",
	  4, { 0x49, 0x8b, 0x75, 0xf8 } },
	{ 8, X86_R9, X86_R13, -8, 0, "mov r9, qword ptr [r13 - 8]", 4, { 0x4d, 0x8b, 0x4d, 0xf8 } },
	{ 8, X86_R12, X86_R13, -8, 0, "mov r12, qword ptr [r13 - 8]",
	  4, { 0x4d, 0x8b, 0x65, 0xf8 } },
};
ENC_TEST(mov_r_m, x86_mov_r_m((unsigned)r->a, r->b, r->c, (int32_t)r->d))

/*
 * x86_movsx_r64_m
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row movsx_r64_m_rows[] = {
	{ 1, X86_RAX, X86_RAX, 0, 0, "movsx rax, byte ptr [rax]", 4, { 0x48, 0x0f, 0xbe, 0x00 } },
	{ 1, X86_RAX, X86_RSP, 0, 0, "movsx rax, byte ptr [rsp]",
	  5, { 0x48, 0x0f, 0xbe, 0x04, 0x24 } },
	{ 1, X86_RAX, X86_RBP, 0, 0, "movsx rax, byte ptr [rbp]",
	  5, { 0x48, 0x0f, 0xbe, 0x45, 0x00 } },
	{ 1, X86_RAX, X86_R12, 8, 0, "movsx rax, byte ptr [r12 + 8]",
	  6, { 0x49, 0x0f, 0xbe, 0x44, 0x24, 0x08 } },
	{ 1, X86_RAX, X86_R13, 0, 0, "movsx rax, byte ptr [r13]",
	  5, { 0x49, 0x0f, 0xbe, 0x45, 0x00 } },
	{ 1, X86_RAX, X86_R11, -129, 0, "movsx rax, byte ptr [r11 - 129]",
	  8, { 0x49, 0x0f, 0xbe, 0x83, 0x7f, 0xff, 0xff, 0xff } },
	{ 1, X86_R9, X86_RAX, 0, 0, "movsx r9, byte ptr [rax]", 4, { 0x4c, 0x0f, 0xbe, 0x08 } },
	{ 1, X86_R9, X86_RSP, 0, 0, "movsx r9, byte ptr [rsp]",
	  5, { 0x4c, 0x0f, 0xbe, 0x0c, 0x24 } },
	{ 1, X86_R9, X86_RBP, 0, 0, "movsx r9, byte ptr [rbp]",
	  5, { 0x4c, 0x0f, 0xbe, 0x4d, 0x00 } },
	{ 1, X86_R9, X86_R12, 8, 0, "movsx r9, byte ptr [r12 + 8]",
	  6, { 0x4d, 0x0f, 0xbe, 0x4c, 0x24, 0x08 } },
	{ 1, X86_R9, X86_R13, 0, 0, "movsx r9, byte ptr [r13]",
	  5, { 0x4d, 0x0f, 0xbe, 0x4d, 0x00 } },
	{ 1, X86_R9, X86_R11, -129, 0, "movsx r9, byte ptr [r11 - 129]",
	  8, { 0x4d, 0x0f, 0xbe, 0x8b, 0x7f, 0xff, 0xff, 0xff } },
	{ 2, X86_RAX, X86_RAX, 0, 0, "movsx rax, word ptr [rax]", 4, { 0x48, 0x0f, 0xbf, 0x00 } },
	{ 2, X86_RAX, X86_RSP, 0, 0, "movsx rax, word ptr [rsp]",
	  5, { 0x48, 0x0f, 0xbf, 0x04, 0x24 } },
	{ 2, X86_RAX, X86_RBP, 0, 0, "movsx rax, word ptr [rbp]",
	  5, { 0x48, 0x0f, 0xbf, 0x45, 0x00 } },
	{ 2, X86_RAX, X86_R12, 8, 0, "movsx rax, word ptr [r12 + 8]",
	  6, { 0x49, 0x0f, 0xbf, 0x44, 0x24, 0x08 } },
	{ 2, X86_RAX, X86_R13, 0, 0, "movsx rax, word ptr [r13]",
	  5, { 0x49, 0x0f, 0xbf, 0x45, 0x00 } },
	{ 2, X86_RAX, X86_R11, -129, 0, "movsx rax, word ptr [r11 - 129]",
	  8, { 0x49, 0x0f, 0xbf, 0x83, 0x7f, 0xff, 0xff, 0xff } },
	{ 2, X86_R9, X86_RAX, 0, 0, "movsx r9, word ptr [rax]", 4, { 0x4c, 0x0f, 0xbf, 0x08 } },
	{ 2, X86_R9, X86_RSP, 0, 0, "movsx r9, word ptr [rsp]",
	  5, { 0x4c, 0x0f, 0xbf, 0x0c, 0x24 } },
	{ 2, X86_R9, X86_RBP, 0, 0, "movsx r9, word ptr [rbp]",
	  5, { 0x4c, 0x0f, 0xbf, 0x4d, 0x00 } },
	{ 2, X86_R9, X86_R12, 8, 0, "movsx r9, word ptr [r12 + 8]",
	  6, { 0x4d, 0x0f, 0xbf, 0x4c, 0x24, 0x08 } },
	{ 2, X86_R9, X86_R13, 0, 0, "movsx r9, word ptr [r13]",
	  5, { 0x4d, 0x0f, 0xbf, 0x4d, 0x00 } },
	{ 2, X86_R9, X86_R11, -129, 0, "movsx r9, word ptr [r11 - 129]",
	  8, { 0x4d, 0x0f, 0xbf, 0x8b, 0x7f, 0xff, 0xff, 0xff } },
	{ 4, X86_RAX, X86_RAX, 0, 0, "movsxd rax, dword ptr [rax]", 3, { 0x48, 0x63, 0x00 } },
	{ 4, X86_RAX, X86_RSP, 0, 0, "movsxd rax, dword ptr [rsp]", 4, { 0x48, 0x63, 0x04, 0x24 } },
	{ 4, X86_RAX, X86_RBP, 0, 0, "movsxd rax, dword ptr [rbp]", 4, { 0x48, 0x63, 0x45, 0x00 } },
	{ 4, X86_RAX, X86_R12, 8, 0, "movsxd rax, dword ptr [r12 + 8]",
	  5, { 0x49, 0x63, 0x44, 0x24, 0x08 } },
	{ 4, X86_RAX, X86_R13, 0, 0, "movsxd rax, dword ptr [r13]", 4, { 0x49, 0x63, 0x45, 0x00 } },
	{ 4, X86_RAX, X86_R11, -129, 0, "movsxd rax, dword ptr [r11 - 129]",
	  7, { 0x49, 0x63, 0x83, 0x7f, 0xff, 0xff, 0xff } },
	{ 4, X86_R9, X86_RAX, 0, 0, "movsxd r9, dword ptr [rax]", 3, { 0x4c, 0x63, 0x08 } },
	{ 4, X86_R9, X86_RSP, 0, 0, "movsxd r9, dword ptr [rsp]", 4, { 0x4c, 0x63, 0x0c, 0x24 } },
	{ 4, X86_R9, X86_RBP, 0, 0, "movsxd r9, dword ptr [rbp]", 4, { 0x4c, 0x63, 0x4d, 0x00 } },
	{ 4, X86_R9, X86_R12, 8, 0, "movsxd r9, dword ptr [r12 + 8]",
	  5, { 0x4d, 0x63, 0x4c, 0x24, 0x08 } },
	{ 4, X86_R9, X86_R13, 0, 0, "movsxd r9, dword ptr [r13]", 4, { 0x4d, 0x63, 0x4d, 0x00 } },
	{ 4, X86_R9, X86_R11, -129, 0, "movsxd r9, dword ptr [r11 - 129]",
	  7, { 0x4d, 0x63, 0x8b, 0x7f, 0xff, 0xff, 0xff } },
};
ENC_TEST(movsx_r64_m, x86_movsx_r64_m((unsigned)r->a, r->b, r->c, (int32_t)r->d))

/*
 * x86_mov_m_r
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row mov_m_r_rows[] = {
	{ 1, X86_RAX, 0, X86_RAX, 0, "mov byte ptr [rax], al", 2, { 0x88, 0x00 } },
	{ 1, X86_RSP, 0, X86_RAX, 0, "mov byte ptr [rsp], al", 3, { 0x88, 0x04, 0x24 } },
	{ 1, X86_RBP, 0, X86_RAX, 0, "mov byte ptr [rbp], al", 3, { 0x88, 0x45, 0x00 } },
	{ 1, X86_RDI, 0, X86_RAX, 0, "mov byte ptr [rdi], al", 2, { 0x88, 0x07 } },
	{ 1, X86_R8, 0, X86_RAX, 0, "mov byte ptr [r8], al", 3, { 0x41, 0x88, 0x00 } },
	{ 1, X86_R11, 0, X86_RAX, 0, "mov byte ptr [r11], al", 3, { 0x41, 0x88, 0x03 } },
	{ 1, X86_R12, 0, X86_RAX, 0, "mov byte ptr [r12], al", 4, { 0x41, 0x88, 0x04, 0x24 } },
	{ 1, X86_R13, 0, X86_RAX, 0, "mov byte ptr [r13], al", 4, { 0x41, 0x88, 0x45, 0x00 } },
	{ 1, X86_R15, 0, X86_RAX, 0, "mov byte ptr [r15], al", 3, { 0x41, 0x88, 0x07 } },
	{ 1, X86_RAX, -8, X86_RAX, 0, "mov byte ptr [rax - 8], al", 3, { 0x88, 0x40, 0xf8 } },
	{ 1, X86_RSP, -8, X86_RAX, 0, "mov byte ptr [rsp - 8], al", 4, { 0x88, 0x44, 0x24, 0xf8 } },
	{ 1, X86_RBP, -8, X86_RAX, 0, "mov byte ptr [rbp - 8], al", 3, { 0x88, 0x45, 0xf8 } },
	{ 1, X86_RDI, -8, X86_RAX, 0, "mov byte ptr [rdi - 8], al", 3, { 0x88, 0x47, 0xf8 } },
	{ 1, X86_R8, -8, X86_RAX, 0, "mov byte ptr [r8 - 8], al", 4, { 0x41, 0x88, 0x40, 0xf8 } },
	{ 1, X86_R11, -8, X86_RAX, 0, "mov byte ptr [r11 - 8], al", 4, { 0x41, 0x88, 0x43, 0xf8 } },
	{ 1, X86_R12, -8, X86_RAX, 0, "mov byte ptr [r12 - 8], al",
	  5, { 0x41, 0x88, 0x44, 0x24, 0xf8 } },
	{ 1, X86_R13, -8, X86_RAX, 0, "mov byte ptr [r13 - 8], al", 4, { 0x41, 0x88, 0x45, 0xf8 } },
	{ 1, X86_R15, -8, X86_RAX, 0, "mov byte ptr [r15 - 8], al", 4, { 0x41, 0x88, 0x47, 0xf8 } },
	{ 1, X86_RAX, 127, X86_RAX, 0, "mov byte ptr [rax + 127], al", 3, { 0x88, 0x40, 0x7f } },
	{ 1, X86_RAX, 128, X86_RAX, 0, "mov byte ptr [rax + 128], al",
	  6, { 0x88, 0x80, 0x80, 0x00, 0x00, 0x00 } },
	{ 1, X86_RAX, -128, X86_RAX, 0, "mov byte ptr [rax - 128], al", 3, { 0x88, 0x40, 0x80 } },
	{ 1, X86_RAX, -129, X86_RAX, 0, "mov byte ptr [rax - 129], al",
	  6, { 0x88, 0x80, 0x7f, 0xff, 0xff, 0xff } },
	{ 1, X86_RAX, 2147483647, X86_RAX, 0, "mov byte ptr [rax + 2147483647], al",
	  6, { 0x88, 0x80, 0xff, 0xff, 0xff, 0x7f } },
	{ 1, X86_RAX, INT32_MIN, X86_RAX, 0, "mov byte ptr [rax - 2147483648], al",
	  6, { 0x88, 0x80, 0x00, 0x00, 0x00, 0x80 } },
	{ 1, X86_RBP, 127, X86_RAX, 0, "mov byte ptr [rbp + 127], al", 3, { 0x88, 0x45, 0x7f } },
	{ 1, X86_RBP, 128, X86_RAX, 0, "mov byte ptr [rbp + 128], al",
	  6, { 0x88, 0x85, 0x80, 0x00, 0x00, 0x00 } },
	{ 1, X86_RBP, -128, X86_RAX, 0, "mov byte ptr [rbp - 128], al", 3, { 0x88, 0x45, 0x80 } },
	{ 1, X86_RBP, -129, X86_RAX, 0, "mov byte ptr [rbp - 129], al",
	  6, { 0x88, 0x85, 0x7f, 0xff, 0xff, 0xff } },
	{ 1, X86_RBP, 2147483647, X86_RAX, 0, "mov byte ptr [rbp + 2147483647], al",
	  6, { 0x88, 0x85, 0xff, 0xff, 0xff, 0x7f } },
	{ 1, X86_RBP, INT32_MIN, X86_RAX, 0, "mov byte ptr [rbp - 2147483648], al",
	  6, { 0x88, 0x85, 0x00, 0x00, 0x00, 0x80 } },
	{ 1, X86_R12, 127, X86_RAX, 0, "mov byte ptr [r12 + 127], al",
	  5, { 0x41, 0x88, 0x44, 0x24, 0x7f } },
	{ 1, X86_R12, 128, X86_RAX, 0, "mov byte ptr [r12 + 128], al",
	  8, { 0x41, 0x88, 0x84, 0x24, 0x80, 0x00, 0x00, 0x00 } },
	{ 1, X86_R12, -128, X86_RAX, 0, "mov byte ptr [r12 - 128], al",
	  5, { 0x41, 0x88, 0x44, 0x24, 0x80 } },
	{ 1, X86_R12, -129, X86_RAX, 0, "mov byte ptr [r12 - 129], al",
	  8, { 0x41, 0x88, 0x84, 0x24, 0x7f, 0xff, 0xff, 0xff } },
	{ 1, X86_R12, 2147483647, X86_RAX, 0, "mov byte ptr [r12 + 2147483647], al",
	  8, { 0x41, 0x88, 0x84, 0x24, 0xff, 0xff, 0xff, 0x7f } },
	{ 1, X86_R12, INT32_MIN, X86_RAX, 0, "mov byte ptr [r12 - 2147483648], al",
	  8, { 0x41, 0x88, 0x84, 0x24, 0x00, 0x00, 0x00, 0x80 } },
	{ 1, X86_RDI, 8, X86_RSP, 0, "mov byte ptr [rdi + 8], spl", 4, { 0x40, 0x88, 0x67, 0x08 } },
	{ 1, X86_RDI, 8, X86_RBP, 0, "mov byte ptr [rdi + 8], bpl", 4, { 0x40, 0x88, 0x6f, 0x08 } },
	{ 1, X86_RDI, 8, X86_RSI, 0, "mov byte ptr [rdi + 8], sil", 4, { 0x40, 0x88, 0x77, 0x08 } },
	{ 1, X86_RDI, 8, X86_RDI, 0, "mov byte ptr [rdi + 8], dil", 4, { 0x40, 0x88, 0x7f, 0x08 } },
	{ 1, X86_RDI, 8, X86_R10, 0, "mov byte ptr [rdi + 8], r10b",
	  4, { 0x44, 0x88, 0x57, 0x08 } },
	{ 1, X86_RDI, 8, X86_R15, 0, "mov byte ptr [rdi + 8], r15b",
	  4, { 0x44, 0x88, 0x7f, 0x08 } },
	{ 2, X86_RAX, 0, X86_RAX, 0, "mov word ptr [rax], ax", 3, { 0x66, 0x89, 0x00 } },
	{ 2, X86_RSP, 0, X86_RAX, 0, "mov word ptr [rsp], ax", 4, { 0x66, 0x89, 0x04, 0x24 } },
	{ 2, X86_RBP, 0, X86_RAX, 0, "mov word ptr [rbp], ax", 4, { 0x66, 0x89, 0x45, 0x00 } },
	{ 2, X86_R12, 8, X86_RAX, 0, "mov word ptr [r12 + 8], ax",
	  6, { 0x66, 0x41, 0x89, 0x44, 0x24, 0x08 } },
	{ 2, X86_R13, 0, X86_RAX, 0, "mov word ptr [r13], ax",
	  5, { 0x66, 0x41, 0x89, 0x45, 0x00 } },
	{ 2, X86_R11, -129, X86_RAX, 0, "mov word ptr [r11 - 129], ax",
	  8, { 0x66, 0x41, 0x89, 0x83, 0x7f, 0xff, 0xff, 0xff } },
	{ 2, X86_RDI, 8, X86_RSP, 0, "mov word ptr [rdi + 8], sp", 4, { 0x66, 0x89, 0x67, 0x08 } },
	{ 2, X86_RDI, 8, X86_RBP, 0, "mov word ptr [rdi + 8], bp", 4, { 0x66, 0x89, 0x6f, 0x08 } },
	{ 2, X86_RDI, 8, X86_RSI, 0, "mov word ptr [rdi + 8], si", 4, { 0x66, 0x89, 0x77, 0x08 } },
	{ 2, X86_RDI, 8, X86_RDI, 0, "mov word ptr [rdi + 8], di", 4, { 0x66, 0x89, 0x7f, 0x08 } },
	{ 2, X86_RDI, 8, X86_R10, 0, "mov word ptr [rdi + 8], r10w",
	  5, { 0x66, 0x44, 0x89, 0x57, 0x08 } },
	{ 2, X86_RDI, 8, X86_R15, 0, "mov word ptr [rdi + 8], r15w",
	  5, { 0x66, 0x44, 0x89, 0x7f, 0x08 } },
	{ 4, X86_RAX, 0, X86_RAX, 0, "mov dword ptr [rax], eax", 2, { 0x89, 0x00 } },
	{ 4, X86_RSP, 0, X86_RAX, 0, "mov dword ptr [rsp], eax", 3, { 0x89, 0x04, 0x24 } },
	{ 4, X86_RBP, 0, X86_RAX, 0, "mov dword ptr [rbp], eax", 3, { 0x89, 0x45, 0x00 } },
	{ 4, X86_R12, 8, X86_RAX, 0, "mov dword ptr [r12 + 8], eax",
	  5, { 0x41, 0x89, 0x44, 0x24, 0x08 } },
	{ 4, X86_R13, 0, X86_RAX, 0, "mov dword ptr [r13], eax", 4, { 0x41, 0x89, 0x45, 0x00 } },
	{ 4, X86_R11, -129, X86_RAX, 0, "mov dword ptr [r11 - 129], eax",
	  7, { 0x41, 0x89, 0x83, 0x7f, 0xff, 0xff, 0xff } },
	{ 4, X86_RDI, 8, X86_RSP, 0, "mov dword ptr [rdi + 8], esp", 3, { 0x89, 0x67, 0x08 } },
	{ 4, X86_RDI, 8, X86_RBP, 0, "mov dword ptr [rdi + 8], ebp", 3, { 0x89, 0x6f, 0x08 } },
	{ 4, X86_RDI, 8, X86_RSI, 0, "mov dword ptr [rdi + 8], esi", 3, { 0x89, 0x77, 0x08 } },
	{ 4, X86_RDI, 8, X86_RDI, 0, "mov dword ptr [rdi + 8], edi", 3, { 0x89, 0x7f, 0x08 } },
	{ 4, X86_RDI, 8, X86_R10, 0, "mov dword ptr [rdi + 8], r10d",
	  4, { 0x44, 0x89, 0x57, 0x08 } },
	{ 4, X86_RDI, 8, X86_R15, 0, "mov dword ptr [rdi + 8], r15d",
	  4, { 0x44, 0x89, 0x7f, 0x08 } },
	{ 8, X86_RAX, 0, X86_RAX, 0, "mov qword ptr [rax], rax", 3, { 0x48, 0x89, 0x00 } },
	{ 8, X86_RSP, 0, X86_RAX, 0, "mov qword ptr [rsp], rax", 4, { 0x48, 0x89, 0x04, 0x24 } },
	{ 8, X86_RBP, 0, X86_RAX, 0, "mov qword ptr [rbp], rax", 4, { 0x48, 0x89, 0x45, 0x00 } },
	{ 8, X86_R12, 8, X86_RAX, 0, "mov qword ptr [r12 + 8], rax",
	  5, { 0x49, 0x89, 0x44, 0x24, 0x08 } },
	{ 8, X86_R13, 0, X86_RAX, 0, "mov qword ptr [r13], rax", 4, { 0x49, 0x89, 0x45, 0x00 } },
	{ 8, X86_R11, -129, X86_RAX, 0, "mov qword ptr [r11 - 129], rax",
	  7, { 0x49, 0x89, 0x83, 0x7f, 0xff, 0xff, 0xff } },
	{ 8, X86_RDI, 8, X86_RSP, 0, "mov qword ptr [rdi + 8], rsp",
	  4, { 0x48, 0x89, 0x67, 0x08 } },
	{ 8, X86_RDI, 8, X86_RBP, 0, "mov qword ptr [rdi + 8], rbp",
	  4, { 0x48, 0x89, 0x6f, 0x08 } },
	{ 8, X86_RDI, 8, X86_RSI, 0, "mov qword ptr [rdi + 8], rsi",
	  4, { 0x48, 0x89, 0x77, 0x08 } },
	{ 8, X86_RDI, 8, X86_RDI, 0, "mov qword ptr [rdi + 8], rdi",
	  4, { 0x48, 0x89, 0x7f, 0x08 } },
	{ 8, X86_RDI, 8, X86_R10, 0, "mov qword ptr [rdi + 8], r10",
	  4, { 0x4c, 0x89, 0x57, 0x08 } },
	{ 8, X86_RDI, 8, X86_R15, 0, "mov qword ptr [rdi + 8], r15",
	  4, { 0x4c, 0x89, 0x7f, 0x08 } },
};
ENC_TEST(mov_m_r, x86_mov_m_r((unsigned)r->a, r->b, (int32_t)r->c, r->d))

/*
 * x86_mov_m_imm
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row mov_m_imm_rows[] = {
	{ 1, X86_RAX, 0, 127, 0, "mov byte ptr [rax], 127", 3, { 0xc6, 0x00, 0x7f } },
	{ 1, X86_RSP, 0, -1, 0, "mov byte ptr [rsp], -1", 4, { 0xc6, 0x04, 0x24, 0xff } },
	{ 1, X86_RBP, 0, 127, 0, "mov byte ptr [rbp], 127", 4, { 0xc6, 0x45, 0x00, 0x7f } },
	{ 1, X86_R12, 8, -1, 0, "mov byte ptr [r12 + 8], -1",
	  6, { 0x41, 0xc6, 0x44, 0x24, 0x08, 0xff } },
	{ 1, X86_R13, 0, 127, 0, "mov byte ptr [r13], 127", 5, { 0x41, 0xc6, 0x45, 0x00, 0x7f } },
	{ 1, X86_R11, -129, -1, 0, "mov byte ptr [r11 - 129], -1",
	  8, { 0x41, 0xc6, 0x83, 0x7f, 0xff, 0xff, 0xff, 0xff } },
	{ 2, X86_RAX, 0, 4660, 0, "mov word ptr [rax], 4660", 5, { 0x66, 0xc7, 0x00, 0x34, 0x12 } },
	{ 2, X86_RSP, 0, -2, 0, "mov word ptr [rsp], -2",
	  6, { 0x66, 0xc7, 0x04, 0x24, 0xfe, 0xff } },
	{ 2, X86_RBP, 0, 4660, 0, "mov word ptr [rbp], 4660",
	  6, { 0x66, 0xc7, 0x45, 0x00, 0x34, 0x12 } },
	{ 2, X86_R12, 8, -2, 0, "mov word ptr [r12 + 8], -2",
	  8, { 0x66, 0x41, 0xc7, 0x44, 0x24, 0x08, 0xfe, 0xff } },
	{ 2, X86_R13, 0, 4660, 0, "mov word ptr [r13], 4660",
	  7, { 0x66, 0x41, 0xc7, 0x45, 0x00, 0x34, 0x12 } },
	{ 2, X86_R11, -129, -2, 0, "mov word ptr [r11 - 129], -2",
	  10, { 0x66, 0x41, 0xc7, 0x83, 0x7f, 0xff, 0xff, 0xff, 0xfe, 0xff } },
	{ 4, X86_RAX, 0, 305419896, 0, "mov dword ptr [rax], 305419896",
	  6, { 0xc7, 0x00, 0x78, 0x56, 0x34, 0x12 } },
	{ 4, X86_RSP, 0, -3, 0, "mov dword ptr [rsp], -3",
	  7, { 0xc7, 0x04, 0x24, 0xfd, 0xff, 0xff, 0xff } },
	{ 4, X86_RBP, 0, 305419896, 0, "mov dword ptr [rbp], 305419896",
	  7, { 0xc7, 0x45, 0x00, 0x78, 0x56, 0x34, 0x12 } },
	{ 4, X86_R12, 8, -3, 0, "mov dword ptr [r12 + 8], -3",
	  9, { 0x41, 0xc7, 0x44, 0x24, 0x08, 0xfd, 0xff, 0xff, 0xff } },
	{ 4, X86_R13, 0, 305419896, 0, "mov dword ptr [r13], 305419896",
	  8, { 0x41, 0xc7, 0x45, 0x00, 0x78, 0x56, 0x34, 0x12 } },
	{ 4, X86_R11, -129, -3, 0, "mov dword ptr [r11 - 129], -3",
	  11, { 0x41, 0xc7, 0x83, 0x7f, 0xff, 0xff, 0xff, 0xfd, 0xff, 0xff, 0xff } },
	{ 8, X86_RAX, 0, 1, 0, "mov qword ptr [rax], 1",
	  7, { 0x48, 0xc7, 0x00, 0x01, 0x00, 0x00, 0x00 } },
	{ 8, X86_RSP, 0, INT32_MIN, 0, "mov qword ptr [rsp], -2147483648",
	  8, { 0x48, 0xc7, 0x04, 0x24, 0x00, 0x00, 0x00, 0x80 } },
	{ 8, X86_RBP, 0, 1, 0, "mov qword ptr [rbp], 1",
	  8, { 0x48, 0xc7, 0x45, 0x00, 0x01, 0x00, 0x00, 0x00 } },
	{ 8, X86_R12, 8, INT32_MIN, 0, "mov qword ptr [r12 + 8], -2147483648",
	  9, { 0x49, 0xc7, 0x44, 0x24, 0x08, 0x00, 0x00, 0x00, 0x80 } },
	{ 8, X86_R13, 0, 1, 0, "mov qword ptr [r13], 1",
	  8, { 0x49, 0xc7, 0x45, 0x00, 0x01, 0x00, 0x00, 0x00 } },
	{ 8, X86_R11, -129, INT32_MIN, 0, "mov qword ptr [r11 - 129], -2147483648",
	  11, { 0x49, 0xc7, 0x83, 0x7f, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x80 } },
};
ENC_TEST(mov_m_imm, x86_mov_m_imm((unsigned)r->a, r->b, (int32_t)r->c, (int32_t)r->d))

/*
 * x86_lea_r_m
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row lea_r_m_rows[] = {
	{ X86_R11, X86_RAX, 0, 0, 0, "lea r11, [rax]", 3, { 0x4c, 0x8d, 0x18 } },
	{ X86_R11, X86_RSP, 0, 0, 0, "lea r11, [rsp]", 4, { 0x4c, 0x8d, 0x1c, 0x24 } },
	{ X86_R11, X86_RBP, 0, 0, 0, "lea r11, [rbp]", 4, { 0x4c, 0x8d, 0x5d, 0x00 } },
	{ X86_R11, X86_R12, 8, 0, 0, "lea r11, [r12 + 8]", 5, { 0x4d, 0x8d, 0x5c, 0x24, 0x08 } },
	{ X86_R11, X86_R13, 0, 0, 0, "lea r11, [r13]", 4, { 0x4d, 0x8d, 0x5d, 0x00 } },
	{ X86_R11, X86_R11, -129, 0, 0, "lea r11, [r11 - 129]",
	  7, { 0x4d, 0x8d, 0x9b, 0x7f, 0xff, 0xff, 0xff } },
	{ X86_R11, X86_RBP, -512, 0, 0, "lea r11, [rbp - 512]",
	  7, { 0x4c, 0x8d, 0x9d, 0x00, 0xfe, 0xff, 0xff } },
	{ X86_RBP, X86_RBP, -512, 0, 0, "lea rbp, [rbp - 512]",
	  7, { 0x48, 0x8d, 0xad, 0x00, 0xfe, 0xff, 0xff } },
	{ X86_RAX, X86_R12, 16, 0, 0, "lea rax, [r12 + 16]", 5, { 0x49, 0x8d, 0x44, 0x24, 0x10 } },
};
ENC_TEST(lea_r_m, x86_lea_r_m(r->a, r->b, (int32_t)r->c))

/*
 * x86_lea_r32_m
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row lea_r32_m_rows[] = {
	{ X86_R11, X86_RAX, 0, 0, 0, "lea r11d, [rax]", 3, { 0x44, 0x8d, 0x18 } },
	{ X86_R11, X86_RSP, 0, 0, 0, "lea r11d, [rsp]", 4, { 0x44, 0x8d, 0x1c, 0x24 } },
	{ X86_R11, X86_RBP, 0, 0, 0, "lea r11d, [rbp]", 4, { 0x44, 0x8d, 0x5d, 0x00 } },
	{ X86_R11, X86_R12, 8, 0, 0, "lea r11d, [r12 + 8]", 5, { 0x45, 0x8d, 0x5c, 0x24, 0x08 } },
	{ X86_R11, X86_R13, 0, 0, 0, "lea r11d, [r13]", 4, { 0x45, 0x8d, 0x5d, 0x00 } },
	{ X86_R11, X86_R11, -129, 0, 0, "lea r11d, [r11 - 129]",
	  7, { 0x45, 0x8d, 0x9b, 0x7f, 0xff, 0xff, 0xff } },
	{ X86_RAX, X86_R13, -1, 0, 0, "lea eax, [r13 - 1]", 4, { 0x41, 0x8d, 0x45, 0xff } },
};
ENC_TEST(lea_r32_m, x86_lea_r32_m(r->a, r->b, (int32_t)r->c))

/*
 * x86_lea_r_bi
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row lea_r_bi_rows[] = {
	{ true, X86_RAX, X86_RBX, X86_RCX, 0, "lea rax, [rbx + rcx]",
	  4, { 0x48, 0x8d, 0x04, 0x0b } },
	{ true, X86_R14, X86_RBX, X86_R13, 0, "lea r14, [rbx + r13]",
	  4, { 0x4e, 0x8d, 0x34, 0x2b } },
	{ true, X86_RAX, X86_RBP, X86_RAX, 0, "lea rax, [rbp + rax]",
	  5, { 0x48, 0x8d, 0x44, 0x05, 0x00 } },
	{ true, X86_RAX, X86_R13, X86_RDI, 0, "lea rax, [r13 + rdi]",
	  5, { 0x49, 0x8d, 0x44, 0x3d, 0x00 } },
	{ true, X86_RDI, X86_R12, X86_R15, 0, "lea rdi, [r12 + r15]",
	  4, { 0x4b, 0x8d, 0x3c, 0x3c } },
	{ true, X86_R11, X86_RAX, X86_R9, 0, "lea r11, [rax + r9]", 4, { 0x4e, 0x8d, 0x1c, 0x08 } },
	{ true, X86_RAX, X86_RBP, X86_RBP, 0, "lea rax, [rbp + rbp]",
	  5, { 0x48, 0x8d, 0x44, 0x2d, 0x00 } },
	{ true, X86_R13, X86_R13, X86_R13, 0, "lea r13, [r13 + r13]",
	  5, { 0x4f, 0x8d, 0x6c, 0x2d, 0x00 } },
	{ true, X86_RSI, X86_RSP, X86_RDX, 0, "lea rsi, [rsp + rdx]",
	  4, { 0x48, 0x8d, 0x34, 0x14 } },
	{ true, X86_R8, X86_R12, X86_R12, 0, "lea r8, [r12 + r12]", 4, { 0x4f, 0x8d, 0x04, 0x24 } },
	{ false, X86_RAX, X86_RBX, X86_RCX, 0, "lea eax, [rbx + rcx]", 3, { 0x8d, 0x04, 0x0b } },
	{ false, X86_R14, X86_RBX, X86_R13, 0, "lea r14d, [rbx + r13]",
	  4, { 0x46, 0x8d, 0x34, 0x2b } },
	{ false, X86_RAX, X86_RBP, X86_RAX, 0, "lea eax, [rbp + rax]",
	  4, { 0x8d, 0x44, 0x05, 0x00 } },
	{ false, X86_RAX, X86_R13, X86_RDI, 0, "lea eax, [r13 + rdi]",
	  5, { 0x41, 0x8d, 0x44, 0x3d, 0x00 } },
	{ false, X86_RDI, X86_R12, X86_R15, 0, "lea edi, [r12 + r15]",
	  4, { 0x43, 0x8d, 0x3c, 0x3c } },
	{ false, X86_R11, X86_RAX, X86_R9, 0, "lea r11d, [rax + r9]",
	  4, { 0x46, 0x8d, 0x1c, 0x08 } },
	{ false, X86_RAX, X86_RBP, X86_RBP, 0, "lea eax, [rbp + rbp]",
	  4, { 0x8d, 0x44, 0x2d, 0x00 } },
	{ false, X86_R13, X86_R13, X86_R13, 0, "lea r13d, [r13 + r13]",
	  5, { 0x47, 0x8d, 0x6c, 0x2d, 0x00 } },
	{ false, X86_RSI, X86_RSP, X86_RDX, 0, "lea esi, [rsp + rdx]", 3, { 0x8d, 0x34, 0x14 } },
	{ false, X86_R8, X86_R12, X86_R12, 0, "lea r8d, [r12 + r12]",
	  4, { 0x47, 0x8d, 0x04, 0x24 } },
};
ENC_TEST(lea_r_bi, x86_lea_r_bi(r->a, r->b, r->c, r->d))

/*
 * x86_push_r
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row push_r_rows[] = {
	{ X86_RAX, 0, 0, 0, 0, "push rax", 1, { 0x50 } },
	{ X86_RCX, 0, 0, 0, 0, "push rcx", 1, { 0x51 } },
	{ X86_RDX, 0, 0, 0, 0, "push rdx", 1, { 0x52 } },
	{ X86_RBX, 0, 0, 0, 0, "push rbx", 1, { 0x53 } },
	{ X86_RSP, 0, 0, 0, 0, "push rsp", 1, { 0x54 } },
	{ X86_RBP, 0, 0, 0, 0, "push rbp", 1, { 0x55 } },
	{ X86_RSI, 0, 0, 0, 0, "push rsi", 1, { 0x56 } },
	{ X86_RDI, 0, 0, 0, 0, "push rdi", 1, { 0x57 } },
	{ X86_R8, 0, 0, 0, 0, "push r8", 2, { 0x41, 0x50 } },
	{ X86_R9, 0, 0, 0, 0, "push r9", 2, { 0x41, 0x51 } },
	{ X86_R10, 0, 0, 0, 0, "push r10", 2, { 0x41, 0x52 } },
	{ X86_R11, 0, 0, 0, 0, "push r11", 2, { 0x41, 0x53 } },
	{ X86_R12, 0, 0, 0, 0, "push r12", 2, { 0x41, 0x54 } },
	{ X86_R13, 0, 0, 0, 0, "push r13", 2, { 0x41, 0x55 } },
	{ X86_R14, 0, 0, 0, 0, "push r14", 2, { 0x41, 0x56 } },
	{ X86_R15, 0, 0, 0, 0, "push r15", 2, { 0x41, 0x57 } },
};
ENC_TEST(push_r, x86_push_r(r->a))

/*
 * x86_pop_r
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row pop_r_rows[] = {
	{ X86_RAX, 0, 0, 0, 0, "pop rax", 1, { 0x58 } },
	{ X86_RCX, 0, 0, 0, 0, "pop rcx", 1, { 0x59 } },
	{ X86_RDX, 0, 0, 0, 0, "pop rdx", 1, { 0x5a } },
	{ X86_RBX, 0, 0, 0, 0, "pop rbx", 1, { 0x5b } },
	{ X86_RSP, 0, 0, 0, 0, "pop rsp", 1, { 0x5c } },
	{ X86_RBP, 0, 0, 0, 0, "pop rbp", 1, { 0x5d } },
	{ X86_RSI, 0, 0, 0, 0, "pop rsi", 1, { 0x5e } },
	{ X86_RDI, 0, 0, 0, 0, "pop rdi", 1, { 0x5f } },
	{ X86_R8, 0, 0, 0, 0, "pop r8", 2, { 0x41, 0x58 } },
	{ X86_R9, 0, 0, 0, 0, "pop r9", 2, { 0x41, 0x59 } },
	{ X86_R10, 0, 0, 0, 0, "pop r10", 2, { 0x41, 0x5a } },
	{ X86_R11, 0, 0, 0, 0, "pop r11", 2, { 0x41, 0x5b } },
	{ X86_R12, 0, 0, 0, 0, "pop r12", 2, { 0x41, 0x5c } },
	{ X86_R13, 0, 0, 0, 0, "pop r13", 2, { 0x41, 0x5d } },
	{ X86_R14, 0, 0, 0, 0, "pop r14", 2, { 0x41, 0x5e } },
	{ X86_R15, 0, 0, 0, 0, "pop r15", 2, { 0x41, 0x5f } },
};
ENC_TEST(pop_r, x86_pop_r(r->a))

/*
 * x86_bswap_r
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row bswap_r_rows[] = {
	{ true, X86_RAX, 0, 0, 0, "bswap rax", 3, { 0x48, 0x0f, 0xc8 } },
	{ true, X86_RSP, 0, 0, 0, "bswap rsp", 3, { 0x48, 0x0f, 0xcc } },
	{ true, X86_RBP, 0, 0, 0, "bswap rbp", 3, { 0x48, 0x0f, 0xcd } },
	{ true, X86_RDI, 0, 0, 0, "bswap rdi", 3, { 0x48, 0x0f, 0xcf } },
	{ true, X86_R8, 0, 0, 0, "bswap r8", 3, { 0x49, 0x0f, 0xc8 } },
	{ true, X86_R12, 0, 0, 0, "bswap r12", 3, { 0x49, 0x0f, 0xcc } },
	{ true, X86_R15, 0, 0, 0, "bswap r15", 3, { 0x49, 0x0f, 0xcf } },
	{ false, X86_RAX, 0, 0, 0, "bswap eax", 2, { 0x0f, 0xc8 } },
	{ false, X86_RSP, 0, 0, 0, "bswap esp", 2, { 0x0f, 0xcc } },
	{ false, X86_RBP, 0, 0, 0, "bswap ebp", 2, { 0x0f, 0xcd } },
	{ false, X86_RDI, 0, 0, 0, "bswap edi", 2, { 0x0f, 0xcf } },
	{ false, X86_R8, 0, 0, 0, "bswap r8d", 3, { 0x41, 0x0f, 0xc8 } },
	{ false, X86_R12, 0, 0, 0, "bswap r12d", 3, { 0x41, 0x0f, 0xcc } },
	{ false, X86_R15, 0, 0, 0, "bswap r15d", 3, { 0x41, 0x0f, 0xcf } },
};
ENC_TEST(bswap_r, x86_bswap_r(r->a, r->b))

/*
 * x86_lock_alu_m_r
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row lock_alu_m_r_rows[] = {
	{ X86_ADD, true, X86_RAX, 0, X86_RSI, "lock add qword ptr [rax], rsi",
	  4, { 0xf0, 0x48, 0x01, 0x30 } },
	{ X86_ADD, true, X86_RSP, -8, X86_R9, "lock add qword ptr [rsp - 8], r9",
	  6, { 0xf0, 0x4c, 0x01, 0x4c, 0x24, 0xf8 } },
	{ X86_ADD, true, X86_RBP, 0, X86_RAX, "lock add qword ptr [rbp], rax",
	  5, { 0xf0, 0x48, 0x01, 0x45, 0x00 } },
	{ X86_ADD, true, X86_R12, 1000, X86_RDI, "lock add qword ptr [r12 + 1000], rdi",
	  9, { 0xf0, 0x49, 0x01, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ X86_ADD, true, X86_R13, 0, X86_R15, "lock add qword ptr [r13], r15",
	  5, { 0xf0, 0x4d, 0x01, 0x7d, 0x00 } },
	{ X86_ADD, true, X86_R11, 0, X86_RCX, "lock add qword ptr [r11], rcx",
	  4, { 0xf0, 0x49, 0x01, 0x0b } },
	{ X86_ADD, false, X86_RAX, 0, X86_RSI, "lock add dword ptr [rax], esi",
	  3, { 0xf0, 0x01, 0x30 } },
	{ X86_ADD, false, X86_RSP, -8, X86_R9, "lock add dword ptr [rsp - 8], r9d",
	  6, { 0xf0, 0x44, 0x01, 0x4c, 0x24, 0xf8 } },
	{ X86_ADD, false, X86_RBP, 0, X86_RAX, "lock add dword ptr [rbp], eax",
	  4, { 0xf0, 0x01, 0x45, 0x00 } },
	{ X86_ADD, false, X86_R12, 1000, X86_RDI, "lock add dword ptr [r12 + 1000], edi",
	  9, { 0xf0, 0x41, 0x01, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ X86_ADD, false, X86_R13, 0, X86_R15, "lock add dword ptr [r13], r15d",
	  5, { 0xf0, 0x45, 0x01, 0x7d, 0x00 } },
	{ X86_ADD, false, X86_R11, 0, X86_RCX, "lock add dword ptr [r11], ecx",
	  4, { 0xf0, 0x41, 0x01, 0x0b } },
	{ X86_OR, true, X86_RAX, 0, X86_RSI, "lock or qword ptr [rax], rsi",
	  4, { 0xf0, 0x48, 0x09, 0x30 } },
	{ X86_OR, true, X86_RSP, -8, X86_R9, "lock or qword ptr [rsp - 8], r9",
	  6, { 0xf0, 0x4c, 0x09, 0x4c, 0x24, 0xf8 } },
	{ X86_OR, true, X86_RBP, 0, X86_RAX, "lock or qword ptr [rbp], rax",
	  5, { 0xf0, 0x48, 0x09, 0x45, 0x00 } },
	{ X86_OR, true, X86_R12, 1000, X86_RDI, "lock or qword ptr [r12 + 1000], rdi",
	  9, { 0xf0, 0x49, 0x09, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ X86_OR, true, X86_R13, 0, X86_R15, "lock or qword ptr [r13], r15",
	  5, { 0xf0, 0x4d, 0x09, 0x7d, 0x00 } },
	{ X86_OR, true, X86_R11, 0, X86_RCX, "lock or qword ptr [r11], rcx",
	  4, { 0xf0, 0x49, 0x09, 0x0b } },
	{ X86_OR, false, X86_RAX, 0, X86_RSI, "lock or dword ptr [rax], esi",
	  3, { 0xf0, 0x09, 0x30 } },
	{ X86_OR, false, X86_RSP, -8, X86_R9, "lock or dword ptr [rsp - 8], r9d",
	  6, { 0xf0, 0x44, 0x09, 0x4c, 0x24, 0xf8 } },
	{ X86_OR, false, X86_RBP, 0, X86_RAX, "lock or dword ptr [rbp], eax",
	  4, { 0xf0, 0x09, 0x45, 0x00 } },
	{ X86_OR, false, X86_R12, 1000, X86_RDI, "lock or dword ptr [r12 + 1000], edi",
	  9, { 0xf0, 0x41, 0x09, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ X86_OR, false, X86_R13, 0, X86_R15, "lock or dword ptr [r13], r15d",
	  5, { 0xf0, 0x45, 0x09, 0x7d, 0x00 } },
	{ X86_OR, false, X86_R11, 0, X86_RCX, "lock or dword ptr [r11], ecx",
	  4, { 0xf0, 0x41, 0x09, 0x0b } },
	{ X86_AND, true, X86_RAX, 0, X86_RSI, "lock and qword ptr [rax], rsi",
	  4, { 0xf0, 0x48, 0x21, 0x30 } },
	{ X86_AND, true, X86_RSP, -8, X86_R9, "lock and qword ptr [rsp - 8], r9",
	  6, { 0xf0, 0x4c, 0x21, 0x4c, 0x24, 0xf8 } },
	{ X86_AND, true, X86_RBP, 0, X86_RAX, "lock and qword ptr [rbp], rax",
	  5, { 0xf0, 0x48, 0x21, 0x45, 0x00 } },
	{ X86_AND, true, X86_R12, 1000, X86_RDI, "lock and qword ptr [r12 + 1000], rdi",
	  9, { 0xf0, 0x49, 0x21, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ X86_AND, true, X86_R13, 0, X86_R15, "lock and qword ptr [r13], r15",
	  5, { 0xf0, 0x4d, 0x21, 0x7d, 0x00 } },
	{ X86_AND, true, X86_R11, 0, X86_RCX, "lock and qword ptr [r11], rcx",
	  4, { 0xf0, 0x49, 0x21, 0x0b } },
	{ X86_AND, false, X86_RAX, 0, X86_RSI, "lock and dword ptr [rax], esi",
	  3, { 0xf0, 0x21, 0x30 } },
	{ X86_AND, false, X86_RSP, -8, X86_R9, "lock and dword ptr [rsp - 8], r9d",
	  6, { 0xf0, 0x44, 0x21, 0x4c, 0x24, 0xf8 } },
	{ X86_AND, false, X86_RBP, 0, X86_RAX, "lock and dword ptr [rbp], eax",
	  4, { 0xf0, 0x21, 0x45, 0x00 } },
	{ X86_AND, false, X86_R12, 1000, X86_RDI, "lock and dword ptr [r12 + 1000], edi",
	  9, { 0xf0, 0x41, 0x21, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ X86_AND, false, X86_R13, 0, X86_R15, "lock and dword ptr [r13], r15d",
	  5, { 0xf0, 0x45, 0x21, 0x7d, 0x00 } },
	{ X86_AND, false, X86_R11, 0, X86_RCX, "lock and dword ptr [r11], ecx",
	  4, { 0xf0, 0x41, 0x21, 0x0b } },
	{ X86_XOR, true, X86_RAX, 0, X86_RSI, "lock xor qword ptr [rax], rsi",
	  4, { 0xf0, 0x48, 0x31, 0x30 } },
	{ X86_XOR, true, X86_RSP, -8, X86_R9, "lock xor qword ptr [rsp - 8], r9",
	  6, { 0xf0, 0x4c, 0x31, 0x4c, 0x24, 0xf8 } },
	{ X86_XOR, true, X86_RBP, 0, X86_RAX, "lock xor qword ptr [rbp], rax",
	  5, { 0xf0, 0x48, 0x31, 0x45, 0x00 } },
	{ X86_XOR, true, X86_R12, 1000, X86_RDI, "lock xor qword ptr [r12 + 1000], rdi",
	  9, { 0xf0, 0x49, 0x31, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ X86_XOR, true, X86_R13, 0, X86_R15, "lock xor qword ptr [r13], r15",
	  5, { 0xf0, 0x4d, 0x31, 0x7d, 0x00 } },
	{ X86_XOR, true, X86_R11, 0, X86_RCX, "lock xor qword ptr [r11], rcx",
	  4, { 0xf0, 0x49, 0x31, 0x0b } },
	{ X86_XOR, false, X86_RAX, 0, X86_RSI, "lock xor dword ptr [rax], esi",
	  3, { 0xf0, 0x31, 0x30 } },
	{ X86_XOR, false, X86_RSP, -8, X86_R9, "lock xor dword ptr [rsp - 8], r9d",
	  6, { 0xf0, 0x44, 0x31, 0x4c, 0x24, 0xf8 } },
	{ X86_XOR, false, X86_RBP, 0, X86_RAX, "lock xor dword ptr [rbp], eax",
	  4, { 0xf0, 0x31, 0x45, 0x00 } },
	{ X86_XOR, false, X86_R12, 1000, X86_RDI, "lock xor dword ptr [r12 + 1000], edi",
	  9, { 0xf0, 0x41, 0x31, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ X86_XOR, false, X86_R13, 0, X86_R15, "lock xor dword ptr [r13], r15d",
	  5, { 0xf0, 0x45, 0x31, 0x7d, 0x00 } },
	{ X86_XOR, false, X86_R11, 0, X86_RCX, "lock xor dword ptr [r11], ecx",
	  4, { 0xf0, 0x41, 0x31, 0x0b } },
};
ENC_TEST(lock_alu_m_r, x86_lock_alu_m_r(r->a, r->b, r->c, (int32_t)r->d, r->e))

/*
 * x86_lock_xadd_m_r
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row lock_xadd_m_r_rows[] = {
	{ true, X86_RAX, 0, X86_RSI, 0, "lock xadd qword ptr [rax], rsi",
	  5, { 0xf0, 0x48, 0x0f, 0xc1, 0x30 } },
	{ true, X86_RSP, -8, X86_R9, 0, "lock xadd qword ptr [rsp - 8], r9",
	  7, { 0xf0, 0x4c, 0x0f, 0xc1, 0x4c, 0x24, 0xf8 } },
	{ true, X86_RBP, 0, X86_RAX, 0, "lock xadd qword ptr [rbp], rax",
	  6, { 0xf0, 0x48, 0x0f, 0xc1, 0x45, 0x00 } },
	{ true, X86_R12, 1000, X86_RDI, 0, "lock xadd qword ptr [r12 + 1000], rdi",
	  10, { 0xf0, 0x49, 0x0f, 0xc1, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ true, X86_R13, 0, X86_R15, 0, "lock xadd qword ptr [r13], r15",
	  6, { 0xf0, 0x4d, 0x0f, 0xc1, 0x7d, 0x00 } },
	{ true, X86_R11, 0, X86_RCX, 0, "lock xadd qword ptr [r11], rcx",
	  5, { 0xf0, 0x49, 0x0f, 0xc1, 0x0b } },
	{ false, X86_RAX, 0, X86_RSI, 0, "lock xadd dword ptr [rax], esi",
	  4, { 0xf0, 0x0f, 0xc1, 0x30 } },
	{ false, X86_RSP, -8, X86_R9, 0, "lock xadd dword ptr [rsp - 8], r9d",
	  7, { 0xf0, 0x44, 0x0f, 0xc1, 0x4c, 0x24, 0xf8 } },
	{ false, X86_RBP, 0, X86_RAX, 0, "lock xadd dword ptr [rbp], eax",
	  5, { 0xf0, 0x0f, 0xc1, 0x45, 0x00 } },
	{ false, X86_R12, 1000, X86_RDI, 0, "lock xadd dword ptr [r12 + 1000], edi",
	  10, { 0xf0, 0x41, 0x0f, 0xc1, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ false, X86_R13, 0, X86_R15, 0, "lock xadd dword ptr [r13], r15d",
	  6, { 0xf0, 0x45, 0x0f, 0xc1, 0x7d, 0x00 } },
	{ false, X86_R11, 0, X86_RCX, 0, "lock xadd dword ptr [r11], ecx",
	  5, { 0xf0, 0x41, 0x0f, 0xc1, 0x0b } },
};
ENC_TEST(lock_xadd_m_r, x86_lock_xadd_m_r(r->a, r->b, (int32_t)r->c, r->d))

/*
 * x86_lock_cmpxchg_m_r
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row lock_cmpxchg_m_r_rows[] = {
	{ true, X86_RAX, 0, X86_RSI, 0, "lock cmpxchg qword ptr [rax], rsi",
	  5, { 0xf0, 0x48, 0x0f, 0xb1, 0x30 } },
	{ true, X86_RSP, -8, X86_R9, 0, "lock cmpxchg qword ptr [rsp - 8], r9",
	  7, { 0xf0, 0x4c, 0x0f, 0xb1, 0x4c, 0x24, 0xf8 } },
	{ true, X86_RBP, 0, X86_RAX, 0, "lock cmpxchg qword ptr [rbp], rax",
	  6, { 0xf0, 0x48, 0x0f, 0xb1, 0x45, 0x00 } },
	{ true, X86_R12, 1000, X86_RDI, 0, "lock cmpxchg qword ptr [r12 + 1000], rdi",
	  10, { 0xf0, 0x49, 0x0f, 0xb1, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ true, X86_R13, 0, X86_R15, 0, "lock cmpxchg qword ptr [r13], r15",
	  6, { 0xf0, 0x4d, 0x0f, 0xb1, 0x7d, 0x00 } },
	{ true, X86_R11, 0, X86_RCX, 0, "lock cmpxchg qword ptr [r11], rcx",
	  5, { 0xf0, 0x49, 0x0f, 0xb1, 0x0b } },
	{ false, X86_RAX, 0, X86_RSI, 0, "lock cmpxchg dword ptr [rax], esi",
	  4, { 0xf0, 0x0f, 0xb1, 0x30 } },
	{ false, X86_RSP, -8, X86_R9, 0, "lock cmpxchg dword ptr [rsp - 8], r9d",
	  7, { 0xf0, 0x44, 0x0f, 0xb1, 0x4c, 0x24, 0xf8 } },
	{ false, X86_RBP, 0, X86_RAX, 0, "lock cmpxchg dword ptr [rbp], eax",
	  5, { 0xf0, 0x0f, 0xb1, 0x45, 0x00 } },
	{ false, X86_R12, 1000, X86_RDI, 0, "lock cmpxchg dword ptr [r12 + 1000], edi",
	  10, { 0xf0, 0x41, 0x0f, 0xb1, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ false, X86_R13, 0, X86_R15, 0, "lock cmpxchg dword ptr [r13], r15d",
	  6, { 0xf0, 0x45, 0x0f, 0xb1, 0x7d, 0x00 } },
	{ false, X86_R11, 0, X86_RCX, 0, "lock cmpxchg dword ptr [r11], ecx",
	  5, { 0xf0, 0x41, 0x0f, 0xb1, 0x0b } },
};
ENC_TEST(lock_cmpxchg_m_r, x86_lock_cmpxchg_m_r(r->a, r->b, (int32_t)r->c, r->d))

/*
 * x86_xchg_m_r
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row xchg_m_r_rows[] = {
	{ true, X86_RAX, 0, X86_RSI, 0, "xchg qword ptr [rax], rsi", 3, { 0x48, 0x87, 0x30 } },
	{ true, X86_RSP, -8, X86_R9, 0, "xchg qword ptr [rsp - 8], r9",
	  5, { 0x4c, 0x87, 0x4c, 0x24, 0xf8 } },
	{ true, X86_RBP, 0, X86_RAX, 0, "xchg qword ptr [rbp], rax",
	  4, { 0x48, 0x87, 0x45, 0x00 } },
	{ true, X86_R12, 1000, X86_RDI, 0, "xchg qword ptr [r12 + 1000], rdi",
	  8, { 0x49, 0x87, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ true, X86_R13, 0, X86_R15, 0, "xchg qword ptr [r13], r15",
	  4, { 0x4d, 0x87, 0x7d, 0x00 } },
	{ true, X86_R11, 0, X86_RCX, 0, "xchg qword ptr [r11], rcx", 3, { 0x49, 0x87, 0x0b } },
	{ false, X86_RAX, 0, X86_RSI, 0, "xchg dword ptr [rax], esi", 2, { 0x87, 0x30 } },
	{ false, X86_RSP, -8, X86_R9, 0, "xchg dword ptr [rsp - 8], r9d",
	  5, { 0x44, 0x87, 0x4c, 0x24, 0xf8 } },
	{ false, X86_RBP, 0, X86_RAX, 0, "xchg dword ptr [rbp], eax", 3, { 0x87, 0x45, 0x00 } },
	{ false, X86_R12, 1000, X86_RDI, 0, "xchg dword ptr [r12 + 1000], edi",
	  8, { 0x41, 0x87, 0xbc, 0x24, 0xe8, 0x03, 0x00, 0x00 } },
	{ false, X86_R13, 0, X86_R15, 0, "xchg dword ptr [r13], r15d",
	  4, { 0x45, 0x87, 0x7d, 0x00 } },
	{ false, X86_R11, 0, X86_RCX, 0, "xchg dword ptr [r11], ecx", 3, { 0x41, 0x87, 0x0b } },
};
ENC_TEST(xchg_m_r, x86_xchg_m_r(r->a, r->b, (int32_t)r->c, r->d))

/*
 * x86_call_rm
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row call_rm_rows[] = {
	{ X86_RAX, 0, 0, 0, 0, "call rax", 2, { 0xff, 0xd0 } },
	{ X86_RBP, 0, 0, 0, 0, "call rbp", 2, { 0xff, 0xd5 } },
	{ X86_R11, 0, 0, 0, 0, "call r11", 3, { 0x41, 0xff, 0xd3 } },
	{ X86_R12, 0, 0, 0, 0, "call r12", 3, { 0x41, 0xff, 0xd4 } },
	{ X86_R13, 0, 0, 0, 0, "call r13", 3, { 0x41, 0xff, 0xd5 } },
};
ENC_TEST(call_rm, x86_call_rm(r->a))

/*
 * x86_jmp_rm
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row jmp_rm_rows[] = {
	{ X86_RAX, 0, 0, 0, 0, "jmp rax", 2, { 0xff, 0xe0 } },
	{ X86_RBP, 0, 0, 0, 0, "jmp rbp", 2, { 0xff, 0xe5 } },
	{ X86_R11, 0, 0, 0, 0, "jmp r11", 3, { 0x41, 0xff, 0xe3 } },
	{ X86_R12, 0, 0, 0, 0, "jmp r12", 3, { 0x41, 0xff, 0xe4 } },
	{ X86_R13, 0, 0, 0, 0, "jmp r13", 3, { 0x41, 0xff, 0xe5 } },
};
ENC_TEST(jmp_rm, x86_jmp_rm(r->a))

/*
 * x86_ret
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row ret_rows[] = {
	{ 0, 0, 0, 0, 0, "ret", 1, { 0xc3 } },
};
ENC_TEST(ret, x86_ret())

/*
 * x86_int3
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row int3_rows[] = {
	{ 0, 0, 0, 0, 0, "int3", 1, { 0xcc } },
};
ENC_TEST(int3, x86_int3())

/*
 * x86_jcc_rel8
 * Expected bytes: each row's text (AT&T syntax; "." is the instruction's
 * own address, so ".+N" is a displacement of N minus the length) through
 *   llvm-mc -triple x86_64 -filetype=obj -o x.o &&
 *   llvm-objcopy -O binary --only-section=.text x.o x.bin
 */
static const struct enc_row jcc_rel8_rows[] = {
	{ X86_CC_O, 0, 0, 0, 0, "jo .+2", 2, { 0x70, 0x00 } },
	{ X86_CC_NO, 16, 0, 0, 0, "jno .+18", 2, { 0x71, 0x10 } },
	{ X86_CC_B, -2, 0, 0, 0, "jb .+0", 2, { 0x72, 0xfe } },
	{ X86_CC_AE, 127, 0, 0, 0, "jae .+129", 2, { 0x73, 0x7f } },
	{ X86_CC_E, -128, 0, 0, 0, "je .-126", 2, { 0x74, 0x80 } },
	{ X86_CC_NE, 0, 0, 0, 0, "jne .+2", 2, { 0x75, 0x00 } },
	{ X86_CC_BE, 16, 0, 0, 0, "jbe .+18", 2, { 0x76, 0x10 } },
	{ X86_CC_A, -2, 0, 0, 0, "ja .+0", 2, { 0x77, 0xfe } },
	{ X86_CC_S, 127, 0, 0, 0, "js .+129", 2, { 0x78, 0x7f } },
	{ X86_CC_NS, -128, 0, 0, 0, "jns .-126", 2, { 0x79, 0x80 } },
	{ X86_CC_P, 0, 0, 0, 0, "jp .+2", 2, { 0x7a, 0x00 } },
	{ X86_CC_NP, 16, 0, 0, 0, "jnp .+18", 2, { 0x7b, 0x10 } },
	{ X86_CC_L, -2, 0, 0, 0, "jl .+0", 2, { 0x7c, 0xfe } },
	{ X86_CC_GE, 127, 0, 0, 0, "jge .+129", 2, { 0x7d, 0x7f } },
	{ X86_CC_LE, -128, 0, 0, 0, "jle .-126", 2, { 0x7e, 0x80 } },
	{ X86_CC_G, 0, 0, 0, 0, "jg .+2", 2, { 0x7f, 0x00 } },
};
ENC_TEST(jcc_rel8, x86_jcc_rel8(r->a, (int8_t)r->b))

/*
 * x86_jcc_rel32
 * Expected bytes: each row's text (AT&T syntax; "." is the instruction's
 * own address, so ".+N" is a displacement of N minus the length) through
 *   llvm-mc -triple x86_64 -filetype=obj -o x.o &&
 *   llvm-objcopy -O binary --only-section=.text x.o x.bin
 */
static const struct enc_row jcc_rel32_rows[] = {
	{ X86_CC_O, 128, 0, 0, 0, "jo .+134", 6, { 0x0f, 0x80, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_CC_NO, -1000, 0, 0, 0, "jno .-994", 6, { 0x0f, 0x81, 0x18, 0xfc, 0xff, 0xff } },
	{ X86_CC_B, 100000, 0, 0, 0, "jb .+100006", 6, { 0x0f, 0x82, 0xa0, 0x86, 0x01, 0x00 } },
	{ X86_CC_AE, -100000, 0, 0, 0, "jae .-99994", 6, { 0x0f, 0x83, 0x60, 0x79, 0xfe, 0xff } },
	{ X86_CC_E, 128, 0, 0, 0, "je .+134", 6, { 0x0f, 0x84, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_CC_NE, -1000, 0, 0, 0, "jne .-994", 6, { 0x0f, 0x85, 0x18, 0xfc, 0xff, 0xff } },
	{ X86_CC_BE, 100000, 0, 0, 0, "jbe .+100006", 6, { 0x0f, 0x86, 0xa0, 0x86, 0x01, 0x00 } },
	{ X86_CC_A, -100000, 0, 0, 0, "ja .-99994", 6, { 0x0f, 0x87, 0x60, 0x79, 0xfe, 0xff } },
	{ X86_CC_S, 128, 0, 0, 0, "js .+134", 6, { 0x0f, 0x88, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_CC_NS, -1000, 0, 0, 0, "jns .-994", 6, { 0x0f, 0x89, 0x18, 0xfc, 0xff, 0xff } },
	{ X86_CC_P, 100000, 0, 0, 0, "jp .+100006", 6, { 0x0f, 0x8a, 0xa0, 0x86, 0x01, 0x00 } },
	{ X86_CC_NP, -100000, 0, 0, 0, "jnp .-99994", 6, { 0x0f, 0x8b, 0x60, 0x79, 0xfe, 0xff } },
	{ X86_CC_L, 128, 0, 0, 0, "jl .+134", 6, { 0x0f, 0x8c, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_CC_GE, -1000, 0, 0, 0, "jge .-994", 6, { 0x0f, 0x8d, 0x18, 0xfc, 0xff, 0xff } },
	{ X86_CC_LE, 100000, 0, 0, 0, "jle .+100006", 6, { 0x0f, 0x8e, 0xa0, 0x86, 0x01, 0x00 } },
	{ X86_CC_G, -100000, 0, 0, 0, "jg .-99994", 6, { 0x0f, 0x8f, 0x60, 0x79, 0xfe, 0xff } },
};
ENC_TEST(jcc_rel32, x86_jcc_rel32(r->a, (int32_t)r->b))

/*
 * x86_jmp_rel8
 * Expected bytes: each row's text (AT&T syntax; "." is the instruction's
 * own address, so ".+N" is a displacement of N minus the length) through
 *   llvm-mc -triple x86_64 -filetype=obj -o x.o &&
 *   llvm-objcopy -O binary --only-section=.text x.o x.bin
 */
static const struct enc_row jmp_rel8_rows[] = {
	{ 0, 0, 0, 0, 0, "jmp .+2", 2, { 0xeb, 0x00 } },
	{ 16, 0, 0, 0, 0, "jmp .+18", 2, { 0xeb, 0x10 } },
	{ -2, 0, 0, 0, 0, "jmp .+0", 2, { 0xeb, 0xfe } },
	{ 127, 0, 0, 0, 0, "jmp .+129", 2, { 0xeb, 0x7f } },
	{ -128, 0, 0, 0, 0, "jmp .-126", 2, { 0xeb, 0x80 } },
};
ENC_TEST(jmp_rel8, x86_jmp_rel8((int8_t)r->a))

/*
 * x86_jmp_rel32
 * Expected bytes: each row's text (AT&T syntax; "." is the instruction's
 * own address, so ".+N" is a displacement of N minus the length) through
 *   llvm-mc -triple x86_64 -filetype=obj -o x.o &&
 *   llvm-objcopy -O binary --only-section=.text x.o x.bin
 */
static const struct enc_row jmp_rel32_rows[] = {
	{ 128, 0, 0, 0, 0, "jmp .+133", 5, { 0xe9, 0x80, 0x00, 0x00, 0x00 } },
	{ -1000, 0, 0, 0, 0, "jmp .-995", 5, { 0xe9, 0x18, 0xfc, 0xff, 0xff } },
	{ 100000, 0, 0, 0, 0, "jmp .+100005", 5, { 0xe9, 0xa0, 0x86, 0x01, 0x00 } },
	{ -100000, 0, 0, 0, 0, "jmp .-99995", 5, { 0xe9, 0x60, 0x79, 0xfe, 0xff } },
};
ENC_TEST(jmp_rel32, x86_jmp_rel32((int32_t)r->a))

/*
 * x86_call_rel32
 * Expected bytes: each row's text (AT&T syntax; "." is the instruction's
 * own address, so ".+N" is a displacement of N minus the length) through
 *   llvm-mc -triple x86_64 -filetype=obj -o x.o &&
 *   llvm-objcopy -O binary --only-section=.text x.o x.bin
 */
static const struct enc_row call_rel32_rows[] = {
	{ 0, 0, 0, 0, 0, "call .+5", 5, { 0xe8, 0x00, 0x00, 0x00, 0x00 } },
	{ 16, 0, 0, 0, 0, "call .+21", 5, { 0xe8, 0x10, 0x00, 0x00, 0x00 } },
	{ -5, 0, 0, 0, 0, "call .+0", 5, { 0xe8, 0xfb, 0xff, 0xff, 0xff } },
	{ 100000, 0, 0, 0, 0, "call .+100005", 5, { 0xe8, 0xa0, 0x86, 0x01, 0x00 } },
	{ -100000, 0, 0, 0, 0, "call .-99995", 5, { 0xe8, 0x60, 0x79, 0xfe, 0xff } },
};
ENC_TEST(call_rel32, x86_call_rel32((int32_t)r->a))

/*
 * x86_mov_r32_fs_m
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row mov_r32_fs_m_rows[] = {
	{ X86_RCX, -40, 0, 0, 0, "mov ecx, dword ptr fs:[-40]",
	  8, { 0x64, 0x8b, 0x0c, 0x25, 0xd8, 0xff, 0xff, 0xff } },
	{ X86_R11, 1024, 0, 0, 0, "mov r11d, dword ptr fs:[1024]",
	  9, { 0x64, 0x44, 0x8b, 0x1c, 0x25, 0x00, 0x04, 0x00, 0x00 } },
	{ X86_RAX, 0, 0, 0, 0, "mov eax, dword ptr fs:[0]",
	  8, { 0x64, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x00 } },
};
ENC_TEST(mov_r32_fs_m, x86_mov_r32_fs_m(r->a, (int32_t)r->b))

/*
 * x86_lea_r_bis
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row lea_r_bis_rows[] = {
	{ true, X86_RAX, X86_RCX, X86_RAX, 1, "lea rax, [rcx + 2*rax]", 4, { 0x48, 0x8d, 0x04, 0x41 } },
	{ true, X86_RAX, X86_RCX, X86_RAX, 3, "lea rax, [rcx + 8*rax]", 4, { 0x48, 0x8d, 0x04, 0xc1 } },
	{ true, X86_R11, X86_R13, X86_RDX, 2, "lea r11, [r13 + 4*rdx]",
	  5, { 0x4d, 0x8d, 0x5c, 0x95, 0x00 } },
	{ false, X86_RAX, X86_RCX, X86_RAX, 1, "lea eax, [rcx + 2*rax]", 3, { 0x8d, 0x04, 0x41 } },
};
ENC_TEST(lea_r_bis, x86_lea_r_bis((bool)r->a, r->b, r->c, r->d, (unsigned)r->e))
