#!/bin/bash
# abi.sh - the ABI check as a test layer (see tests/check-abi).
O=${O:-build}
exec bash tests/check-abi "$O/lib/libuserbpf.a" "$O/lib/libuserbpf.so" libuserbpf.map
