#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# docs.sh - generated documentation is current: docs/isa.md must equal what
# `userbpf isa --markdown` prints now (regenerate with `make docs`).
set -u
O=${O:-build}
cli=$O/bin/userbpf
if [ ! -x "$cli" ]; then
	echo "docs: $cli is not built"
	echo "docs: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
if "$cli" isa --markdown | diff -u docs/isa.md - >"${TMPDIR:-/tmp}/docs-isa.$$.diff" 2>&1; then
	echo "docs: docs/isa.md is current"
	rm -f "${TMPDIR:-/tmp}/docs-isa.$$.diff"
	echo "docs: 1 passed, 0 failed, 0 skipped"
	exit 0
fi
echo "docs: docs/isa.md differs from 'userbpf isa --markdown' (run 'make docs'):"
head -n 40 "${TMPDIR:-/tmp}/docs-isa.$$.diff"
rm -f "${TMPDIR:-/tmp}/docs-isa.$$.diff"
echo "docs: 0 passed, 1 failed, 0 skipped"
exit 1
