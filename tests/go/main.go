// SPDX-License-Identifier: BSD-2-Clause

// Command gomaps loads an object with cilium/ebpf, writes a map from Go,
// reads it back and runs the program that reads the same map, printing one
// "ok NAME" or "FAIL NAME" line per check.  tests/layers/exec.sh runs it
// under `userbpf exec`, built offline from Debian's golang-github-cilium-ebpf-dev.
package main

import (
	"fmt"
	"os"

	"github.com/cilium/ebpf"
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
	m := coll.Maps["values"]
	err = m.Put(uint32(1), uint64(1234))
	check("map_put", err == nil, err)
	var v uint64
	err = m.Lookup(uint32(1), &v)
	check("map_lookup", err == nil && v == 1234, err)
	err = m.Lookup(uint32(2), &v)
	check("map_lookup_miss", err != nil, err)
	info, err := m.Info()
	check("map_info", err == nil && info.KeySize == 4 && info.ValueSize == 8, err)
	ret, _, err := coll.Programs["read_value"].Test(make([]byte, 64))
	check("prog_test_run", err == nil && ret == 1234, err)
	if len(os.Args) > 2 {
		err = m.Pin(os.Args[2])
		check("map_pin", err == nil, err)
	}
	if fails > 0 {
		os.Exit(1)
	}
}
