package app

import (
	_ "flag"

	_ "github.com/wailsapp/wails/v2"
)
