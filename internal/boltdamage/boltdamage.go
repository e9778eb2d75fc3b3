// Package boltdamage damages bbolt files on purpose, for the stores' tests
// of what they do with a damaged file. Only test files import it.
package boltdamage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// LoopBranchPage adds a bucket of 2,000 keys to the closed bbolt file at
// path, enough for a branch page above its leaves, then makes that branch
// page's first child the page itself: bbolt's check then walks it without
// end, reporting "multiple references" each time.
func LoopBranchPage(path string) error {
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	err = b.Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists([]byte("boltdamage-filler"))
		if err != nil {
			return err
		}
		for i := range 2000 {
			if err := bk.Put(fmt.Appendf(nil, "key-%06d", i), make([]byte, 100)); err != nil {
				return err
			}
		}
		return nil
	})
	ps := b.Info().PageSize
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for off := 2 * ps; off+ps <= len(data); off += ps {
		// A page header: id (8), flags (2, 0x01 for a branch), count (2),
		// overflow (4); then a branch page's elements: pos (4), ksize (4),
		// pgid (8).
		if binary.LittleEndian.Uint16(data[off+8:]) == 0x01 && binary.LittleEndian.Uint16(data[off+10:]) > 1 {
			copy(data[off+16+8:off+16+16], data[off:off+8])
			return os.WriteFile(path, data, 0o600)
		}
	}
	return errors.New("boltdamage: no branch page in the file")
}
