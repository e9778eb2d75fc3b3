// Command commune-kiosk is the desktop kiosk: the kiosk node in a Wails
// window, full screen and frameless. It is the only package that imports
// wails; build it with -tags desktop,production (see the Makefile).
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync/atomic"
	"syscall"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"communekiosk/app"
	"communekiosk/frontend"
	"communekiosk/internal/kioskshell"
)

var version = "dev"

func main() {
	if err := run(os.Args[1:]); err != nil {
		if kioskshell.IsHelp(err) {
			return
		}
		fmt.Fprintln(os.Stderr, "commune-kiosk:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	node, sc, err := kioskshell.Start("commune-kiosk", version, args)
	if err != nil || node == nil {
		return err
	}
	defer node.Close()
	log := sc.Node.Logger

	// The window cannot be closed from the screen; only a signal (the
	// session manager, Ctrl-C in a terminal) stops the kiosk.
	var quitting atomic.Bool
	var wctx atomic.Pointer[context.Context]
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		quitting.Store(true)
		if c := wctx.Load(); c != nil {
			runtime.Quit(*c)
		}
	}()

	return wails.Run(&options.App{
		Title:            "Commune Kiosk",
		Width:            1280,
		Height:           800,
		Fullscreen:       true,
		Frameless:        true,
		WindowStartState: options.Fullscreen,
		DisableResize:    true,
		BackgroundColour: &options.RGBA{R: 255, G: 255, B: 255, A: 255},
		AssetServer:      &assetserver.Options{Assets: frontend.Dist()},
		Bind:             node.Bindings(),
		ErrorFormatter:   app.FormatError,
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId: instanceID(sc.Node.DataDir),
			OnSecondInstanceLaunch: func(options.SecondInstanceData) {
				log.Warn("A second kiosk window was refused: one is already running")
			},
		},
		Linux: &linux.Options{ProgramName: "commune-kiosk"},
		OnStartup: func(ctx context.Context) {
			wctx.Store(&ctx)
			go func() {
				if err := node.Run(ctx); err != nil {
					log.Error("Kiosk node stopped", "err", err)
				}
			}()
		},
		OnDomReady: func(ctx context.Context) {
			if js := smokeScript(log); js != "" {
				runtime.WindowExecJS(ctx, js)
			}
		},
		OnBeforeClose: func(ctx context.Context) bool {
			return !quitting.Load()
		},
	})
}

// instanceID names the single-instance lock after the data folder, in the
// letters a D-Bus name allows. (Where there is no session bus the lock does
// nothing, and the store's own file lock refuses a second kiosk instead.)
func instanceID(dataDir string) string {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		abs = dataDir
	}
	sum := sha256.Sum256([]byte(abs))
	return "communekiosk_" + hex.EncodeToString(sum[:8])
}

// smokeScript returns, when KIOSK_SMOKE_REQUEST names a JSON file, a script
// the page runs once: it submits that request through the page's Wails
// bindings, exactly as the UI does, so the window smoke test proves the
// path page → bindings → Go → bbolt.
func smokeScript(log *slog.Logger) string {
	p := os.Getenv("KIOSK_SMOKE_REQUEST")
	if p == "" {
		return ""
	}
	b, err := os.ReadFile(p)
	if err != nil {
		log.Error("Smoke request unreadable", "err", err)
		return ""
	}
	// The kiosk enrols at start-up, so the page retries while it is not
	// ready yet (bounded: 60 tries, 0.5 s apart).
	return fmt.Sprintf(`(function(){var req=%s,tries=0;function go(){tries++;window.go.app.Requests.Submit(req).then(function(r){console.log('smoke-ok',r.code)}).catch(function(e){if(tries<60){setTimeout(go,500)}else{console.log('smoke-failed',e)}})}go()})();`, b)
}
