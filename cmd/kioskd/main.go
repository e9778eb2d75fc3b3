// Command kioskd runs a kiosk node without a window and serves the kiosk UI
// to a browser on loopback (Chromium in kiosk mode, tests).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"communekiosk/app"
	"communekiosk/frontend"
	"communekiosk/internal/kioskshell"
	"communekiosk/internal/sdnotify"
)

var version = "dev"

func main() {
	if err := run(os.Args[1:]); err != nil {
		if kioskshell.IsHelp(err) {
			return
		}
		fmt.Fprintln(os.Stderr, "kioskd:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	node, sc, err := kioskshell.Start("kioskd", version, args)
	if err != nil || node == nil {
		return err
	}
	defer node.Close()
	log := sc.Node.Logger

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", sc.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", sc.Addr, err)
	}
	srv := &http.Server{
		Handler:           node.Handler(frontend.Dist()),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	go func() { errc <- node.Run(ctx) }()
	url := "http://" + ln.Addr().String() + "/"
	log.Info("Kiosk UI ready", "url", url, "data", sc.Node.DataDir, "demo", sc.Node.Demo)
	fmt.Fprintf(os.Stderr, "\n  Open the kiosk in a browser: %s\n\n", url)
	notifyReady(ctx, node, log)

	select {
	case <-ctx.Done():
	case err = <-errc:
		if errors.Is(err, http.ErrServerClosed) || errors.Is(err, context.Canceled) {
			err = nil
		}
	}
	log.Info("Shutting down")
	sdnotify.FromEnv(os.Getenv).Notify("STOPPING=1")
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if e := srv.Shutdown(shut); e != nil && err == nil {
		err = e
	}
	return err
}

// notifyReady tells systemd (Type=notify) that the UI is served, and runs
// the watchdog, which pings only while the store answers.
func notifyReady(ctx context.Context, node *app.Node, log *slog.Logger) {
	n := sdnotify.FromEnv(os.Getenv)
	if _, err := n.Notify("READY=1"); err != nil {
		log.Warn("Could not tell systemd the kiosk is ready", "err", err)
	}
	timeout, err := sdnotify.WatchdogInterval(os.Getenv, os.Getpid())
	if err != nil {
		log.Warn("Watchdog off", "err", err)
	}
	go n.Watchdog(ctx, sdnotify.WatchdogOptions{Timeout: timeout, Check: node.Ping, Logger: log})
}
