// Package logsetup makes a program's slog logger from its log-format and
// log-level settings: text on a terminal, JSON otherwise, unless asked.
// The programs' shells (internal/kioskshell, cmd/cityd) import it, and
// app for its offline salvage command; it imports only the standard library.
package logsetup
