package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"go.bug.st/serial"
	"go.bug.st/serial/enumerator"
)

// Auto asks Run to find the scanner: the first USB serial port.
const Auto = "auto"

// Options configure Run.
type Options struct {
	// Port is the device (/dev/ttyACM0, COM3) or Auto.
	Port string
	// Baud is the port's speed; scanners in USB CDC mode ignore it.
	// Default 9600.
	Baud int
	// OnScan receives each scan, in the order scanned.
	OnScan func(text string)
	// OnState, when set, hears when the port opens (port, nil) and when
	// it fails or goes away ("", err).
	OnState func(port string, err error)
	// Retry is how long to wait before opening the port again after it
	// went away (unplugged). Default 3 s.
	Retry  time.Duration
	Logger *slog.Logger
}

// Run reads scans until ctx is done, opening the port again whenever it
// fails or disappears.
func Run(ctx context.Context, o Options) error {
	if o.OnScan == nil {
		return errors.New("scanner: no OnScan")
	}
	if o.Baud <= 0 {
		o.Baud = 9600
	}
	if o.Retry <= 0 {
		o.Retry = 3 * time.Second
	}
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	var lastErr string
	for {
		err := readPort(ctx, o, log)
		if ctx.Err() != nil {
			return nil
		}
		if o.OnState != nil {
			o.OnState("", err)
		}
		if err != nil && err.Error() != lastErr {
			log.Warn("QR scanner unavailable; retrying", "port", o.Port, "err", err)
			lastErr = err.Error()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(o.Retry):
		}
	}
}

func readPort(ctx context.Context, o Options, log *slog.Logger) error {
	path := o.Port
	if path == Auto {
		p, err := FindPort()
		if err != nil {
			return err
		}
		path = p
	}
	port, err := serial.Open(path, &serial.Mode{BaudRate: o.Baud})
	if err != nil {
		return fmt.Errorf("scanner: open %s: %w", path, err)
	}
	// Closing the port is how a blocked Read is ended when ctx is done.
	stop := context.AfterFunc(ctx, func() { port.Close() })
	defer stop()
	defer port.Close()
	log.Info("QR scanner open", "port", path, "baud", o.Baud)
	if o.OnState != nil {
		o.OnState(path, nil)
	}
	return Read(port, o.OnScan, log)
}

// Read splits what r delivers into scans for onScan until r fails.
func Read(r io.Reader, onScan func(string), log *slog.Logger) error {
	var sp Splitter
	buf := make([]byte, 512)
	dropped := 0
	for {
		n, err := r.Read(buf)
		for _, scan := range sp.Feed(buf[:n]) {
			onScan(scan)
		}
		if sp.Dropped != dropped {
			log.Warn("QR scanner sent unreadable data; dropped", "count", sp.Dropped-dropped)
			dropped = sp.Dropped
		}
		if err != nil {
			return fmt.Errorf("scanner: read: %w", err)
		}
	}
}

// FindPort returns the first USB serial port (a scanner in USB CDC mode).
func FindPort() (string, error) {
	ports, err := enumerator.GetDetailedPortsList()
	if err != nil {
		return "", fmt.Errorf("scanner: list ports: %w", err)
	}
	for _, p := range ports {
		if p.IsUSB {
			return p.Name, nil
		}
	}
	return "", errors.New("scanner: no USB serial port found")
}
