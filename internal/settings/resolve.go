package settings

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Options say how a program names its settings outside the command line.
type Options struct {
	// EnvPrefix starts every environment variable: "KIOSK_" makes
	// --idle-timeout KIOSK_IDLE_TIMEOUT.
	EnvPrefix string
	// ConfigFlag is the flag naming the config file; its environment
	// variable names it too. Empty means "config".
	ConfigFlag string
	// CommandLineOnly lists flags that only the command line sets (one-off
	// commands such as --set-pin): the environment and the file are not
	// read for them.
	CommandLineOnly []string
}

func (o Options) configFlag() string {
	if o.ConfigFlag == "" {
		return "config"
	}
	return o.ConfigFlag
}

// EnvName is the environment variable of a flag: EnvName("CITYD_",
// "key-file") is CITYD_KEY_FILE.
func EnvName(prefix, flagName string) string {
	return prefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Parse parses args into fs, then sets every flag the command line did not
// give from its environment variable (when not empty), else from the
// config file's line. The config file is named by the config flag, or
// else its environment variable; a name in the file that is no flag of fs
// is an error. Parse returns flag.ErrHelp when args ask for help.
func Parse(fs *flag.FlagSet, args []string, getenv func(string) string, o Options) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	cfgName := o.configFlag()
	path := ""
	if f := fs.Lookup(cfgName); f != nil {
		path = f.Value.String()
		if !explicit[cfgName] {
			if v := getenv(EnvName(o.EnvPrefix, cfgName)); v != "" {
				path = v
			}
		}
	}
	var file map[string]string
	if path != "" {
		var err error
		if file, err = ReadFile(path); err != nil {
			return err
		}
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || explicit[f.Name] || f.Name == cfgName || slices.Contains(o.CommandLineOnly, f.Name) {
			return
		}
		env := EnvName(o.EnvPrefix, f.Name)
		if v := getenv(env); v != "" {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", env, v, e)
			}
			return
		}
		if v, ok := file[f.Name]; ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("config file %s: %s = %q: %w", path, f.Name, v, e)
			}
		}
	})
	if err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(file)) {
		if fs.Lookup(k) == nil {
			return fmt.Errorf("config file %s: unknown setting %q (settings use the flag names; see --help)", path, k)
		}
	}
	return nil
}
