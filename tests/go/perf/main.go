// SPDX-License-Identifier: BSD-2-Clause

// Command goperf reads perf.bpf.c's samples with cilium/ebpf's
// perf.NewReader (perf_event_open, mmap, epoll of every CPU's event),
// printing one "ok NAME" or "FAIL NAME" line per check: every sample
// arrives with its bytes and the CPU it was written on, and a one-page
// ring that overflows reports the lost samples.  tests/layers/perf.sh runs
// it under `userbpf exec`, built offline from Debian's
// golang-github-cilium-ebpf-dev.
package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/perf"
	"golang.org/x/sys/unix"
)

var fails int

func check(name string, ok bool, err error) {
	if ok {
		fmt.Println("ok", name)
		return
	}
	fails++
	fmt.Println("FAIL", name, err)
}

// emit runs the program once with seq in the packet; XDP_PASS (2) means output succeeded.
func emit(p *ebpf.Program, seq uint32) uint32 {
	pkt := make([]byte, 64)
	binary.LittleEndian.PutUint32(pkt, seq)
	ret, _, err := p.Test(pkt)
	if err != nil {
		return 1000
	}
	return ret
}

// read one record, failing the process after 10 s (Read blocks).
func read(rd *perf.Reader) perf.Record {
	timer := time.AfterFunc(10*time.Second, func() {
		fmt.Println("FAIL read: no record in 10 s")
		os.Exit(1)
	})
	defer timer.Stop()
	rec, err := rd.Read()
	if err != nil {
		fmt.Println("FAIL read:", err)
		os.Exit(1)
	}
	return rec
}

func samples(p *ebpf.Program, events *ebpf.Map) {
	rd, err := perf.NewReader(events, 4*os.Getpagesize())
	check("new_reader", err == nil, err)
	if err != nil {
		return
	}
	defer rd.Close()
	// each run pinned to a CPU in turn: a program's CPU is its thread's, and a
	// thread that migrated mid-run could see two (Linux pins a running program)
	bad := 0
	runtime.LockOSThread()
	for i := uint32(0); i < 20; i++ {
		var set unix.CPUSet

		set.Set(int(i) % runtime.NumCPU())
		if unix.SchedSetaffinity(0, &set) != nil || emit(p, i) != 2 {
			bad++
		}
	}
	runtime.UnlockOSThread()
	check("emit", bad == 0, fmt.Errorf("%d runs failed", bad))
	seen := map[uint32]bool{}
	for i := 0; i < 20; i++ {
		rec := read(rd)
		if len(rec.RawSample) < 16 || rec.LostSamples != 0 {
			bad++
			continue
		}
		seq := binary.LittleEndian.Uint32(rec.RawSample)
		cpu := binary.LittleEndian.Uint32(rec.RawSample[4:])
		val := binary.LittleEndian.Uint64(rec.RawSample[8:])
		if val != uint64(seq)*3 || int(cpu) != rec.CPU || seen[seq] {
			bad++
		}
		seen[seq] = true
	}
	check("samples", bad == 0 && len(seen) == 20, fmt.Errorf("%d bad, %d distinct", bad, len(seen)))
}

func lost(p *ebpf.Program, events *ebpf.Map) {
	var set unix.CPUSet

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	set.Set(0)
	err := unix.SchedSetaffinity(0, &set)
	check("pin_cpu0", err == nil, err)
	rd, err := perf.NewReader(events, os.Getpagesize())
	check("new_reader_small", err == nil, err)
	if err != nil {
		return
	}
	defer rd.Close()
	// 8 + 4 + 16 padded: 32-byte records, (page - 1) / 32 fit
	fits := (os.Getpagesize() - 1) / 32
	for i := uint32(0); i < 300; i++ {
		emit(p, i)
	}
	got := 0
	for got < fits {
		rec := read(rd)
		if rec.LostSamples != 0 || binary.LittleEndian.Uint32(rec.RawSample) != uint32(got) {
			break
		}
		got++
	}
	check("samples_that_fit", got == fits, fmt.Errorf("got %d, want %d", got, fits))
	check("next_fits", emit(p, 999) == 2, nil)
	rec := read(rd)
	check("lost", rec.LostSamples == uint64(300-fits), fmt.Errorf("lost %d", rec.LostSamples))
	rec = read(rd)
	check("after_lost", len(rec.RawSample) >= 4 && binary.LittleEndian.Uint32(rec.RawSample) == 999, nil)
}

func main() {
	spec, err := ebpf.LoadCollectionSpec(os.Args[1])
	check("load_spec", err == nil, err)
	if err != nil {
		os.Exit(1)
	}
	coll, err := ebpf.NewCollection(spec)
	check("new_collection", err == nil, err)
	if err != nil {
		os.Exit(1)
	}
	defer coll.Close()
	samples(coll.Programs["emit"], coll.Maps["events"])
	lost(coll.Programs["emit"], coll.Maps["events"])
	if fails > 0 {
		os.Exit(1)
	}
}
