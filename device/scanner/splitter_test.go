package scanner

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const idCardQR = "001190012345|012345678|Đặng Thị Thuỷ|05071985|Nữ|Số 7 ngõ 12 phố Huế, Hà Nội|20042021"

func TestSplitter(t *testing.T) {
	tests := []struct {
		name    string
		reads   []string
		want    []string
		dropped int
	}{
		{"one scan, CR", []string{idCardQR + "\r"}, []string{idCardQR}, 0},
		{"CRLF is one end", []string{"K7M4QXR9P\r\n"}, []string{"K7M4QXR9P"}, 0},
		{"split across reads, inside a letter", []string{idCardQR[:40], idCardQR[40:41], idCardQR[41:] + "\n"}, []string{idCardQR}, 0},
		{"two scans in one read", []string{"AAA\rBBB\r"}, []string{"AAA", "BBB"}, 0},
		{"no end yet", []string{"K7M4"}, nil, 0},
		{"decomposed letters come out NFC", []string{"Đă\u0323ng Thi\u0323\r"}, []string{"Đặng Thị"}, 0},
		{"byte-order mark dropped", []string{"\xef\xbb\xbfK7M4QXR9P\r"}, []string{"K7M4QXR9P"}, 0},
		{"invalid UTF-8 is garbage", []string{"\xff\xfe\xfd\r", "K7M4QXR9P\r"}, []string{"K7M4QXR9P"}, 1},
		{"control characters are garbage", []string{"AB\x00\x07CD\r"}, nil, 1},
		{"too long is garbage, the next scan is fine", []string{strings.Repeat("x", MaxScan+1), "yyy\rK7M4QXR9P\r"}, []string{"K7M4QXR9P"}, 1},
		{"blank lines are no scans", []string{"\r\n\r\n   \r"}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Splitter
			var got []string
			for _, r := range tt.reads {
				got = append(got, s.Feed([]byte(r))...)
			}
			if !reflect.DeepEqual(got, tt.want) || s.Dropped != tt.dropped {
				t.Fatalf("scans %q dropped %d, want %q dropped %d", got, s.Dropped, tt.want, tt.dropped)
			}
		})
	}
}

// FuzzSplitter: whatever arrives, in whatever pieces, every scan is valid
// NFC UTF-8 without control characters, no longer than MaxScan, and the
// same bytes give the same scans however they are split.
func FuzzSplitter(f *testing.F) {
	seeds, err := os.ReadFile("testdata/scans.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range strings.Split(string(seeds), "\n") {
		f.Add([]byte(line+"\r"), uint8(7))
	}
	f.Add([]byte("\xff\xfe\r\x00abc\n"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, cut uint8) {
		var whole, pieces Splitter
		a := whole.Feed(data)
		var b []string
		step := int(cut%16) + 1
		for i := 0; i < len(data); i += step {
			b = append(b, pieces.Feed(data[i:min(i+step, len(data))])...)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("split reads give %q, one read %q", b, a)
		}
		for _, s := range a {
			if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) || len(s) > MaxScan || s == "" {
				t.Fatalf("bad scan %q", s)
			}
			if strings.IndexFunc(s, isControl) >= 0 {
				t.Fatalf("control character in %q", s)
			}
		}
	})
}
