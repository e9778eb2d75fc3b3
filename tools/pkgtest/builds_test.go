package pkgtest

import (
	"bytes"
	"debug/elf"
	"debug/pe"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"unicode/utf16"
)

// The Windows window is a GUI program for amd64 that carries its icon,
// manifest and version info.
func TestWindowsExe(t *testing.T) {
	exe := filepath.Join(distDir(t), "windows-amd64", "commune-kiosk.exe")
	f, err := pe.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("machine %#x, want amd64", f.Machine)
	}
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok || oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("not a Windows GUI program (-H windowsgui)")
	}
	rsrc := f.Section(".rsrc")
	if rsrc == nil {
		t.Fatal("no .rsrc section: the icon, manifest and version info are missing")
	}
	data, err := rsrc.Data()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`name="CommuneKiosk.commune-kiosk"`)) {
		t.Error("the manifest of build/windows/wails.exe.manifest is not in the resources")
	}
	if !bytes.Contains(data, utf16le("Commune Kiosk")) {
		t.Error("the version info of build/windows/info.json is not in the resources")
	}
	for _, p := range []string{"kioskd.exe", "cityd.exe"} {
		if _, err := pe.Open(filepath.Join(distDir(t), "windows-amd64", p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

func TestArm64Binaries(t *testing.T) {
	for _, p := range []string{"kioskd", "cityd"} {
		f, err := elf.Open(filepath.Join(distDir(t), "linux-arm64", p))
		if err != nil {
			t.Fatal(err)
		}
		if f.Machine != elf.EM_AARCH64 {
			t.Errorf("%s: machine %v, want aarch64", p, f.Machine)
		}
		f.Close()
	}
}

func TestInstaller(t *testing.T) {
	if _, err := exec.LookPath("makensis"); err != nil {
		t.Skip("makensis (nsis) not installed: make package makes no installer")
	}
	p := filepath.Join(distDir(t), "commune-kiosk-amd64-installer.exe")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pe.NewFile(bytes.NewReader(b)); err != nil {
		t.Fatalf("installer is not a Windows program: %v", err)
	}
	// The task file the installer registers is UTF-16 with its byte-order
	// mark, as schtasks /XML reads it.
	task, err := os.ReadFile(filepath.Join(distDir(t), "kiosk-task.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(task, []byte{0xff, 0xfe}) || !bytes.Contains(task, utf16le(`encoding="UTF-16"`)) || !bytes.Contains(task, utf16le("<RestartOnFailure>")) {
		t.Errorf("kiosk-task.xml is not the UTF-16 task file (starts % x)", task[:min(len(task), 4)])
	}
	// The installer carries the window itself (compressed), so it is bigger
	// than a bare NSIS stub.
	if len(b) < 1<<20 {
		t.Errorf("installer is %d bytes: the window is not inside", len(b))
	}
}
