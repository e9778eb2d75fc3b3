package city

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/crypto/nacl/box"

	"communekiosk/internal/atomicfile"
)

// Keys are the city's two key pairs: X25519 to open the payloads kiosks
// seal, Ed25519 to sign receipt and provisioning files.
type Keys struct {
	SealPublic  [32]byte
	SealPrivate [32]byte
	Sign        ed25519.PrivateKey
}

type keyFile struct {
	SealPrivate []byte `json:"seal_private"` // X25519, 32 bytes
	SignSeed    []byte `json:"sign_seed"`    // Ed25519 seed, 32 bytes
}

// LoadOrCreateKeys reads the key file at path, or creates it (mode 0600)
// with new keys when it does not exist. A key file that others may read is
// refused: it opens every citizen's request.
func LoadOrCreateKeys(path string) (Keys, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKeys(path)
	}
	if err != nil {
		return Keys{}, fmt.Errorf("city: read key file: %w", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return Keys{}, fmt.Errorf("city: key file %s has mode %v; it must be readable by its owner only (chmod 600)", path, fi.Mode().Perm())
	}
	var kf keyFile
	if err := json.Unmarshal(data, &kf); err != nil || len(kf.SealPrivate) != 32 || len(kf.SignSeed) != ed25519.SeedSize {
		return Keys{}, fmt.Errorf("city: key file %s is damaged", path)
	}
	return keysFrom(kf), nil
}

func keysFrom(kf keyFile) Keys {
	var k Keys
	copy(k.SealPrivate[:], kf.SealPrivate)
	pub, err := curvePublic(k.SealPrivate)
	if err != nil {
		panic(err)
	}
	k.SealPublic = pub
	k.Sign = ed25519.NewKeyFromSeed(kf.SignSeed)
	return k
}

func createKeys(path string) (Keys, error) {
	_, priv, err := box.GenerateKey(rand.Reader)
	if err != nil {
		return Keys{}, fmt.Errorf("city: make seal key: %w", err)
	}
	_, sign, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Keys{}, fmt.Errorf("city: make signing key: %w", err)
	}
	kf := keyFile{SealPrivate: priv[:], SignSeed: sign.Seed()}
	data, _ := json.MarshalIndent(kf, "", "  ")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Keys{}, fmt.Errorf("city: key dir: %w", err)
	}
	if err := atomicfile.WriteFile(path, data, 0o600); err != nil {
		return Keys{}, fmt.Errorf("city: write key file: %w", err)
	}
	return keysFrom(kf), nil
}

// Fingerprint is a short hex digest of the city's public keys, printed by
// cityd so staff can check a provisioning file.
func (k Keys) Fingerprint() string {
	h := sha256.New()
	h.Write(k.SealPublic[:])
	h.Write(k.Sign.Public().(ed25519.PublicKey))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func curvePublic(priv [32]byte) ([32]byte, error) {
	var pub [32]byte
	k, err := ecdh.X25519().NewPrivateKey(priv[:])
	if err != nil {
		return pub, err
	}
	copy(pub[:], k.PublicKey().Bytes())
	return pub, nil
}
