package app

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseMounts(t *testing.T) {
	table := `sysfs /sys sysfs rw,nosuid 0 0
/dev/sda1 / ext4 rw,relatime 0 0
/dev/sdb1 /media/kiosk/USB\040KIOSK vfat rw,nosuid 0 0
/dev/sdc1 /run/media/staff/DATA exfat rw 0 0
broken-line
`
	got, err := parseMounts(strings.NewReader(table))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/sys", "/", "/media/kiosk/USB KIOSK", "/run/media/staff/DATA"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestUSBDrives(t *testing.T) {
	n, _ := newTestNode(t, true)
	s := n.Staff
	dir := t.TempDir()
	media := filepath.Join(dir, "media")
	drive := filepath.Join(media, "USB KIOSK")
	if err := os.MkdirAll(drive, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"old.json", "city-reply.json", "photo.jpg"} {
		p := filepath.Join(drive, name)
		if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 11, 1+i, 0, 0, 0, 0, time.UTC)
		os.Chtimes(p, at, at)
	}
	mounts := filepath.Join(dir, "mounts")
	write := func(table string) {
		if err := os.WriteFile(mounts, []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n.cfg.USBMounts, n.cfg.USBRoots = mounts, []string{media}
	tok := staffToken(t, s)
	t.Run("no drive plugged in", func(t *testing.T) {
		write("/dev/sda1 / ext4 rw 0 0\n")
		got, err := s.USBDrives(tok)
		if err != nil || got == nil || len(got) != 0 {
			t.Fatalf("got %v, %v; want an empty list", got, err)
		}
	})
	t.Run("a drive under the roots, its JSON files newest first", func(t *testing.T) {
		write("/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 " + strings.ReplaceAll(drive, " ", `\040`) + " vfat rw 0 0\n/dev/sdc1 " + media + " ext4 rw 0 0\n")
		got, err := s.USBDrives(tok)
		if err != nil {
			t.Fatal(err)
		}
		want := []USBDrive{{Path: drive, Label: "USB KIOSK", Files: []string{"city-reply.json", "old.json"}}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	})
	t.Run("no mount table: no drives", func(t *testing.T) {
		n.cfg.USBMounts = filepath.Join(dir, "none")
		got, err := s.USBDrives(tok)
		if err != nil || len(got) != 0 {
			t.Fatalf("got %v, %v", got, err)
		}
	})
	t.Run("staff only", func(t *testing.T) {
		if _, err := s.USBDrives("nope"); err == nil {
			t.Fatal("no error without a session")
		}
	})
}

func FuzzParseMounts(f *testing.F) {
	for _, seed := range []string{"", "/dev/sdb1 /media/a\\040b vfat rw 0 0\n", "x\n\\\\\\", "a /\\777 b"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, table string) {
		points, err := parseMounts(strings.NewReader(table))
		if err != nil {
			return
		}
		for _, p := range points {
			if !strings.HasPrefix(p, "/") {
				t.Fatalf("mount point %q is not absolute", p)
			}
		}
	})
}

func staffToken(t *testing.T, s *Staff) string {
	t.Helper()
	u, err := s.Unlock("2468")
	if err != nil {
		t.Fatal(err)
	}
	return u.Token
}
