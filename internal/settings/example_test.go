package settings_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"communekiosk/internal/settings"
)

// A flag on the command line wins, then the environment, then the config
// file, then the default.
func ExampleParse() {
	dir, _ := os.MkdirTemp("", "settings")
	defer os.RemoveAll(dir)
	conf := filepath.Join(dir, "demo.conf")
	os.WriteFile(conf, []byte("# the demo's file\naddr = 127.0.0.1:9000\ndata = /from/file\nlevel = warn\n"), 0o600)
	env := map[string]string{"DEMO_CONFIG": conf, "DEMO_DATA": "/from/env"}

	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8470", "")
	data := fs.String("data", "demo-data", "")
	level := fs.String("level", "info", "")
	name := fs.String("name", "kiosk", "")
	fs.String("config", "", "")
	err := settings.Parse(fs, []string{"--level", "debug"}, func(k string) string { return env[k] }, settings.Options{EnvPrefix: "DEMO_"})
	fmt.Println(err)
	fmt.Println("level (flag):", *level)
	fmt.Println("data (environment):", *data)
	fmt.Println("addr (file):", *addr)
	fmt.Println("name (default):", *name)
	// Output:
	// <nil>
	// level (flag): debug
	// data (environment): /from/env
	// addr (file): 127.0.0.1:9000
	// name (default): kiosk
}
