// SPDX-License-Identifier: BSD-2-Clause

// Command gofeatures asks cilium/ebpf's feature probes (package features)
// what the running system supports and prints one "ok NAME" or "FAIL NAME"
// line per answer compared with what userbpf has: its program types, the map
// types of src/maps/maps.def, and the helpers it runs for a type, as
// supported; a map type and helpers it lacks as not supported.
// tests/layers/exec.sh runs it under `userbpf exec`.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/features"
)

var fails int

// expect prints whether probe's answer (nil: supported) is the one userbpf gives.
func expect(name string, supported bool, err error) {
	switch {
	case supported && err == nil, !supported && errors.Is(err, ebpf.ErrNotSupported):
		fmt.Println("ok", name)
	default:
		fails++
		fmt.Println("FAIL", name, "supported:", supported, "probe:", err)
	}
}

func main() {
	for _, pt := range []ebpf.ProgramType{ebpf.SocketFilter, ebpf.Kprobe, ebpf.SchedCLS,
		ebpf.SchedACT, ebpf.TracePoint, ebpf.XDP, ebpf.PerfEvent, ebpf.RawTracepoint} {
		expect(fmt.Sprintf("prog_type.%v", pt), true, features.HaveProgramType(pt))
	}
	for _, mt := range []ebpf.MapType{ebpf.Hash, ebpf.Array, ebpf.ProgramArray,
		ebpf.PerfEventArray, ebpf.PerCPUHash, ebpf.PerCPUArray, ebpf.StackTrace, ebpf.LRUHash,
		ebpf.LRUCPUHash, ebpf.LPMTrie, ebpf.ArrayOfMaps, ebpf.HashOfMaps, ebpf.Queue,
		ebpf.Stack, ebpf.RingBuf, ebpf.DevMap, ebpf.CPUMap, ebpf.XSKMap, ebpf.SockMap} {
		expect(fmt.Sprintf("map_type.%v", mt), true, features.HaveMapType(mt))
	}
	for _, h := range []struct {
		pt        ebpf.ProgramType
		fn        asm.BuiltinFunc
		supported bool
	}{
		{ebpf.XDP, asm.FnMapLookupElem, true},
		{ebpf.XDP, asm.FnXdpAdjustHead, true},
		{ebpf.XDP, asm.FnRingbufOutput, true},
		{ebpf.SchedCLS, asm.FnSkbStoreBytes, true},
		{ebpf.SchedCLS, asm.FnPerfEventOutput, true},
		{ebpf.Kprobe, asm.FnProbeReadUser, true},
		{ebpf.Kprobe, asm.FnGetCurrentPidTgid, true},
		/* Linux offers them to the type, userbpf cannot run them */
		{ebpf.XDP, asm.FnFibLookup, false},
		{ebpf.SchedCLS, asm.FnSkbVlanPush, false},
		/* Linux does not offer them to the type */
		{ebpf.XDP, asm.FnSkbLoadBytes, false},
		{ebpf.SocketFilter, asm.FnXdpAdjustHead, false},
	} {
		expect(fmt.Sprintf("helper.%v.%v", h.pt, h.fn), h.supported,
			features.HaveProgramHelper(h.pt, h.fn))
	}
	if fails > 0 {
		os.Exit(1)
	}
}
