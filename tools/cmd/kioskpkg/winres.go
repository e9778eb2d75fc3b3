package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tc-hib/winres"
	"github.com/tc-hib/winres/version"
)

// winresCmd writes the resource object the Windows build links: the icon,
// the manifest and the version info of build/windows/, with the version
// numbers from git describe. Name it rsrc_windows_amd64.syso in the main
// package's folder so only the windows/amd64 build takes it.
func winresCmd(args []string) error {
	fs := flag.NewFlagSet("winres", flag.ContinueOnError)
	root := fs.String("root", ".", "repository root")
	ver := fs.String("version", "", "git describe output")
	out := fs.String("out", "rsrc_windows_amd64.syso", "output file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	v, err := ParseVersion(*ver)
	if err != nil {
		return err
	}
	dir := filepath.Join(*root, "build", "windows")
	rs := &winres.ResourceSet{}

	f, err := os.Open(filepath.Join(dir, "icon.ico"))
	if err != nil {
		return err
	}
	ico, err := winres.LoadICO(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("icon.ico: %w", err)
	}
	if err := rs.SetIcon(winres.RT_ICON, ico); err != nil {
		return err
	}

	xml, err := os.ReadFile(filepath.Join(dir, "wails.exe.manifest"))
	if err != nil {
		return err
	}
	m, err := winres.AppManifestFromXML(xml)
	if err != nil {
		return fmt.Errorf("wails.exe.manifest: %w", err)
	}
	rs.SetManifest(m)

	js, err := os.ReadFile(filepath.Join(dir, "info.json"))
	if err != nil {
		return err
	}
	var vi version.Info
	if err := json.Unmarshal(js, &vi); err != nil {
		return fmt.Errorf("info.json: %w", err)
	}
	vi.SetFileVersion(v.Windows())
	vi.SetProductVersion(v.Windows())
	if err := vi.Set(version.LangDefault, version.ProductVersion, v.Deb()); err != nil {
		return err
	}
	if err := vi.Set(version.LangDefault, version.FileVersion, v.Windows()); err != nil {
		return err
	}
	rs.SetVersionInfo(vi)

	o, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := rs.WriteObject(o, winres.ArchAMD64); err != nil {
		o.Close()
		return fmt.Errorf("%s: %w", *out, err)
	}
	return o.Close()
}
