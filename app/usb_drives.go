package app

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// USBDrive is a removable drive mounted on the kiosk, as the staff screen
// offers it: its folder, its name, and the JSON files at its top (the
// city's reply files to import), newest first.
type USBDrive struct {
	Path  string   `json:"path"`
	Label string   `json:"label"`
	Files []string `json:"files"`
}

// maxUSBFiles bounds the files listed per drive.
const maxUSBFiles = 20

// USBDrives lists the USB drives mounted under the configured roots
// (/media, /run/media), read from the mount table; an empty list means no
// drive is plugged in. Staff never type a path.
func (s *Staff) USBDrives(token string) ([]USBDrive, error) {
	if err := s.check(token); err != nil {
		return nil, err
	}
	f, err := os.Open(s.n.cfg.USBMounts)
	if err != nil {
		// No mount table (Windows, a container): no drives to offer.
		return []USBDrive{}, nil
	}
	defer f.Close()
	points, err := parseMounts(f)
	if err != nil {
		return nil, err
	}
	out := []USBDrive{}
	for _, p := range points {
		if !underAny(p, s.n.cfg.USBRoots) {
			continue
		}
		out = append(out, USBDrive{Path: p, Label: filepath.Base(p), Files: jsonFiles(p)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// parseMounts reads the mount points of a mount table (/proc/mounts:
// "device mountpoint type options dump pass", with spaces and other
// bytes written as octal escapes like \040).
func parseMounts(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		if p := unescapeMount(fields[1]); strings.HasPrefix(p, "/") {
			out = append(out, filepath.Clean(p))
		}
	}
	return out, sc.Err()
}

func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// underAny: p is strictly inside one of roots.
func underAny(p string, roots []string) bool {
	for _, r := range roots {
		r = filepath.Clean(r)
		if rel, err := filepath.Rel(r, p); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
			return true
		}
	}
	return false
}

// jsonFiles lists the .json files at the top of dir, newest first.
func jsonFiles(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return []string{}
	}
	type file struct {
		name string
		mod  int64
	}
	var fs []file
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".json") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		fs = append(fs, file{e.Name(), info.ModTime().UnixNano()})
	}
	sort.Slice(fs, func(i, j int) bool {
		return fs[i].mod > fs[j].mod || (fs[i].mod == fs[j].mod && fs[i].name < fs[j].name)
	})
	out := []string{}
	for i := 0; i < len(fs) && i < maxUSBFiles; i++ {
		out = append(out, fs[i].name)
	}
	return out
}
