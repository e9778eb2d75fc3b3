package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Version is what `git describe --tags --always --dirty` says, taken
// apart: a tag vX.Y.Z, the commits since it, the commit, a dirty tree.
type Version struct {
	Major, Minor, Patch int
	Ahead               int    // commits after the tag
	Commit              string // abbreviated hash, "" on the tag itself
	Dirty               bool
}

var (
	describeTag  = regexp.MustCompile(`^v?(\d+)\.(\d+)\.(\d+)(?:-(\d+)-g([0-9a-f]+))?(-dirty)?$`)
	describeHash = regexp.MustCompile(`^([0-9a-f]{4,40})(-dirty)?$`)
)

// ParseVersion reads git describe's output. Without a tag (only a hash) the
// version is 0.0.0 with the hash.
func ParseVersion(s string) (Version, error) {
	s = strings.TrimSpace(s)
	if m := describeTag.FindStringSubmatch(s); m != nil {
		var v Version
		v.Major, _ = strconv.Atoi(m[1])
		v.Minor, _ = strconv.Atoi(m[2])
		v.Patch, _ = strconv.Atoi(m[3])
		if m[4] != "" {
			v.Ahead, _ = strconv.Atoi(m[4])
		}
		v.Commit, v.Dirty = m[5], m[6] != ""
		return v, nil
	}
	if m := describeHash.FindStringSubmatch(s); m != nil {
		return Version{Commit: m[1], Dirty: m[2] != ""}, nil
	}
	return Version{}, fmt.Errorf("version %q: want git describe output (v1.2.3, v1.2.3-4-gabc123, abc123, with -dirty)", s)
}

// Deb is a Debian version that sorts as the commits do: 1.2.3 on the tag,
// 1.2.3+4.gabc123 after it, 0.0.0+git.abc123 without a tag; "~dirty"
// sorts a dirty build before its clean commit.
func (v Version) Deb() string {
	s := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	switch {
	case v.Ahead > 0:
		s += fmt.Sprintf("+%d.g%s", v.Ahead, v.Commit)
	case v.Commit != "":
		s += "+git." + v.Commit
	}
	if v.Dirty {
		s += "~dirty"
	}
	return s
}

// Windows is the four-number file version: major.minor.patch.ahead.
func (v Version) Windows() string {
	return fmt.Sprintf("%d.%d.%d.%d", v.Major, v.Minor, v.Patch, min(v.Ahead, 65535))
}

// Product is the three-number product version the installer shows.
func (v Version) Product() string {
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}
