package main

import (
	"flag"
	"io"

	"communekiosk/internal/settings"
)

// cmdFlags are a command's flags, resolved by internal/settings in this
// order: flag, environment variable CITYD_<NAME>, config file line
// "name = value" (--config or CITYD_CONFIG), default.
type cmdFlags struct {
	fs     *flag.FlagSet
	getenv func(string) string
}

func newSettings(name string, stderr io.Writer, getenv func(string) string) *cmdFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return &cmdFlags{fs: fs, getenv: getenv}
}

// parse parses args, then fills every flag not given on the command line
// from the environment, then from the config file.
func (s *cmdFlags) parse(args []string) error {
	return settings.Parse(s.fs, args, s.getenv, settings.Options{EnvPrefix: "CITYD_"})
}
