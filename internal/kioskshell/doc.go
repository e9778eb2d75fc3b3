// Package kioskshell starts a kiosk program: it reads the settings of the
// two kiosk shells (the desktop app at the module's root and cmd/kioskd)
// from flags, KIOSK_* environment variables and a config file, makes the
// logger, opens the app's node and runs the one-off commands (--list,
// --set-pin, salvage). Only those two main packages import it; app itself
// reads no environment and prints nothing.
package kioskshell
