package printer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// sendPDF prints a PDF: to a folder when target is a path (an office PC
// prints from there, or a person does), otherwise to the CUPS queue of that
// name through lp, without a dialog.
func sendPDF(target, name string, pdf []byte) error {
	if isFolder(target) {
		if err := os.MkdirAll(target, 0o750); err != nil {
			return problemOf(target, err)
		}
		tmp := filepath.Join(target, "."+name+".pdf.tmp")
		if err := os.WriteFile(tmp, pdf, 0o640); err != nil {
			return problemOf(target, err)
		}
		if err := os.Rename(tmp, filepath.Join(target, name+".pdf")); err != nil {
			return problemOf(target, err)
		}
		return nil
	}
	lp, err := exec.LookPath("lp")
	if err != nil {
		return &Problem{State: StateOffline, Code: ProblemNoCUPS, err: err}
	}
	cmd := exec.Command(lp, "-d", target, "-t", name, "-o", "media=A4", "--", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return &Problem{State: StateError, err: fmt.Errorf("lp: %w: %s", err, strings.TrimSpace(out.String())), Code: ProblemQueueRefused, Target: target}
	}
	return nil
}

func probePDF(target string) string {
	if !isFolder(target) {
		if _, err := exec.LookPath("lp"); err != nil {
			return StateOffline
		}
		return StateUnknown
	}
	st, err := os.Stat(target)
	if errors.Is(err, os.ErrNotExist) {
		return StateReady // made on the first job
	}
	if err != nil || !st.IsDir() {
		return StateError
	}
	return StateReady
}

// isFolder: a path (absolute, or with a separator) names a folder; a bare
// word names a CUPS queue.
func isFolder(target string) bool {
	return filepath.IsAbs(target) || strings.ContainsAny(target, `/\`)
}
