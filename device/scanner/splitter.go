package scanner

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxScan is the longest scan kept; a longer run of bytes without an end
// of line is garbage (a wrong baud rate, line noise) and is dropped.
const MaxScan = 2048

// Splitter cuts the scanner's byte stream into scans at CR or LF. Bytes of
// one scan may arrive over many reads. A scan that is not valid UTF-8,
// holds control characters or is too long is dropped and counted. The
// zero value is ready.
type Splitter struct {
	buf      []byte
	overflow bool // the current line passed MaxScan
	Dropped  int  // scans dropped as garbage
}

// Feed takes the bytes of one read and returns the scans it completed,
// NFC-normalised.
func (s *Splitter) Feed(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			s.add(b)
			break
		}
		s.add(b[:i])
		b = b[i+1:]
		if scan, ok := s.take(); ok {
			out = append(out, scan)
		}
	}
	return out
}

func (s *Splitter) add(b []byte) {
	if s.overflow {
		return
	}
	if len(s.buf)+len(b) > MaxScan {
		s.overflow, s.buf = true, s.buf[:0]
		return
	}
	s.buf = append(s.buf, b...)
}

// take ends the current line: an empty line (the LF of a CRLF) is no scan.
func (s *Splitter) take() (string, bool) {
	line, over := s.buf, s.overflow
	s.buf, s.overflow = s.buf[:0:0], false
	if over {
		s.Dropped++
		return "", false
	}
	if len(line) == 0 {
		return "", false
	}
	// Some scanners send a UTF-8 byte-order mark first.
	line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(line) || strings.IndexFunc(string(line), isControl) >= 0 {
		s.Dropped++
		return "", false
	}
	text := strings.TrimSpace(norm.NFC.String(string(line)))
	if text == "" {
		return "", false
	}
	return text, true
}

func isControl(r rune) bool { return unicode.IsControl(r) && r != '\t' }
