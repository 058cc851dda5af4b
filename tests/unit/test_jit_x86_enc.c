// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_jit_x86_enc.c - the x86-64 encoders of src/jit/x86_64_enc.h that
 * work on registers and immediates (arithmetic, shifts, moves, CMOV)
 * against an independent assembler: every row's expected bytes were
 * produced once by llvm-mc from the row's text (the command is quoted
 * above each table), over the register combinations that need a special
 * encoding: REX.R/REX.B for r8-r15 and a bare REX for byte access to
 * SPL/BPL/SIL/DIL.  test_jit_x86_enc_mem.c covers memory and control flow.
 */
#include "jit_enc.h"


/*
 * x86_mov_rm_r
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row mov_rm_r_rows[] = {
	{ true, X86_RAX, X86_RCX, 0, 0, "mov rax, rcx", 3, { 0x48, 0x89, 0xc8 } },
	{ true, X86_RSP, X86_RBP, 0, 0, "mov rsp, rbp", 3, { 0x48, 0x89, 0xec } },
	{ true, X86_RBP, X86_RSP, 0, 0, "mov rbp, rsp", 3, { 0x48, 0x89, 0xe5 } },
	{ true, X86_RSI, X86_RDI, 0, 0, "mov rsi, rdi", 3, { 0x48, 0x89, 0xfe } },
	{ true, X86_RAX, X86_R8, 0, 0, "mov rax, r8", 3, { 0x4c, 0x89, 0xc0 } },
	{ true, X86_R8, X86_RAX, 0, 0, "mov r8, rax", 3, { 0x49, 0x89, 0xc0 } },
	{ true, X86_R12, X86_R13, 0, 0, "mov r12, r13", 3, { 0x4d, 0x89, 0xec } },
	{ true, X86_R13, X86_R12, 0, 0, "mov r13, r12", 3, { 0x4d, 0x89, 0xe5 } },
	{ true, X86_R15, X86_R9, 0, 0, "mov r15, r9", 3, { 0x4d, 0x89, 0xcf } },
	{ false, X86_RAX, X86_RCX, 0, 0, "mov eax, ecx", 2, { 0x89, 0xc8 } },
	{ false, X86_RSP, X86_RBP, 0, 0, "mov esp, ebp", 2, { 0x89, 0xec } },
	{ false, X86_RBP, X86_RSP, 0, 0, "mov ebp, esp", 2, { 0x89, 0xe5 } },
	{ false, X86_RSI, X86_RDI, 0, 0, "mov esi, edi", 2, { 0x89, 0xfe } },
	{ false, X86_RAX, X86_R8, 0, 0, "mov eax, r8d", 3, { 0x44, 0x89, 0xc0 } },
	{ false, X86_R8, X86_RAX, 0, 0, "mov r8d, eax", 3, { 0x41, 0x89, 0xc0 } },
	{ false, X86_R12, X86_R13, 0, 0, "mov r12d, r13d", 3, { 0x45, 0x89, 0xec } },
	{ false, X86_R13, X86_R12, 0, 0, "mov r13d, r12d", 3, { 0x45, 0x89, 0xe5 } },
	{ false, X86_R15, X86_R9, 0, 0, "mov r15d, r9d", 3, { 0x45, 0x89, 0xcf } },
};
ENC_TEST(mov_rm_r, x86_mov_rm_r(r->a, r->b, r->c))

/*
 * x86_alu_rm_r
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row alu_rm_r_rows[] = {
	{ X86_ADD, true, X86_RAX, X86_RCX, 0, "add rax, rcx", 3, { 0x48, 0x01, 0xc8 } },
	{ X86_ADD, false, X86_RAX, X86_RCX, 0, "add eax, ecx", 2, { 0x01, 0xc8 } },
	{ X86_OR, true, X86_RAX, X86_RCX, 0, "or rax, rcx", 3, { 0x48, 0x09, 0xc8 } },
	{ X86_OR, false, X86_RAX, X86_RCX, 0, "or eax, ecx", 2, { 0x09, 0xc8 } },
	{ X86_AND, true, X86_RAX, X86_RCX, 0, "and rax, rcx", 3, { 0x48, 0x21, 0xc8 } },
	{ X86_AND, false, X86_RAX, X86_RCX, 0, "and eax, ecx", 2, { 0x21, 0xc8 } },
	{ X86_SUB, true, X86_RAX, X86_RCX, 0, "sub rax, rcx", 3, { 0x48, 0x29, 0xc8 } },
	{ X86_SUB, false, X86_RAX, X86_RCX, 0, "sub eax, ecx", 2, { 0x29, 0xc8 } },
	{ X86_XOR, true, X86_RAX, X86_RCX, 0, "xor rax, rcx", 3, { 0x48, 0x31, 0xc8 } },
	{ X86_XOR, false, X86_RAX, X86_RCX, 0, "xor eax, ecx", 2, { 0x31, 0xc8 } },
	{ X86_CMP, true, X86_RAX, X86_RCX, 0, "cmp rax, rcx", 3, { 0x48, 0x39, 0xc8 } },
	{ X86_CMP, false, X86_RAX, X86_RCX, 0, "cmp eax, ecx", 2, { 0x39, 0xc8 } },
	{ X86_ADD, true, X86_RSP, X86_RBP, 0, "add rsp, rbp", 3, { 0x48, 0x01, 0xec } },
	{ X86_ADD, false, X86_RSP, X86_RBP, 0, "add esp, ebp", 2, { 0x01, 0xec } },
	{ X86_ADD, true, X86_RBP, X86_RSP, 0, "add rbp, rsp", 3, { 0x48, 0x01, 0xe5 } },
	{ X86_ADD, false, X86_RBP, X86_RSP, 0, "add ebp, esp", 2, { 0x01, 0xe5 } },
	{ X86_ADD, true, X86_RSI, X86_RDI, 0, "add rsi, rdi", 3, { 0x48, 0x01, 0xfe } },
	{ X86_ADD, false, X86_RSI, X86_RDI, 0, "add esi, edi", 2, { 0x01, 0xfe } },
	{ X86_ADD, true, X86_RAX, X86_R8, 0, "add rax, r8", 3, { 0x4c, 0x01, 0xc0 } },
	{ X86_ADD, false, X86_RAX, X86_R8, 0, "add eax, r8d", 3, { 0x44, 0x01, 0xc0 } },
	{ X86_ADD, true, X86_R8, X86_RAX, 0, "add r8, rax", 3, { 0x49, 0x01, 0xc0 } },
	{ X86_ADD, false, X86_R8, X86_RAX, 0, "add r8d, eax", 3, { 0x41, 0x01, 0xc0 } },
	{ X86_ADD, true, X86_R12, X86_R13, 0, "add r12, r13", 3, { 0x4d, 0x01, 0xec } },
	{ X86_ADD, false, X86_R12, X86_R13, 0, "add r12d, r13d", 3, { 0x45, 0x01, 0xec } },
	{ X86_ADD, true, X86_R13, X86_R12, 0, "add r13, r12", 3, { 0x4d, 0x01, 0xe5 } },
	{ X86_ADD, false, X86_R13, X86_R12, 0, "add r13d, r12d", 3, { 0x45, 0x01, 0xe5 } },
	{ X86_ADD, true, X86_R15, X86_R9, 0, "add r15, r9", 3, { 0x4d, 0x01, 0xcf } },
	{ X86_ADD, false, X86_R15, X86_R9, 0, "add r15d, r9d", 3, { 0x45, 0x01, 0xcf } },
};
ENC_TEST(alu_rm_r, x86_alu_rm_r(r->a, r->b, r->c, r->d))

/*
 * x86_alu_r_m
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row alu_r_m_rows[] = {
	{ X86_ADD, true, X86_R10, X86_R12, 72, "add r10, qword ptr [r12 + 72]",
	  5, { 0x4d, 0x03, 0x54, 0x24, 0x48 } },
	{ X86_ADD, false, X86_R10, X86_R12, 72, "add r10d, dword ptr [r12 + 72]",
	  5, { 0x45, 0x03, 0x54, 0x24, 0x48 } },
	{ X86_OR, true, X86_R10, X86_R12, 72, "or r10, qword ptr [r12 + 72]",
	  5, { 0x4d, 0x0b, 0x54, 0x24, 0x48 } },
	{ X86_OR, false, X86_R10, X86_R12, 72, "or r10d, dword ptr [r12 + 72]",
	  5, { 0x45, 0x0b, 0x54, 0x24, 0x48 } },
	{ X86_AND, true, X86_R10, X86_R12, 72, "and r10, qword ptr [r12 + 72]",
	  5, { 0x4d, 0x23, 0x54, 0x24, 0x48 } },
	{ X86_AND, false, X86_R10, X86_R12, 72, "and r10d, dword ptr [r12 + 72]",
	  5, { 0x45, 0x23, 0x54, 0x24, 0x48 } },
	{ X86_SUB, true, X86_R10, X86_R12, 72, "sub r10, qword ptr [r12 + 72]",
	  5, { 0x4d, 0x2b, 0x54, 0x24, 0x48 } },
	{ X86_SUB, false, X86_R10, X86_R12, 72, "sub r10d, dword ptr [r12 + 72]",
	  5, { 0x45, 0x2b, 0x54, 0x24, 0x48 } },
	{ X86_XOR, true, X86_R10, X86_R12, 72, "xor r10, qword ptr [r12 + 72]",
	  5, { 0x4d, 0x33, 0x54, 0x24, 0x48 } },
	{ X86_XOR, false, X86_R10, X86_R12, 72, "xor r10d, dword ptr [r12 + 72]",
	  5, { 0x45, 0x33, 0x54, 0x24, 0x48 } },
	{ X86_CMP, true, X86_R10, X86_R12, 72, "cmp r10, qword ptr [r12 + 72]",
	  5, { 0x4d, 0x3b, 0x54, 0x24, 0x48 } },
	{ X86_CMP, false, X86_R10, X86_R12, 72, "cmp r10d, dword ptr [r12 + 72]",
	  5, { 0x45, 0x3b, 0x54, 0x24, 0x48 } },
	{ X86_ADD, true, X86_RBP, X86_R12, 8, "add rbp, qword ptr [r12 + 8]",
	  5, { 0x49, 0x03, 0x6c, 0x24, 0x08 } },
	{ X86_ADD, false, X86_RBP, X86_R12, 8, "add ebp, dword ptr [r12 + 8]",
	  5, { 0x41, 0x03, 0x6c, 0x24, 0x08 } },
	{ X86_ADD, true, X86_RAX, X86_RBP, 0, "add rax, qword ptr [rbp]",
	  4, { 0x48, 0x03, 0x45, 0x00 } },
	{ X86_ADD, false, X86_RAX, X86_RBP, 0, "add eax, dword ptr [rbp]",
	  3, { 0x03, 0x45, 0x00 } },
	{ X86_ADD, true, X86_R11, X86_R13, -8, "add r11, qword ptr [r13 - 8]",
	  4, { 0x4d, 0x03, 0x5d, 0xf8 } },
	{ X86_ADD, false, X86_R11, X86_R13, -8, "add r11d, dword ptr [r13 - 8]",
	  4, { 0x45, 0x03, 0x5d, 0xf8 } },
	{ X86_ADD, true, X86_RSP, X86_RSP, 200, "add rsp, qword ptr [rsp + 200]",
	  8, { 0x48, 0x03, 0xa4, 0x24, 0xc8, 0x00, 0x00, 0x00 } },
	{ X86_ADD, false, X86_RSP, X86_RSP, 200, "add esp, dword ptr [rsp + 200]",
	  7, { 0x03, 0xa4, 0x24, 0xc8, 0x00, 0x00, 0x00 } },
};
ENC_TEST(alu_r_m, x86_alu_r_m(r->a, r->b, r->c, r->d, (int32_t)r->e))

/*
 * x86_alu_rm_imm8
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row alu_rm_imm8_rows[] = {
	{ X86_ADD, true, X86_RAX, 0, 0, "add rax, 0", 4, { 0x48, 0x83, 0xc0, 0x00 } },
	{ X86_ADD, false, X86_RAX, 0, 0, "add eax, 0", 3, { 0x83, 0xc0, 0x00 } },
	{ X86_OR, true, X86_RAX, 0, 0, "or rax, 0", 4, { 0x48, 0x83, 0xc8, 0x00 } },
	{ X86_OR, false, X86_RAX, 0, 0, "or eax, 0", 3, { 0x83, 0xc8, 0x00 } },
	{ X86_AND, true, X86_RAX, 0, 0, "and rax, 0", 4, { 0x48, 0x83, 0xe0, 0x00 } },
	{ X86_AND, false, X86_RAX, 0, 0, "and eax, 0", 3, { 0x83, 0xe0, 0x00 } },
	{ X86_SUB, true, X86_RAX, 0, 0, "sub rax, 0", 4, { 0x48, 0x83, 0xe8, 0x00 } },
	{ X86_SUB, false, X86_RAX, 0, 0, "sub eax, 0", 3, { 0x83, 0xe8, 0x00 } },
	{ X86_XOR, true, X86_RAX, 0, 0, "xor rax, 0", 4, { 0x48, 0x83, 0xf0, 0x00 } },
	{ X86_XOR, false, X86_RAX, 0, 0, "xor eax, 0", 3, { 0x83, 0xf0, 0x00 } },
	{ X86_CMP, true, X86_RAX, 0, 0, "cmp rax, 0", 4, { 0x48, 0x83, 0xf8, 0x00 } },
	{ X86_CMP, false, X86_RAX, 0, 0, "cmp eax, 0", 3, { 0x83, 0xf8, 0x00 } },
	{ X86_ADD, true, X86_RSP, 1, 0, "add rsp, 1", 4, { 0x48, 0x83, 0xc4, 0x01 } },
	{ X86_ADD, false, X86_RSP, 1, 0, "add esp, 1", 3, { 0x83, 0xc4, 0x01 } },
	{ X86_ADD, true, X86_RBP, -1, 0, "add rbp, -1", 4, { 0x48, 0x83, 0xc5, 0xff } },
	{ X86_ADD, false, X86_RBP, -1, 0, "add ebp, -1", 3, { 0x83, 0xc5, 0xff } },
	{ X86_ADD, true, X86_R8, 127, 0, "add r8, 127", 4, { 0x49, 0x83, 0xc0, 0x7f } },
	{ X86_ADD, false, X86_R8, 127, 0, "add r8d, 127", 4, { 0x41, 0x83, 0xc0, 0x7f } },
	{ X86_ADD, true, X86_R12, -128, 0, "add r12, -128", 4, { 0x49, 0x83, 0xc4, 0x80 } },
	{ X86_ADD, false, X86_R12, -128, 0, "add r12d, -128", 4, { 0x41, 0x83, 0xc4, 0x80 } },
	{ X86_ADD, true, X86_R15, 5, 0, "add r15, 5", 4, { 0x49, 0x83, 0xc7, 0x05 } },
	{ X86_ADD, false, X86_R15, 5, 0, "add r15d, 5", 4, { 0x41, 0x83, 0xc7, 0x05 } },
};
ENC_TEST(alu_rm_imm8, x86_alu_rm_imm8(r->a, r->b, r->c, (int8_t)r->d))

/*
 * x86_alu_rm_imm32
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row alu_rm_imm32_rows[] = {
	{ X86_ADD, true, X86_RCX, 128, 0, "add rcx, 128",
	  7, { 0x48, 0x81, 0xc1, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_ADD, false, X86_RCX, 128, 0, "add ecx, 128",
	  6, { 0x81, 0xc1, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_OR, true, X86_RCX, 128, 0, "or rcx, 128",
	  7, { 0x48, 0x81, 0xc9, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_OR, false, X86_RCX, 128, 0, "or ecx, 128",
	  6, { 0x81, 0xc9, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_AND, true, X86_RCX, 128, 0, "and rcx, 128",
	  7, { 0x48, 0x81, 0xe1, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_AND, false, X86_RCX, 128, 0, "and ecx, 128",
	  6, { 0x81, 0xe1, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_SUB, true, X86_RCX, 128, 0, "sub rcx, 128",
	  7, { 0x48, 0x81, 0xe9, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_SUB, false, X86_RCX, 128, 0, "sub ecx, 128",
	  6, { 0x81, 0xe9, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_XOR, true, X86_RCX, 128, 0, "xor rcx, 128",
	  7, { 0x48, 0x81, 0xf1, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_XOR, false, X86_RCX, 128, 0, "xor ecx, 128",
	  6, { 0x81, 0xf1, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_CMP, true, X86_RCX, 128, 0, "cmp rcx, 128",
	  7, { 0x48, 0x81, 0xf9, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_CMP, false, X86_RCX, 128, 0, "cmp ecx, 128",
	  6, { 0x81, 0xf9, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_ADD, true, X86_RSP, -129, 0, "add rsp, -129",
	  7, { 0x48, 0x81, 0xc4, 0x7f, 0xff, 0xff, 0xff } },
	{ X86_ADD, false, X86_RSP, -129, 0, "add esp, -129",
	  6, { 0x81, 0xc4, 0x7f, 0xff, 0xff, 0xff } },
	{ X86_ADD, true, X86_RBP, 2147483647, 0, "add rbp, 2147483647",
	  7, { 0x48, 0x81, 0xc5, 0xff, 0xff, 0xff, 0x7f } },
	{ X86_ADD, false, X86_RBP, 2147483647, 0, "add ebp, 2147483647",
	  6, { 0x81, 0xc5, 0xff, 0xff, 0xff, 0x7f } },
	{ X86_ADD, true, X86_R12, INT32_MIN, 0, "add r12, -2147483648",
	  7, { 0x49, 0x81, 0xc4, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_ADD, false, X86_R12, INT32_MIN, 0, "add r12d, -2147483648",
	  7, { 0x41, 0x81, 0xc4, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_ADD, true, X86_R15, 1000, 0, "add r15, 1000",
	  7, { 0x49, 0x81, 0xc7, 0xe8, 0x03, 0x00, 0x00 } },
	{ X86_ADD, false, X86_R15, 1000, 0, "add r15d, 1000",
	  7, { 0x41, 0x81, 0xc7, 0xe8, 0x03, 0x00, 0x00 } },
};
ENC_TEST(alu_rm_imm32, x86_alu_rm_imm32(r->a, r->b, r->c, (int32_t)r->d))

/*
 * x86_alu_rax_imm32
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row alu_rax_imm32_rows[] = {
	{ X86_ADD, true, 128, 0, 0, "add rax, 128", 6, { 0x48, 0x05, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_ADD, true, INT32_MIN, 0, 0, "add rax, -2147483648",
	  6, { 0x48, 0x05, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_ADD, false, 128, 0, 0, "add eax, 128", 5, { 0x05, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_ADD, false, INT32_MIN, 0, 0, "add eax, -2147483648",
	  5, { 0x05, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_OR, true, 128, 0, 0, "or rax, 128", 6, { 0x48, 0x0d, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_OR, true, INT32_MIN, 0, 0, "or rax, -2147483648",
	  6, { 0x48, 0x0d, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_OR, false, 128, 0, 0, "or eax, 128", 5, { 0x0d, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_OR, false, INT32_MIN, 0, 0, "or eax, -2147483648",
	  5, { 0x0d, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_AND, true, 128, 0, 0, "and rax, 128", 6, { 0x48, 0x25, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_AND, true, INT32_MIN, 0, 0, "and rax, -2147483648",
	  6, { 0x48, 0x25, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_AND, false, 128, 0, 0, "and eax, 128", 5, { 0x25, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_AND, false, INT32_MIN, 0, 0, "and eax, -2147483648",
	  5, { 0x25, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_SUB, true, 128, 0, 0, "sub rax, 128", 6, { 0x48, 0x2d, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_SUB, true, INT32_MIN, 0, 0, "sub rax, -2147483648",
	  6, { 0x48, 0x2d, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_SUB, false, 128, 0, 0, "sub eax, 128", 5, { 0x2d, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_SUB, false, INT32_MIN, 0, 0, "sub eax, -2147483648",
	  5, { 0x2d, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_XOR, true, 128, 0, 0, "xor rax, 128", 6, { 0x48, 0x35, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_XOR, true, INT32_MIN, 0, 0, "xor rax, -2147483648",
	  6, { 0x48, 0x35, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_XOR, false, 128, 0, 0, "xor eax, 128", 5, { 0x35, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_XOR, false, INT32_MIN, 0, 0, "xor eax, -2147483648",
	  5, { 0x35, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_CMP, true, 128, 0, 0, "cmp rax, 128", 6, { 0x48, 0x3d, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_CMP, true, INT32_MIN, 0, 0, "cmp rax, -2147483648",
	  6, { 0x48, 0x3d, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_CMP, false, 128, 0, 0, "cmp eax, 128", 5, { 0x3d, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_CMP, false, INT32_MIN, 0, 0, "cmp eax, -2147483648",
	  5, { 0x3d, 0x00, 0x00, 0x00, 0x80 } },
};
ENC_TEST(alu_rax_imm32, x86_alu_rax_imm32(r->a, r->b, (int32_t)r->c))

/*
 * x86_alu_m_imm8
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row alu_m_imm8_rows[] = {
	{ X86_ADD, true, X86_R12, 64, 0, "add qword ptr [r12 + 64], 0",
	  6, { 0x49, 0x83, 0x44, 0x24, 0x40, 0x00 } },
	{ X86_ADD, false, X86_R12, 64, 0, "add dword ptr [r12 + 64], 0",
	  6, { 0x41, 0x83, 0x44, 0x24, 0x40, 0x00 } },
	{ X86_OR, true, X86_R12, 64, 0, "or qword ptr [r12 + 64], 0",
	  6, { 0x49, 0x83, 0x4c, 0x24, 0x40, 0x00 } },
	{ X86_OR, false, X86_R12, 64, 0, "or dword ptr [r12 + 64], 0",
	  6, { 0x41, 0x83, 0x4c, 0x24, 0x40, 0x00 } },
	{ X86_AND, true, X86_R12, 64, 0, "and qword ptr [r12 + 64], 0",
	  6, { 0x49, 0x83, 0x64, 0x24, 0x40, 0x00 } },
	{ X86_AND, false, X86_R12, 64, 0, "and dword ptr [r12 + 64], 0",
	  6, { 0x41, 0x83, 0x64, 0x24, 0x40, 0x00 } },
	{ X86_SUB, true, X86_R12, 64, 0, "sub qword ptr [r12 + 64], 0",
	  6, { 0x49, 0x83, 0x6c, 0x24, 0x40, 0x00 } },
	{ X86_SUB, false, X86_R12, 64, 0, "sub dword ptr [r12 + 64], 0",
	  6, { 0x41, 0x83, 0x6c, 0x24, 0x40, 0x00 } },
	{ X86_XOR, true, X86_R12, 64, 0, "xor qword ptr [r12 + 64], 0",
	  6, { 0x49, 0x83, 0x74, 0x24, 0x40, 0x00 } },
	{ X86_XOR, false, X86_R12, 64, 0, "xor dword ptr [r12 + 64], 0",
	  6, { 0x41, 0x83, 0x74, 0x24, 0x40, 0x00 } },
	{ X86_CMP, true, X86_R12, 64, 0, "cmp qword ptr [r12 + 64], 0",
	  6, { 0x49, 0x83, 0x7c, 0x24, 0x40, 0x00 } },
	{ X86_CMP, false, X86_R12, 64, 0, "cmp dword ptr [r12 + 64], 0",
	  6, { 0x41, 0x83, 0x7c, 0x24, 0x40, 0x00 } },
	{ X86_ADD, true, X86_R11, 1000, 1, "add qword ptr [r11 + 1000], 1",
	  8, { 0x49, 0x83, 0x83, 0xe8, 0x03, 0x00, 0x00, 0x01 } },
	{ X86_ADD, false, X86_R11, 1000, 1, "add dword ptr [r11 + 1000], 1",
	  8, { 0x41, 0x83, 0x83, 0xe8, 0x03, 0x00, 0x00, 0x01 } },
	{ X86_ADD, true, X86_RSP, 0, -128, "add qword ptr [rsp], -128",
	  5, { 0x48, 0x83, 0x04, 0x24, 0x80 } },
	{ X86_ADD, false, X86_RSP, 0, -128, "add dword ptr [rsp], -128",
	  4, { 0x83, 0x04, 0x24, 0x80 } },
	{ X86_ADD, true, X86_RBP, 0, 2, "add qword ptr [rbp], 2",
	  5, { 0x48, 0x83, 0x45, 0x00, 0x02 } },
	{ X86_ADD, false, X86_RBP, 0, 2, "add dword ptr [rbp], 2", 4, { 0x83, 0x45, 0x00, 0x02 } },
	{ X86_ADD, true, X86_R13, -8, 127, "add qword ptr [r13 - 8], 127",
	  5, { 0x49, 0x83, 0x45, 0xf8, 0x7f } },
	{ X86_ADD, false, X86_R13, -8, 127, "add dword ptr [r13 - 8], 127",
	  5, { 0x41, 0x83, 0x45, 0xf8, 0x7f } },
};
ENC_TEST(alu_m_imm8, x86_alu_m_imm8(r->a, r->b, r->c, (int32_t)r->d, (int8_t)r->e))

/*
 * x86_alu_m_imm32
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row alu_m_imm32_rows[] = {
	{ X86_ADD, true, X86_R12, 64, 128, "add qword ptr [r12 + 64], 128",
	  9, { 0x49, 0x81, 0x44, 0x24, 0x40, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_ADD, false, X86_R12, 64, 128, "add dword ptr [r12 + 64], 128",
	  9, { 0x41, 0x81, 0x44, 0x24, 0x40, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_OR, true, X86_R12, 64, 128, "or qword ptr [r12 + 64], 128",
	  9, { 0x49, 0x81, 0x4c, 0x24, 0x40, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_OR, false, X86_R12, 64, 128, "or dword ptr [r12 + 64], 128",
	  9, { 0x41, 0x81, 0x4c, 0x24, 0x40, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_AND, true, X86_R12, 64, 128, "and qword ptr [r12 + 64], 128",
	  9, { 0x49, 0x81, 0x64, 0x24, 0x40, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_AND, false, X86_R12, 64, 128, "and dword ptr [r12 + 64], 128",
	  9, { 0x41, 0x81, 0x64, 0x24, 0x40, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_SUB, true, X86_R12, 64, 128, "sub qword ptr [r12 + 64], 128",
	  9, { 0x49, 0x81, 0x6c, 0x24, 0x40, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_SUB, false, X86_R12, 64, 128, "sub dword ptr [r12 + 64], 128",
	  9, { 0x41, 0x81, 0x6c, 0x24, 0x40, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_XOR, true, X86_R12, 64, 128, "xor qword ptr [r12 + 64], 128",
	  9, { 0x49, 0x81, 0x74, 0x24, 0x40, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_XOR, false, X86_R12, 64, 128, "xor dword ptr [r12 + 64], 128",
	  9, { 0x41, 0x81, 0x74, 0x24, 0x40, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_CMP, true, X86_R12, 64, 128, "cmp qword ptr [r12 + 64], 128",
	  9, { 0x49, 0x81, 0x7c, 0x24, 0x40, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_CMP, false, X86_R12, 64, 128, "cmp dword ptr [r12 + 64], 128",
	  9, { 0x41, 0x81, 0x7c, 0x24, 0x40, 0x80, 0x00, 0x00, 0x00 } },
	{ X86_ADD, true, X86_R11, 1000, INT32_MIN, "add qword ptr [r11 + 1000], -2147483648",
	  11, { 0x49, 0x81, 0x83, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_ADD, false, X86_R11, 1000, INT32_MIN, "add dword ptr [r11 + 1000], -2147483648",
	  11, { 0x41, 0x81, 0x83, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_ADD, true, X86_RBP, 0, 100000, "add qword ptr [rbp], 100000",
	  8, { 0x48, 0x81, 0x45, 0x00, 0xa0, 0x86, 0x01, 0x00 } },
	{ X86_ADD, false, X86_RBP, 0, 100000, "add dword ptr [rbp], 100000",
	  7, { 0x81, 0x45, 0x00, 0xa0, 0x86, 0x01, 0x00 } },
};
ENC_TEST(alu_m_imm32, x86_alu_m_imm32(r->a, r->b, r->c, (int32_t)r->d, (int32_t)r->e))

/*
 * x86_test_rm_r
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row test_rm_r_rows[] = {
	{ true, X86_RAX, X86_RAX, 0, 0, "test rax, rax", 3, { 0x48, 0x85, 0xc0 } },
	{ true, X86_R11, X86_R11, 0, 0, "test r11, r11", 3, { 0x4d, 0x85, 0xdb } },
	{ true, X86_RSP, X86_RBP, 0, 0, "test rsp, rbp", 3, { 0x48, 0x85, 0xec } },
	{ true, X86_RDI, X86_R12, 0, 0, "test rdi, r12", 3, { 0x4c, 0x85, 0xe7 } },
	{ true, X86_R13, X86_R8, 0, 0, "test r13, r8", 3, { 0x4d, 0x85, 0xc5 } },
	{ false, X86_RAX, X86_RAX, 0, 0, "test eax, eax", 2, { 0x85, 0xc0 } },
	{ false, X86_R11, X86_R11, 0, 0, "test r11d, r11d", 3, { 0x45, 0x85, 0xdb } },
	{ false, X86_RSP, X86_RBP, 0, 0, "test esp, ebp", 2, { 0x85, 0xec } },
	{ false, X86_RDI, X86_R12, 0, 0, "test edi, r12d", 3, { 0x44, 0x85, 0xe7 } },
	{ false, X86_R13, X86_R8, 0, 0, "test r13d, r8d", 3, { 0x45, 0x85, 0xc5 } },
};
ENC_TEST(test_rm_r, x86_test_rm_r(r->a, r->b, r->c))

/*
 * x86_test_rm8_imm8
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row test_rm8_imm8_rows[] = {
	{ X86_RCX, 1, 0, 0, 0, "test cl, 1", 3, { 0xf6, 0xc1, 0x01 } },
	{ X86_RSP, 7, 0, 0, 0, "test spl, 7", 4, { 0x40, 0xf6, 0xc4, 0x07 } },
	{ X86_RBP, 128, 0, 0, 0, "test bpl, 128", 4, { 0x40, 0xf6, 0xc5, 0x80 } },
	{ X86_RSI, 255, 0, 0, 0, "test sil, 255", 4, { 0x40, 0xf6, 0xc6, 0xff } },
	{ X86_RDI, 3, 0, 0, 0, "test dil, 3", 4, { 0x40, 0xf6, 0xc7, 0x03 } },
	{ X86_R8, 1, 0, 0, 0, "test r8b, 1", 4, { 0x41, 0xf6, 0xc0, 0x01 } },
	{ X86_R11, 7, 0, 0, 0, "test r11b, 7", 4, { 0x41, 0xf6, 0xc3, 0x07 } },
	{ X86_R12, 255, 0, 0, 0, "test r12b, 255", 4, { 0x41, 0xf6, 0xc4, 0xff } },
};
ENC_TEST(test_rm8_imm8, x86_test_rm8_imm8(r->a, (uint8_t)r->b))

/*
 * x86_test_al_imm8
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row test_al_imm8_rows[] = {
	{ 1, 0, 0, 0, 0, "test al, 1", 2, { 0xa8, 0x01 } },
	{ 128, 0, 0, 0, 0, "test al, 128", 2, { 0xa8, 0x80 } },
	{ 255, 0, 0, 0, 0, "test al, 255", 2, { 0xa8, 0xff } },
};
ENC_TEST(test_al_imm8, x86_test_al_imm8((uint8_t)r->a))

/*
 * x86_test_rm_imm32
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row test_rm_imm32_rows[] = {
	{ true, X86_RCX, 256, 0, 0, "test rcx, 256",
	  7, { 0x48, 0xf7, 0xc1, 0x00, 0x01, 0x00, 0x00 } },
	{ true, X86_RSP, -1, 0, 0, "test rsp, -1",
	  7, { 0x48, 0xf7, 0xc4, 0xff, 0xff, 0xff, 0xff } },
	{ true, X86_RBP, INT32_MIN, 0, 0, "test rbp, -2147483648",
	  7, { 0x48, 0xf7, 0xc5, 0x00, 0x00, 0x00, 0x80 } },
	{ true, X86_R8, 256, 0, 0, "test r8, 256",
	  7, { 0x49, 0xf7, 0xc0, 0x00, 0x01, 0x00, 0x00 } },
	{ true, X86_R12, -1, 0, 0, "test r12, -1",
	  7, { 0x49, 0xf7, 0xc4, 0xff, 0xff, 0xff, 0xff } },
	{ true, X86_R13, 2147483647, 0, 0, "test r13, 2147483647",
	  7, { 0x49, 0xf7, 0xc5, 0xff, 0xff, 0xff, 0x7f } },
	{ false, X86_RCX, 256, 0, 0, "test ecx, 256", 6, { 0xf7, 0xc1, 0x00, 0x01, 0x00, 0x00 } },
	{ false, X86_RSP, -1, 0, 0, "test esp, -1", 6, { 0xf7, 0xc4, 0xff, 0xff, 0xff, 0xff } },
	{ false, X86_RBP, INT32_MIN, 0, 0, "test ebp, -2147483648",
	  6, { 0xf7, 0xc5, 0x00, 0x00, 0x00, 0x80 } },
	{ false, X86_R8, 256, 0, 0, "test r8d, 256",
	  7, { 0x41, 0xf7, 0xc0, 0x00, 0x01, 0x00, 0x00 } },
	{ false, X86_R12, -1, 0, 0, "test r12d, -1",
	  7, { 0x41, 0xf7, 0xc4, 0xff, 0xff, 0xff, 0xff } },
	{ false, X86_R13, 2147483647, 0, 0, "test r13d, 2147483647",
	  7, { 0x41, 0xf7, 0xc5, 0xff, 0xff, 0xff, 0x7f } },
};
ENC_TEST(test_rm_imm32, x86_test_rm_imm32(r->a, r->b, (int32_t)r->c))

/*
 * x86_test_rax_imm32
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row test_rax_imm32_rows[] = {
	{ true, 256, 0, 0, 0, "test rax, 256", 6, { 0x48, 0xa9, 0x00, 0x01, 0x00, 0x00 } },
	{ true, -1, 0, 0, 0, "test rax, -1", 6, { 0x48, 0xa9, 0xff, 0xff, 0xff, 0xff } },
	{ true, INT32_MIN, 0, 0, 0, "test rax, -2147483648",
	  6, { 0x48, 0xa9, 0x00, 0x00, 0x00, 0x80 } },
	{ false, 256, 0, 0, 0, "test eax, 256", 5, { 0xa9, 0x00, 0x01, 0x00, 0x00 } },
	{ false, -1, 0, 0, 0, "test eax, -1", 5, { 0xa9, 0xff, 0xff, 0xff, 0xff } },
	{ false, INT32_MIN, 0, 0, 0, "test eax, -2147483648", 5, { 0xa9, 0x00, 0x00, 0x00, 0x80 } },
};
ENC_TEST(test_rax_imm32, x86_test_rax_imm32(r->a, (int32_t)r->b))

/*
 * x86_imul_r_rm
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row imul_r_rm_rows[] = {
	{ true, X86_RAX, X86_RCX, 0, 0, "imul rax, rcx", 4, { 0x48, 0x0f, 0xaf, 0xc1 } },
	{ true, X86_RSP, X86_RBP, 0, 0, "imul rsp, rbp", 4, { 0x48, 0x0f, 0xaf, 0xe5 } },
	{ true, X86_RBP, X86_RSP, 0, 0, "imul rbp, rsp", 4, { 0x48, 0x0f, 0xaf, 0xec } },
	{ true, X86_RSI, X86_RDI, 0, 0, "imul rsi, rdi", 4, { 0x48, 0x0f, 0xaf, 0xf7 } },
	{ true, X86_RAX, X86_R8, 0, 0, "imul rax, r8", 4, { 0x49, 0x0f, 0xaf, 0xc0 } },
	{ true, X86_R8, X86_RAX, 0, 0, "imul r8, rax", 4, { 0x4c, 0x0f, 0xaf, 0xc0 } },
	{ true, X86_R12, X86_R13, 0, 0, "imul r12, r13", 4, { 0x4d, 0x0f, 0xaf, 0xe5 } },
	{ true, X86_R13, X86_R12, 0, 0, "imul r13, r12", 4, { 0x4d, 0x0f, 0xaf, 0xec } },
	{ true, X86_R15, X86_R9, 0, 0, "imul r15, r9", 4, { 0x4d, 0x0f, 0xaf, 0xf9 } },
	{ false, X86_RAX, X86_RCX, 0, 0, "imul eax, ecx", 3, { 0x0f, 0xaf, 0xc1 } },
	{ false, X86_RSP, X86_RBP, 0, 0, "imul esp, ebp", 3, { 0x0f, 0xaf, 0xe5 } },
	{ false, X86_RBP, X86_RSP, 0, 0, "imul ebp, esp", 3, { 0x0f, 0xaf, 0xec } },
	{ false, X86_RSI, X86_RDI, 0, 0, "imul esi, edi", 3, { 0x0f, 0xaf, 0xf7 } },
	{ false, X86_RAX, X86_R8, 0, 0, "imul eax, r8d", 4, { 0x41, 0x0f, 0xaf, 0xc0 } },
	{ false, X86_R8, X86_RAX, 0, 0, "imul r8d, eax", 4, { 0x44, 0x0f, 0xaf, 0xc0 } },
	{ false, X86_R12, X86_R13, 0, 0, "imul r12d, r13d", 4, { 0x45, 0x0f, 0xaf, 0xe5 } },
	{ false, X86_R13, X86_R12, 0, 0, "imul r13d, r12d", 4, { 0x45, 0x0f, 0xaf, 0xec } },
	{ false, X86_R15, X86_R9, 0, 0, "imul r15d, r9d", 4, { 0x45, 0x0f, 0xaf, 0xf9 } },
};
ENC_TEST(imul_r_rm, x86_imul_r_rm(r->a, r->b, r->c))

/*
 * x86_imul_r_rm_imm8
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row imul_r_rm_imm8_rows[] = {
	{ true, X86_RAX, X86_RAX, 2, 0, "imul rax, rax, 2", 4, { 0x48, 0x6b, 0xc0, 0x02 } },
	{ true, X86_RBP, X86_RBP, -1, 0, "imul rbp, rbp, -1", 4, { 0x48, 0x6b, 0xed, 0xff } },
	{ true, X86_R12, X86_R12, 127, 0, "imul r12, r12, 127", 4, { 0x4d, 0x6b, 0xe4, 0x7f } },
	{ true, X86_R13, X86_RDI, -128, 0, "imul r13, rdi, -128", 4, { 0x4c, 0x6b, 0xef, 0x80 } },
	{ false, X86_RAX, X86_RAX, 2, 0, "imul eax, eax, 2", 3, { 0x6b, 0xc0, 0x02 } },
	{ false, X86_RBP, X86_RBP, -1, 0, "imul ebp, ebp, -1", 3, { 0x6b, 0xed, 0xff } },
	{ false, X86_R12, X86_R12, 127, 0, "imul r12d, r12d, 127", 4, { 0x45, 0x6b, 0xe4, 0x7f } },
	{ false, X86_R13, X86_RDI, -128, 0, "imul r13d, edi, -128", 4, { 0x44, 0x6b, 0xef, 0x80 } },
};
ENC_TEST(imul_r_rm_imm8, x86_imul_r_rm_imm8(r->a, r->b, r->c, (int8_t)r->d))

/*
 * x86_imul_r_rm_imm32
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row imul_r_rm_imm32_rows[] = {
	{ true, X86_RAX, X86_RAX, 128, 0, "imul rax, rax, 128",
	  7, { 0x48, 0x69, 0xc0, 0x80, 0x00, 0x00, 0x00 } },
	{ true, X86_RBP, X86_RBP, 1000003, 0, "imul rbp, rbp, 1000003",
	  7, { 0x48, 0x69, 0xed, 0x43, 0x42, 0x0f, 0x00 } },
	{ true, X86_R12, X86_R12, INT32_MIN, 0, "imul r12, r12, -2147483648",
	  7, { 0x4d, 0x69, 0xe4, 0x00, 0x00, 0x00, 0x80 } },
	{ true, X86_R13, X86_RDI, -129, 0, "imul r13, rdi, -129",
	  7, { 0x4c, 0x69, 0xef, 0x7f, 0xff, 0xff, 0xff } },
	{ false, X86_RAX, X86_RAX, 128, 0, "imul eax, eax, 128",
	  6, { 0x69, 0xc0, 0x80, 0x00, 0x00, 0x00 } },
	{ false, X86_RBP, X86_RBP, 1000003, 0, "imul ebp, ebp, 1000003",
	  6, { 0x69, 0xed, 0x43, 0x42, 0x0f, 0x00 } },
	{ false, X86_R12, X86_R12, INT32_MIN, 0, "imul r12d, r12d, -2147483648",
	  7, { 0x45, 0x69, 0xe4, 0x00, 0x00, 0x00, 0x80 } },
	{ false, X86_R13, X86_RDI, -129, 0, "imul r13d, edi, -129",
	  7, { 0x44, 0x69, 0xef, 0x7f, 0xff, 0xff, 0xff } },
};
ENC_TEST(imul_r_rm_imm32, x86_imul_r_rm_imm32(r->a, r->b, r->c, (int32_t)r->d))

/*
 * x86_neg_rm
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row neg_rm_rows[] = {
	{ true, X86_RAX, 0, 0, 0, "neg rax", 3, { 0x48, 0xf7, 0xd8 } },
	{ true, X86_RSP, 0, 0, 0, "neg rsp", 3, { 0x48, 0xf7, 0xdc } },
	{ true, X86_RBP, 0, 0, 0, "neg rbp", 3, { 0x48, 0xf7, 0xdd } },
	{ true, X86_R8, 0, 0, 0, "neg r8", 3, { 0x49, 0xf7, 0xd8 } },
	{ true, X86_R11, 0, 0, 0, "neg r11", 3, { 0x49, 0xf7, 0xdb } },
	{ true, X86_R13, 0, 0, 0, "neg r13", 3, { 0x49, 0xf7, 0xdd } },
	{ false, X86_RAX, 0, 0, 0, "neg eax", 2, { 0xf7, 0xd8 } },
	{ false, X86_RSP, 0, 0, 0, "neg esp", 2, { 0xf7, 0xdc } },
	{ false, X86_RBP, 0, 0, 0, "neg ebp", 2, { 0xf7, 0xdd } },
	{ false, X86_R8, 0, 0, 0, "neg r8d", 3, { 0x41, 0xf7, 0xd8 } },
	{ false, X86_R11, 0, 0, 0, "neg r11d", 3, { 0x41, 0xf7, 0xdb } },
	{ false, X86_R13, 0, 0, 0, "neg r13d", 3, { 0x41, 0xf7, 0xdd } },
};
ENC_TEST(neg_rm, x86_neg_rm(r->a, r->b))

/*
 * x86_mul_rm
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row mul_rm_rows[] = {
	{ true, X86_RAX, 0, 0, 0, "mul rax", 3, { 0x48, 0xf7, 0xe0 } },
	{ true, X86_RSP, 0, 0, 0, "mul rsp", 3, { 0x48, 0xf7, 0xe4 } },
	{ true, X86_RBP, 0, 0, 0, "mul rbp", 3, { 0x48, 0xf7, 0xe5 } },
	{ true, X86_R8, 0, 0, 0, "mul r8", 3, { 0x49, 0xf7, 0xe0 } },
	{ true, X86_R11, 0, 0, 0, "mul r11", 3, { 0x49, 0xf7, 0xe3 } },
	{ true, X86_R13, 0, 0, 0, "mul r13", 3, { 0x49, 0xf7, 0xe5 } },
	{ false, X86_RAX, 0, 0, 0, "mul eax", 2, { 0xf7, 0xe0 } },
	{ false, X86_RSP, 0, 0, 0, "mul esp", 2, { 0xf7, 0xe4 } },
	{ false, X86_RBP, 0, 0, 0, "mul ebp", 2, { 0xf7, 0xe5 } },
	{ false, X86_R8, 0, 0, 0, "mul r8d", 3, { 0x41, 0xf7, 0xe0 } },
	{ false, X86_R11, 0, 0, 0, "mul r11d", 3, { 0x41, 0xf7, 0xe3 } },
	{ false, X86_R13, 0, 0, 0, "mul r13d", 3, { 0x41, 0xf7, 0xe5 } },
};
ENC_TEST(mul_rm, x86_mul_rm(r->a, r->b))

/*
 * x86_div_rm
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row div_rm_rows[] = {
	{ true, X86_RAX, 0, 0, 0, "div rax", 3, { 0x48, 0xf7, 0xf0 } },
	{ true, X86_RSP, 0, 0, 0, "div rsp", 3, { 0x48, 0xf7, 0xf4 } },
	{ true, X86_RBP, 0, 0, 0, "div rbp", 3, { 0x48, 0xf7, 0xf5 } },
	{ true, X86_R8, 0, 0, 0, "div r8", 3, { 0x49, 0xf7, 0xf0 } },
	{ true, X86_R11, 0, 0, 0, "div r11", 3, { 0x49, 0xf7, 0xf3 } },
	{ true, X86_R13, 0, 0, 0, "div r13", 3, { 0x49, 0xf7, 0xf5 } },
	{ false, X86_RAX, 0, 0, 0, "div eax", 2, { 0xf7, 0xf0 } },
	{ false, X86_RSP, 0, 0, 0, "div esp", 2, { 0xf7, 0xf4 } },
	{ false, X86_RBP, 0, 0, 0, "div ebp", 2, { 0xf7, 0xf5 } },
	{ false, X86_R8, 0, 0, 0, "div r8d", 3, { 0x41, 0xf7, 0xf0 } },
	{ false, X86_R11, 0, 0, 0, "div r11d", 3, { 0x41, 0xf7, 0xf3 } },
	{ false, X86_R13, 0, 0, 0, "div r13d", 3, { 0x41, 0xf7, 0xf5 } },
};
ENC_TEST(div_rm, x86_div_rm(r->a, r->b))

/*
 * x86_idiv_rm
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row idiv_rm_rows[] = {
	{ true, X86_RAX, 0, 0, 0, "idiv rax", 3, { 0x48, 0xf7, 0xf8 } },
	{ true, X86_RSP, 0, 0, 0, "idiv rsp", 3, { 0x48, 0xf7, 0xfc } },
	{ true, X86_RBP, 0, 0, 0, "idiv rbp", 3, { 0x48, 0xf7, 0xfd } },
	{ true, X86_R8, 0, 0, 0, "idiv r8", 3, { 0x49, 0xf7, 0xf8 } },
	{ true, X86_R11, 0, 0, 0, "idiv r11", 3, { 0x49, 0xf7, 0xfb } },
	{ true, X86_R13, 0, 0, 0, "idiv r13", 3, { 0x49, 0xf7, 0xfd } },
	{ false, X86_RAX, 0, 0, 0, "idiv eax", 2, { 0xf7, 0xf8 } },
	{ false, X86_RSP, 0, 0, 0, "idiv esp", 2, { 0xf7, 0xfc } },
	{ false, X86_RBP, 0, 0, 0, "idiv ebp", 2, { 0xf7, 0xfd } },
	{ false, X86_R8, 0, 0, 0, "idiv r8d", 3, { 0x41, 0xf7, 0xf8 } },
	{ false, X86_R11, 0, 0, 0, "idiv r11d", 3, { 0x41, 0xf7, 0xfb } },
	{ false, X86_R13, 0, 0, 0, "idiv r13d", 3, { 0x41, 0xf7, 0xfd } },
};
ENC_TEST(idiv_rm, x86_idiv_rm(r->a, r->b))

/*
 * x86_cqo
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row cqo_rows[] = {
	{ true, 0, 0, 0, 0, "cqo", 2, { 0x48, 0x99 } },
	{ false, 0, 0, 0, 0, "cdq", 1, { 0x99 } },
};
ENC_TEST(cqo, x86_cqo(r->a))

/*
 * x86_shift_rm_imm8
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row shift_rm_imm8_rows[] = {
	{ X86_ROL, true, X86_RAX, 2, 0, "rol rax, 2", 4, { 0x48, 0xc1, 0xc0, 0x02 } },
	{ X86_ROL, false, X86_RAX, 2, 0, "rol eax, 2", 3, { 0xc1, 0xc0, 0x02 } },
	{ X86_ROR, true, X86_RAX, 2, 0, "ror rax, 2", 4, { 0x48, 0xc1, 0xc8, 0x02 } },
	{ X86_ROR, false, X86_RAX, 2, 0, "ror eax, 2", 3, { 0xc1, 0xc8, 0x02 } },
	{ X86_SHL, true, X86_RAX, 2, 0, "shl rax, 2", 4, { 0x48, 0xc1, 0xe0, 0x02 } },
	{ X86_SHL, false, X86_RAX, 2, 0, "shl eax, 2", 3, { 0xc1, 0xe0, 0x02 } },
	{ X86_SHR, true, X86_RAX, 2, 0, "shr rax, 2", 4, { 0x48, 0xc1, 0xe8, 0x02 } },
	{ X86_SHR, false, X86_RAX, 2, 0, "shr eax, 2", 3, { 0xc1, 0xe8, 0x02 } },
	{ X86_SAR, true, X86_RAX, 2, 0, "sar rax, 2", 4, { 0x48, 0xc1, 0xf8, 0x02 } },
	{ X86_SAR, false, X86_RAX, 2, 0, "sar eax, 2", 3, { 0xc1, 0xf8, 0x02 } },
	{ X86_SHL, true, X86_RSP, 31, 0, "shl rsp, 31", 4, { 0x48, 0xc1, 0xe4, 0x1f } },
	{ X86_SHL, false, X86_RSP, 31, 0, "shl esp, 31", 3, { 0xc1, 0xe4, 0x1f } },
	{ X86_SHL, true, X86_RBP, 17, 0, "shl rbp, 17", 4, { 0x48, 0xc1, 0xe5, 0x11 } },
	{ X86_SHL, false, X86_RBP, 17, 0, "shl ebp, 17", 3, { 0xc1, 0xe5, 0x11 } },
	{ X86_SHL, true, X86_R8, 8, 0, "shl r8, 8", 4, { 0x49, 0xc1, 0xe0, 0x08 } },
	{ X86_SHL, false, X86_R8, 8, 0, "shl r8d, 8", 4, { 0x41, 0xc1, 0xe0, 0x08 } },
	{ X86_SHL, true, X86_R12, 5, 0, "shl r12, 5", 4, { 0x49, 0xc1, 0xe4, 0x05 } },
	{ X86_SHL, false, X86_R12, 5, 0, "shl r12d, 5", 4, { 0x41, 0xc1, 0xe4, 0x05 } },
	{ X86_SHL, true, X86_R15, 30, 0, "shl r15, 30", 4, { 0x49, 0xc1, 0xe7, 0x1e } },
	{ X86_SHL, false, X86_R15, 30, 0, "shl r15d, 30", 4, { 0x41, 0xc1, 0xe7, 0x1e } },
	{ X86_SAR, true, X86_R15, 63, 0, "sar r15, 63", 4, { 0x49, 0xc1, 0xff, 0x3f } },
};
ENC_TEST(shift_rm_imm8, x86_shift_rm_imm8(r->a, r->b, r->c, (uint8_t)r->d))

/*
 * x86_shift_rm_1
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row shift_rm_1_rows[] = {
	{ X86_ROL, true, X86_RAX, 0, 0, "rol rax, 1", 3, { 0x48, 0xd1, 0xc0 } },
	{ X86_ROL, false, X86_RAX, 0, 0, "rol eax, 1", 2, { 0xd1, 0xc0 } },
	{ X86_ROR, true, X86_RAX, 0, 0, "ror rax, 1", 3, { 0x48, 0xd1, 0xc8 } },
	{ X86_ROR, false, X86_RAX, 0, 0, "ror eax, 1", 2, { 0xd1, 0xc8 } },
	{ X86_SHL, true, X86_RAX, 0, 0, "shl rax, 1", 3, { 0x48, 0xd1, 0xe0 } },
	{ X86_SHL, false, X86_RAX, 0, 0, "shl eax, 1", 2, { 0xd1, 0xe0 } },
	{ X86_SHR, true, X86_RAX, 0, 0, "shr rax, 1", 3, { 0x48, 0xd1, 0xe8 } },
	{ X86_SHR, false, X86_RAX, 0, 0, "shr eax, 1", 2, { 0xd1, 0xe8 } },
	{ X86_SAR, true, X86_RAX, 0, 0, "sar rax, 1", 3, { 0x48, 0xd1, 0xf8 } },
	{ X86_SAR, false, X86_RAX, 0, 0, "sar eax, 1", 2, { 0xd1, 0xf8 } },
	{ X86_SHL, true, X86_R13, 0, 0, "shl r13, 1", 3, { 0x49, 0xd1, 0xe5 } },
	{ X86_SHL, false, X86_R13, 0, 0, "shl r13d, 1", 3, { 0x41, 0xd1, 0xe5 } },
};
ENC_TEST(shift_rm_1, x86_shift_rm_1(r->a, r->b, r->c))

/*
 * x86_shift_rm_cl
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row shift_rm_cl_rows[] = {
	{ X86_ROL, true, X86_RAX, 0, 0, "rol rax, cl", 3, { 0x48, 0xd3, 0xc0 } },
	{ X86_ROL, false, X86_RAX, 0, 0, "rol eax, cl", 2, { 0xd3, 0xc0 } },
	{ X86_ROR, true, X86_RAX, 0, 0, "ror rax, cl", 3, { 0x48, 0xd3, 0xc8 } },
	{ X86_ROR, false, X86_RAX, 0, 0, "ror eax, cl", 2, { 0xd3, 0xc8 } },
	{ X86_SHL, true, X86_RAX, 0, 0, "shl rax, cl", 3, { 0x48, 0xd3, 0xe0 } },
	{ X86_SHL, false, X86_RAX, 0, 0, "shl eax, cl", 2, { 0xd3, 0xe0 } },
	{ X86_SHR, true, X86_RAX, 0, 0, "shr rax, cl", 3, { 0x48, 0xd3, 0xe8 } },
	{ X86_SHR, false, X86_RAX, 0, 0, "shr eax, cl", 2, { 0xd3, 0xe8 } },
	{ X86_SAR, true, X86_RAX, 0, 0, "sar rax, cl", 3, { 0x48, 0xd3, 0xf8 } },
	{ X86_SAR, false, X86_RAX, 0, 0, "sar eax, cl", 2, { 0xd3, 0xf8 } },
	{ X86_SHL, true, X86_RCX, 0, 0, "shl rcx, cl", 3, { 0x48, 0xd3, 0xe1 } },
	{ X86_SHL, false, X86_RCX, 0, 0, "shl ecx, cl", 2, { 0xd3, 0xe1 } },
	{ X86_SHL, true, X86_RBP, 0, 0, "shl rbp, cl", 3, { 0x48, 0xd3, 0xe5 } },
	{ X86_SHL, false, X86_RBP, 0, 0, "shl ebp, cl", 2, { 0xd3, 0xe5 } },
	{ X86_SHL, true, X86_R11, 0, 0, "shl r11, cl", 3, { 0x49, 0xd3, 0xe3 } },
	{ X86_SHL, false, X86_R11, 0, 0, "shl r11d, cl", 3, { 0x41, 0xd3, 0xe3 } },
};
ENC_TEST(shift_rm_cl, x86_shift_rm_cl(r->a, r->b, r->c))

/*
 * x86_ror_rm16_imm8
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row ror_rm16_imm8_rows[] = {
	{ X86_RAX, 8, 0, 0, 0, "ror ax, 8", 4, { 0x66, 0xc1, 0xc8, 0x08 } },
	{ X86_RSP, 8, 0, 0, 0, "ror sp, 8", 4, { 0x66, 0xc1, 0xcc, 0x08 } },
	{ X86_RBP, 8, 0, 0, 0, "ror bp, 8", 4, { 0x66, 0xc1, 0xcd, 0x08 } },
	{ X86_RSI, 8, 0, 0, 0, "ror si, 8", 4, { 0x66, 0xc1, 0xce, 0x08 } },
	{ X86_RDI, 8, 0, 0, 0, "ror di, 8", 4, { 0x66, 0xc1, 0xcf, 0x08 } },
	{ X86_R8, 8, 0, 0, 0, "ror r8w, 8", 5, { 0x66, 0x41, 0xc1, 0xc8, 0x08 } },
	{ X86_R12, 8, 0, 0, 0, "ror r12w, 8", 5, { 0x66, 0x41, 0xc1, 0xcc, 0x08 } },
	{ X86_R15, 8, 0, 0, 0, "ror r15w, 8", 5, { 0x66, 0x41, 0xc1, 0xcf, 0x08 } },
};
ENC_TEST(ror_rm16_imm8, x86_ror_rm16_imm8(r->a, (uint8_t)r->b))

/*
 * x86_mov_r32_imm32
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row mov_r32_imm32_rows[] = {
	{ X86_RAX, 1, 0, 0, 0, "mov eax, 1", 5, { 0xb8, 0x01, 0x00, 0x00, 0x00 } },
	{ X86_RSP, 2147483648, 0, 0, 0, "mov esp, 2147483648",
	  5, { 0xbc, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_RBP, 4294967295, 0, 0, 0, "mov ebp, 4294967295",
	  5, { 0xbd, 0xff, 0xff, 0xff, 0xff } },
	{ X86_RDI, 7, 0, 0, 0, "mov edi, 7", 5, { 0xbf, 0x07, 0x00, 0x00, 0x00 } },
	{ X86_R8, 1, 0, 0, 0, "mov r8d, 1", 6, { 0x41, 0xb8, 0x01, 0x00, 0x00, 0x00 } },
	{ X86_R11, 4294967295, 0, 0, 0, "mov r11d, 4294967295",
	  6, { 0x41, 0xbb, 0xff, 0xff, 0xff, 0xff } },
	{ X86_R15, 305419896, 0, 0, 0, "mov r15d, 305419896",
	  6, { 0x41, 0xbf, 0x78, 0x56, 0x34, 0x12 } },
};
ENC_TEST(mov_r32_imm32, x86_mov_r32_imm32(r->a, (uint32_t)r->b))

/*
 * x86_mov_rm64_imm32
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row mov_rm64_imm32_rows[] = {
	{ X86_RAX, -1, 0, 0, 0, "mov rax, -1", 7, { 0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff } },
	{ X86_RSP, 5, 0, 0, 0, "mov rsp, 5", 7, { 0x48, 0xc7, 0xc4, 0x05, 0x00, 0x00, 0x00 } },
	{ X86_RBP, INT32_MIN, 0, 0, 0, "mov rbp, -2147483648",
	  7, { 0x48, 0xc7, 0xc5, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_RDI, -2, 0, 0, 0, "mov rdi, -2", 7, { 0x48, 0xc7, 0xc7, 0xfe, 0xff, 0xff, 0xff } },
	{ X86_R8, 2147483647, 0, 0, 0, "mov r8, 2147483647",
	  7, { 0x49, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0x7f } },
	{ X86_R11, -1, 0, 0, 0, "mov r11, -1", 7, { 0x49, 0xc7, 0xc3, 0xff, 0xff, 0xff, 0xff } },
	{ X86_R15, 3, 0, 0, 0, "mov r15, 3", 7, { 0x49, 0xc7, 0xc7, 0x03, 0x00, 0x00, 0x00 } },
};
ENC_TEST(mov_rm64_imm32, x86_mov_rm64_imm32(r->a, (int32_t)r->b))

/*
 * x86_mov_r64_imm64
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row mov_r64_imm64_rows[] = {
	{ X86_RAX, 0x123456789abcdef0ull, 0, 0, 0, "movabs rax, 1311768467463790320",
	  10, { 0x48, 0xb8, 0xf0, 0xde, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12 } },
	{ X86_RSP, 0x8000000000000000ull, 0, 0, 0, "movabs rsp, 9223372036854775808",
	  10, { 0x48, 0xbc, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_RBP, 0x100000000ull, 0, 0, 0, "movabs rbp, 4294967296",
	  10, { 0x48, 0xbd, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00 } },
	{ X86_RDI, 0xffffffffffffffffull, 0, 0, 0, "movabs rdi, 18446744073709551615",
	  10, { 0x48, 0xbf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
	{ X86_R8, 0x123456789ull, 0, 0, 0, "movabs r8, 4886718345",
	  10, { 0x49, 0xb8, 0x89, 0x67, 0x45, 0x23, 0x01, 0x00, 0x00, 0x00 } },
	{ X86_R11, 0x8000000000000000ull, 0, 0, 0, "movabs r11, 9223372036854775808",
	  10, { 0x49, 0xbb, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 } },
	{ X86_R15, 0x7fffffffffffffffull, 0, 0, 0, "movabs r15, 9223372036854775807",
	  10, { 0x49, 0xbf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f } },
};
ENC_TEST(mov_r64_imm64, x86_mov_r64_imm64(r->a, (uint64_t)r->b))

/*
 * x86_movzx_r32_r
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row movzx_r32_r_rows[] = {
	{ 1, X86_RAX, X86_RAX, 0, 0, "movzx eax, al", 3, { 0x0f, 0xb6, 0xc0 } },
	{ 1, X86_RAX, X86_RSP, 0, 0, "movzx eax, spl", 4, { 0x40, 0x0f, 0xb6, 0xc4 } },
	{ 1, X86_RAX, X86_RBP, 0, 0, "movzx eax, bpl", 4, { 0x40, 0x0f, 0xb6, 0xc5 } },
	{ 1, X86_RAX, X86_RSI, 0, 0, "movzx eax, sil", 4, { 0x40, 0x0f, 0xb6, 0xc6 } },
	{ 1, X86_RAX, X86_RDI, 0, 0, "movzx eax, dil", 4, { 0x40, 0x0f, 0xb6, 0xc7 } },
	{ 1, X86_RAX, X86_R8, 0, 0, "movzx eax, r8b", 4, { 0x41, 0x0f, 0xb6, 0xc0 } },
	{ 1, X86_RAX, X86_R12, 0, 0, "movzx eax, r12b", 4, { 0x41, 0x0f, 0xb6, 0xc4 } },
	{ 1, X86_R9, X86_RAX, 0, 0, "movzx r9d, al", 4, { 0x44, 0x0f, 0xb6, 0xc8 } },
	{ 1, X86_R9, X86_RSP, 0, 0, "movzx r9d, spl", 4, { 0x44, 0x0f, 0xb6, 0xcc } },
	{ 1, X86_R9, X86_RBP, 0, 0, "movzx r9d, bpl", 4, { 0x44, 0x0f, 0xb6, 0xcd } },
	{ 1, X86_R9, X86_RSI, 0, 0, "movzx r9d, sil", 4, { 0x44, 0x0f, 0xb6, 0xce } },
	{ 1, X86_R9, X86_RDI, 0, 0, "movzx r9d, dil", 4, { 0x44, 0x0f, 0xb6, 0xcf } },
	{ 1, X86_R9, X86_R8, 0, 0, "movzx r9d, r8b", 4, { 0x45, 0x0f, 0xb6, 0xc8 } },
	{ 1, X86_R9, X86_R12, 0, 0, "movzx r9d, r12b", 4, { 0x45, 0x0f, 0xb6, 0xcc } },
	{ 2, X86_RAX, X86_RAX, 0, 0, "movzx eax, ax", 3, { 0x0f, 0xb7, 0xc0 } },
	{ 2, X86_RAX, X86_RSP, 0, 0, "movzx eax, sp", 3, { 0x0f, 0xb7, 0xc4 } },
	{ 2, X86_RAX, X86_RBP, 0, 0, "movzx eax, bp", 3, { 0x0f, 0xb7, 0xc5 } },
	{ 2, X86_RAX, X86_RSI, 0, 0, "movzx eax, si", 3, { 0x0f, 0xb7, 0xc6 } },
	{ 2, X86_RAX, X86_RDI, 0, 0, "movzx eax, di", 3, { 0x0f, 0xb7, 0xc7 } },
	{ 2, X86_RAX, X86_R8, 0, 0, "movzx eax, r8w", 4, { 0x41, 0x0f, 0xb7, 0xc0 } },
	{ 2, X86_RAX, X86_R12, 0, 0, "movzx eax, r12w", 4, { 0x41, 0x0f, 0xb7, 0xc4 } },
	{ 2, X86_R9, X86_RAX, 0, 0, "movzx r9d, ax", 4, { 0x44, 0x0f, 0xb7, 0xc8 } },
	{ 2, X86_R9, X86_RSP, 0, 0, "movzx r9d, sp", 4, { 0x44, 0x0f, 0xb7, 0xcc } },
	{ 2, X86_R9, X86_RBP, 0, 0, "movzx r9d, bp", 4, { 0x44, 0x0f, 0xb7, 0xcd } },
	{ 2, X86_R9, X86_RSI, 0, 0, "movzx r9d, si", 4, { 0x44, 0x0f, 0xb7, 0xce } },
	{ 2, X86_R9, X86_RDI, 0, 0, "movzx r9d, di", 4, { 0x44, 0x0f, 0xb7, 0xcf } },
	{ 2, X86_R9, X86_R8, 0, 0, "movzx r9d, r8w", 4, { 0x45, 0x0f, 0xb7, 0xc8 } },
	{ 2, X86_R9, X86_R12, 0, 0, "movzx r9d, r12w", 4, { 0x45, 0x0f, 0xb7, 0xcc } },
};
ENC_TEST(movzx_r32_r, x86_movzx_r32_r((unsigned)r->a, r->b, r->c))

/*
 * x86_movsx_r_r
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row movsx_r_r_rows[] = {
	{ true, 1, X86_RAX, X86_RAX, 0, "movsx rax, al", 4, { 0x48, 0x0f, 0xbe, 0xc0 } },
	{ true, 1, X86_RAX, X86_RSP, 0, "movsx rax, spl", 4, { 0x48, 0x0f, 0xbe, 0xc4 } },
	{ true, 1, X86_RAX, X86_RBP, 0, "movsx rax, bpl", 4, { 0x48, 0x0f, 0xbe, 0xc5 } },
	{ true, 1, X86_RAX, X86_RSI, 0, "movsx rax, sil", 4, { 0x48, 0x0f, 0xbe, 0xc6 } },
	{ true, 1, X86_RAX, X86_RDI, 0, "movsx rax, dil", 4, { 0x48, 0x0f, 0xbe, 0xc7 } },
	{ true, 1, X86_RAX, X86_R8, 0, "movsx rax, r8b", 4, { 0x49, 0x0f, 0xbe, 0xc0 } },
	{ true, 1, X86_RAX, X86_R12, 0, "movsx rax, r12b", 4, { 0x49, 0x0f, 0xbe, 0xc4 } },
	{ true, 1, X86_R9, X86_RAX, 0, "movsx r9, al", 4, { 0x4c, 0x0f, 0xbe, 0xc8 } },
	{ true, 1, X86_R9, X86_RSP, 0, "movsx r9, spl", 4, { 0x4c, 0x0f, 0xbe, 0xcc } },
	{ true, 1, X86_R9, X86_RBP, 0, "movsx r9, bpl", 4, { 0x4c, 0x0f, 0xbe, 0xcd } },
	{ true, 1, X86_R9, X86_RSI, 0, "movsx r9, sil", 4, { 0x4c, 0x0f, 0xbe, 0xce } },
	{ true, 1, X86_R9, X86_RDI, 0, "movsx r9, dil", 4, { 0x4c, 0x0f, 0xbe, 0xcf } },
	{ true, 1, X86_R9, X86_R8, 0, "movsx r9, r8b", 4, { 0x4d, 0x0f, 0xbe, 0xc8 } },
	{ true, 1, X86_R9, X86_R12, 0, "movsx r9, r12b", 4, { 0x4d, 0x0f, 0xbe, 0xcc } },
	{ true, 2, X86_RAX, X86_RAX, 0, "movsx rax, ax", 4, { 0x48, 0x0f, 0xbf, 0xc0 } },
	{ true, 2, X86_RAX, X86_RSP, 0, "movsx rax, sp", 4, { 0x48, 0x0f, 0xbf, 0xc4 } },
	{ true, 2, X86_RAX, X86_RBP, 0, "movsx rax, bp", 4, { 0x48, 0x0f, 0xbf, 0xc5 } },
	{ true, 2, X86_RAX, X86_RSI, 0, "movsx rax, si", 4, { 0x48, 0x0f, 0xbf, 0xc6 } },
	{ true, 2, X86_RAX, X86_RDI, 0, "movsx rax, di", 4, { 0x48, 0x0f, 0xbf, 0xc7 } },
	{ true, 2, X86_RAX, X86_R8, 0, "movsx rax, r8w", 4, { 0x49, 0x0f, 0xbf, 0xc0 } },
	{ true, 2, X86_RAX, X86_R12, 0, "movsx rax, r12w", 4, { 0x49, 0x0f, 0xbf, 0xc4 } },
	{ true, 2, X86_R9, X86_RAX, 0, "movsx r9, ax", 4, { 0x4c, 0x0f, 0xbf, 0xc8 } },
	{ true, 2, X86_R9, X86_RSP, 0, "movsx r9, sp", 4, { 0x4c, 0x0f, 0xbf, 0xcc } },
	{ true, 2, X86_R9, X86_RBP, 0, "movsx r9, bp", 4, { 0x4c, 0x0f, 0xbf, 0xcd } },
	{ true, 2, X86_R9, X86_RSI, 0, "movsx r9, si", 4, { 0x4c, 0x0f, 0xbf, 0xce } },
	{ true, 2, X86_R9, X86_RDI, 0, "movsx r9, di", 4, { 0x4c, 0x0f, 0xbf, 0xcf } },
	{ true, 2, X86_R9, X86_R8, 0, "movsx r9, r8w", 4, { 0x4d, 0x0f, 0xbf, 0xc8 } },
	{ true, 2, X86_R9, X86_R12, 0, "movsx r9, r12w", 4, { 0x4d, 0x0f, 0xbf, 0xcc } },
	{ true, 4, X86_RAX, X86_RAX, 0, "movsxd rax, eax", 3, { 0x48, 0x63, 0xc0 } },
	{ true, 4, X86_RAX, X86_RSP, 0, "movsxd rax, esp", 3, { 0x48, 0x63, 0xc4 } },
	{ true, 4, X86_RAX, X86_RBP, 0, "movsxd rax, ebp", 3, { 0x48, 0x63, 0xc5 } },
	{ true, 4, X86_RAX, X86_RSI, 0, "movsxd rax, esi", 3, { 0x48, 0x63, 0xc6 } },
	{ true, 4, X86_RAX, X86_RDI, 0, "movsxd rax, edi", 3, { 0x48, 0x63, 0xc7 } },
	{ true, 4, X86_RAX, X86_R8, 0, "movsxd rax, r8d", 3, { 0x49, 0x63, 0xc0 } },
	{ true, 4, X86_RAX, X86_R12, 0, "movsxd rax, r12d", 3, { 0x49, 0x63, 0xc4 } },
	{ true, 4, X86_R9, X86_RAX, 0, "movsxd r9, eax", 3, { 0x4c, 0x63, 0xc8 } },
	{ true, 4, X86_R9, X86_RSP, 0, "movsxd r9, esp", 3, { 0x4c, 0x63, 0xcc } },
	{ true, 4, X86_R9, X86_RBP, 0, "movsxd r9, ebp", 3, { 0x4c, 0x63, 0xcd } },
	{ true, 4, X86_R9, X86_RSI, 0, "movsxd r9, esi", 3, { 0x4c, 0x63, 0xce } },
	{ true, 4, X86_R9, X86_RDI, 0, "movsxd r9, edi", 3, { 0x4c, 0x63, 0xcf } },
	{ true, 4, X86_R9, X86_R8, 0, "movsxd r9, r8d", 3, { 0x4d, 0x63, 0xc8 } },
	{ true, 4, X86_R9, X86_R12, 0, "movsxd r9, r12d", 3, { 0x4d, 0x63, 0xcc } },
	{ false, 1, X86_RAX, X86_RAX, 0, "movsx eax, al", 3, { 0x0f, 0xbe, 0xc0 } },
	{ false, 1, X86_RAX, X86_RSP, 0, "movsx eax, spl", 4, { 0x40, 0x0f, 0xbe, 0xc4 } },
	{ false, 1, X86_RAX, X86_RBP, 0, "movsx eax, bpl", 4, { 0x40, 0x0f, 0xbe, 0xc5 } },
	{ false, 1, X86_RAX, X86_RSI, 0, "movsx eax, sil", 4, { 0x40, 0x0f, 0xbe, 0xc6 } },
	{ false, 1, X86_RAX, X86_RDI, 0, "movsx eax, dil", 4, { 0x40, 0x0f, 0xbe, 0xc7 } },
	{ false, 1, X86_RAX, X86_R8, 0, "movsx eax, r8b", 4, { 0x41, 0x0f, 0xbe, 0xc0 } },
	{ false, 1, X86_RAX, X86_R12, 0, "movsx eax, r12b", 4, { 0x41, 0x0f, 0xbe, 0xc4 } },
	{ false, 1, X86_R9, X86_RAX, 0, "movsx r9d, al", 4, { 0x44, 0x0f, 0xbe, 0xc8 } },
	{ false, 1, X86_R9, X86_RSP, 0, "movsx r9d, spl", 4, { 0x44, 0x0f, 0xbe, 0xcc } },
	{ false, 1, X86_R9, X86_RBP, 0, "movsx r9d, bpl", 4, { 0x44, 0x0f, 0xbe, 0xcd } },
	{ false, 1, X86_R9, X86_RSI, 0, "movsx r9d, sil", 4, { 0x44, 0x0f, 0xbe, 0xce } },
	{ false, 1, X86_R9, X86_RDI, 0, "movsx r9d, dil", 4, { 0x44, 0x0f, 0xbe, 0xcf } },
	{ false, 1, X86_R9, X86_R8, 0, "movsx r9d, r8b", 4, { 0x45, 0x0f, 0xbe, 0xc8 } },
	{ false, 1, X86_R9, X86_R12, 0, "movsx r9d, r12b", 4, { 0x45, 0x0f, 0xbe, 0xcc } },
	{ false, 2, X86_RAX, X86_RAX, 0, "movsx eax, ax", 3, { 0x0f, 0xbf, 0xc0 } },
	{ false, 2, X86_RAX, X86_RSP, 0, "movsx eax, sp", 3, { 0x0f, 0xbf, 0xc4 } },
	{ false, 2, X86_RAX, X86_RBP, 0, "movsx eax, bp", 3, { 0x0f, 0xbf, 0xc5 } },
	{ false, 2, X86_RAX, X86_RSI, 0, "movsx eax, si", 3, { 0x0f, 0xbf, 0xc6 } },
	{ false, 2, X86_RAX, X86_RDI, 0, "movsx eax, di", 3, { 0x0f, 0xbf, 0xc7 } },
	{ false, 2, X86_RAX, X86_R8, 0, "movsx eax, r8w", 4, { 0x41, 0x0f, 0xbf, 0xc0 } },
	{ false, 2, X86_RAX, X86_R12, 0, "movsx eax, r12w", 4, { 0x41, 0x0f, 0xbf, 0xc4 } },
	{ false, 2, X86_R9, X86_RAX, 0, "movsx r9d, ax", 4, { 0x44, 0x0f, 0xbf, 0xc8 } },
	{ false, 2, X86_R9, X86_RSP, 0, "movsx r9d, sp", 4, { 0x44, 0x0f, 0xbf, 0xcc } },
	{ false, 2, X86_R9, X86_RBP, 0, "movsx r9d, bp", 4, { 0x44, 0x0f, 0xbf, 0xcd } },
	{ false, 2, X86_R9, X86_RSI, 0, "movsx r9d, si", 4, { 0x44, 0x0f, 0xbf, 0xce } },
	{ false, 2, X86_R9, X86_RDI, 0, "movsx r9d, di", 4, { 0x44, 0x0f, 0xbf, 0xcf } },
	{ false, 2, X86_R9, X86_R8, 0, "movsx r9d, r8w", 4, { 0x45, 0x0f, 0xbf, 0xc8 } },
	{ false, 2, X86_R9, X86_R12, 0, "movsx r9d, r12w", 4, { 0x45, 0x0f, 0xbf, 0xcc } },
};
ENC_TEST(movsx_r_r, x86_movsx_r_r(r->a, (unsigned)r->b, r->c, r->d))

/*
 * x86_cmovcc_r_rm
 * Expected bytes: each row's text through
 *   llvm-mc -triple x86_64 -x86-asm-syntax=intel -show-encoding
 */
