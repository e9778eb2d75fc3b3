//go:build linux

// Command fakescanner stands in for a QR scanner in serial mode in the
// browser end-to-end test: it opens a pseudo-terminal pair, prints the
// device side's path (give it to kioskd --scanner), and sends every line
// written to the FIFO named on its command line to the device as a scan
// ending in CR, as a scanner does. It runs until killed.
package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "fakescanner:", err)
		os.Exit(1)
	}
}

func run() error {
	ptmx, tty, err := pty.Open()
	if err != nil {
		return err
	}
	defer ptmx.Close()
	defer tty.Close() // held open, so the port stays up between kioskd's opens
	if err := raw(tty); err != nil {
		return err
	}
	fmt.Println(tty.Name())
	if len(os.Args) != 2 {
		return fmt.Errorf("usage: fakescanner FIFO")
	}
	for {
		// Opening a FIFO waits for a writer; its end of file is the
		// writer closing it, and the next writer comes with the next open.
		f, err := os.Open(os.Args[1])
		if err != nil {
			return err
		}
		in := bufio.NewScanner(f)
		in.Buffer(make([]byte, 64*1024), 64*1024)
		for in.Scan() {
			if _, err := ptmx.Write(append(in.Bytes(), '\r')); err != nil {
				f.Close()
				return err
			}
		}
		f.Close()
		if err := in.Err(); err != nil {
			return err
		}
	}
}

// raw: no echo and no line editing on the device side.
func raw(f *os.File) error {
	t, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		return err
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	return unix.IoctlSetTermios(int(f.Fd()), unix.TCSETS, t)
}
