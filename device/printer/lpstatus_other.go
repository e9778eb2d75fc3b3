//go:build !linux && !windows

package printer

import "os"

func status(*os.File) string { return StateUnknown }
