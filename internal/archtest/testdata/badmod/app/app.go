package app

import _ "github.com/wailsapp/wails/v2"
