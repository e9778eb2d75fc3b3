package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb" // registers the deb packager
)

// debCmd builds one .deb from an nfpm config, the same steps as
// `nfpm package -p deb`, with VERSION, ARCH and BIN set for the config.
func debCmd(args []string) error {
	fs := flag.NewFlagSet("deb", flag.ContinueOnError)
	root := fs.String("root", ".", "repository root; config and content paths are relative to it")
	config := fs.String("config", "", "nfpm config file")
	arch := fs.String("arch", "amd64", "GOARCH of the package")
	bin := fs.String("bin", "", "folder holding the binaries of this architecture (relative to root)")
	version := fs.String("version", "", "git describe output")
	out := fs.String("out", "build/bin", "output folder (relative to root)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	v, err := ParseVersion(*version)
	if err != nil {
		return err
	}
	if err := os.Chdir(*root); err != nil {
		return err
	}
	env := map[string]string{"VERSION": v.Deb(), "ARCH": *arch, "BIN": *bin}
	cfg, err := nfpm.ParseFileWithEnvMapping(*config, func(k string) string {
		if val, ok := env[k]; ok {
			return val
		}
		return os.Getenv(k)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", *config, err)
	}
	info, err := cfg.Get("deb")
	if err != nil {
		return fmt.Errorf("%s: %w", *config, err)
	}
	info = nfpm.WithDefaults(info)
	pkg, err := nfpm.Get("deb")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	target := filepath.Join(*out, pkg.ConventionalFileName(info))
	f, err := os.Create(target)
	if err != nil {
		return err
	}
	info.Target = target
	if err := pkg.Package(info, f); err != nil {
		f.Close()
		os.Remove(target)
		return fmt.Errorf("%s: %w", target, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Println(target)
	return nil
}