static const struct enc_row cmovcc_r_rm_rows[] = {
	{ X86_CC_O, true, X86_RAX, X86_RCX, 0, "cmovo rax, rcx", 4, { 0x48, 0x0f, 0x40, 0xc1 } },
	{ X86_CC_O, false, X86_RAX, X86_RCX, 0, "cmovo eax, ecx", 3, { 0x0f, 0x40, 0xc1 } },
	{ X86_CC_NO, true, X86_RSP, X86_RBP, 0, "cmovno rsp, rbp", 4, { 0x48, 0x0f, 0x41, 0xe5 } },
	{ X86_CC_NO, false, X86_RSP, X86_RBP, 0, "cmovno esp, ebp", 3, { 0x0f, 0x41, 0xe5 } },
	{ X86_CC_B, true, X86_RBP, X86_RSP, 0, "cmovb rbp, rsp", 4, { 0x48, 0x0f, 0x42, 0xec } },
	{ X86_CC_B, false, X86_RBP, X86_RSP, 0, "cmovb ebp, esp", 3, { 0x0f, 0x42, 0xec } },
	{ X86_CC_AE, true, X86_RSI, X86_RDI, 0, "cmovae rsi, rdi", 4, { 0x48, 0x0f, 0x43, 0xf7 } },
	{ X86_CC_AE, false, X86_RSI, X86_RDI, 0, "cmovae esi, edi", 3, { 0x0f, 0x43, 0xf7 } },
	{ X86_CC_E, true, X86_RAX, X86_R8, 0, "cmove rax, r8", 4, { 0x49, 0x0f, 0x44, 0xc0 } },
	{ X86_CC_E, false, X86_RAX, X86_R8, 0, "cmove eax, r8d", 4, { 0x41, 0x0f, 0x44, 0xc0 } },
	{ X86_CC_NE, true, X86_R8, X86_RAX, 0, "cmovne r8, rax", 4, { 0x4c, 0x0f, 0x45, 0xc0 } },
	{ X86_CC_NE, false, X86_R8, X86_RAX, 0, "cmovne r8d, eax", 4, { 0x44, 0x0f, 0x45, 0xc0 } },
	{ X86_CC_BE, true, X86_R12, X86_R13, 0, "cmovbe r12, r13", 4, { 0x4d, 0x0f, 0x46, 0xe5 } },
	{ X86_CC_BE, false, X86_R12, X86_R13, 0, "cmovbe r12d, r13d",
	  4, { 0x45, 0x0f, 0x46, 0xe5 } },
	{ X86_CC_A, true, X86_R13, X86_R12, 0, "cmova r13, r12", 4, { 0x4d, 0x0f, 0x47, 0xec } },
	{ X86_CC_A, false, X86_R13, X86_R12, 0, "cmova r13d, r12d", 4, { 0x45, 0x0f, 0x47, 0xec } },
	{ X86_CC_S, true, X86_R15, X86_R9, 0, "cmovs r15, r9", 4, { 0x4d, 0x0f, 0x48, 0xf9 } },
	{ X86_CC_S, false, X86_R15, X86_R9, 0, "cmovs r15d, r9d", 4, { 0x45, 0x0f, 0x48, 0xf9 } },
	{ X86_CC_NS, true, X86_RAX, X86_RCX, 0, "cmovns rax, rcx", 4, { 0x48, 0x0f, 0x49, 0xc1 } },
	{ X86_CC_NS, false, X86_RAX, X86_RCX, 0, "cmovns eax, ecx", 3, { 0x0f, 0x49, 0xc1 } },
	{ X86_CC_P, true, X86_RSP, X86_RBP, 0, "cmovp rsp, rbp", 4, { 0x48, 0x0f, 0x4a, 0xe5 } },
	{ X86_CC_P, false, X86_RSP, X86_RBP, 0, "cmovp esp, ebp", 3, { 0x0f, 0x4a, 0xe5 } },
	{ X86_CC_NP, true, X86_RBP, X86_RSP, 0, "cmovnp rbp, rsp", 4, { 0x48, 0x0f, 0x4b, 0xec } },
	{ X86_CC_NP, false, X86_RBP, X86_RSP, 0, "cmovnp ebp, esp", 3, { 0x0f, 0x4b, 0xec } },
	{ X86_CC_L, true, X86_RSI, X86_RDI, 0, "cmovl rsi, rdi", 4, { 0x48, 0x0f, 0x4c, 0xf7 } },
	{ X86_CC_L, false, X86_RSI, X86_RDI, 0, "cmovl esi, edi", 3, { 0x0f, 0x4c, 0xf7 } },
	{ X86_CC_GE, true, X86_RAX, X86_R8, 0, "cmovge rax, r8", 4, { 0x49, 0x0f, 0x4d, 0xc0 } },
	{ X86_CC_GE, false, X86_RAX, X86_R8, 0, "cmovge eax, r8d", 4, { 0x41, 0x0f, 0x4d, 0xc0 } },
	{ X86_CC_LE, true, X86_R8, X86_RAX, 0, "cmovle r8, rax", 4, { 0x4c, 0x0f, 0x4e, 0xc0 } },
	{ X86_CC_LE, false, X86_R8, X86_RAX, 0, "cmovle r8d, eax", 4, { 0x44, 0x0f, 0x4e, 0xc0 } },
	{ X86_CC_G, true, X86_R12, X86_R13, 0, "cmovg r12, r13", 4, { 0x4d, 0x0f, 0x4f, 0xe5 } },
	{ X86_CC_G, false, X86_R12, X86_R13, 0, "cmovg r12d, r13d", 4, { 0x45, 0x0f, 0x4f, 0xe5 } },
};
ENC_TEST(cmovcc_r_rm, x86_cmovcc_r_rm(r->a, r->b, r->c, r->d))
