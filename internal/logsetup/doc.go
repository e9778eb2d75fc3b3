// Package logsetup makes a program's slog logger from its log-format and
// log-level settings: text on a terminal, JSON otherwise, unless asked.
// Only the programs' shells (internal/kioskshell, cmd/cityd) import it; it
// imports only the standard library.
package logsetup
