// Package settings resolves a program's settings in one order: a flag on
// the command line, then its environment variable (PREFIX_NAME), then a
// "name = value" line of the config file, then the flag's default. The
// shells of every program (app for the kiosk, cmd/cityd) read their
// settings through it; it imports only the standard library.
package settings
