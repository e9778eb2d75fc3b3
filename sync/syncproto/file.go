package syncproto

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// File kinds of the USB files.
const (
	KindBundle  = "commune-kiosk-bundle"
	KindReceipt = "commune-kiosk-receipt"
)

// ErrFileSignature is returned when a USB file's signature does not verify.
var ErrFileSignature = errors.New("syncproto: file signature does not verify")

// signedFile is the outer envelope of a USB file:
//
//	{"kind": "...", "version": 1, "payload": {...}, "signature": "<base64>"}
//
// The signature is Ed25519 over kind + "\n" + the payload bytes exactly as
// they appear in the file. A file must not be reformatted.
type signedFile struct {
	Kind      string          `json:"kind"`
	Version   int             `json:"version"`
	Payload   json.RawMessage `json:"payload"`
	Signature string          `json:"signature"`
}

func fileMessage(kind string, payload []byte) []byte {
	msg := make([]byte, 0, len(kind)+1+len(payload))
	msg = append(msg, kind...)
	msg = append(msg, '\n')
	return append(msg, payload...)
}

func encodeFile(kind string, payload any, key ed25519.PrivateKey) ([]byte, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("syncproto: encode %s: bad private key size", kind)
	}
	p, err := json.MarshalIndent(payload, "", " ")
	if err != nil {
		return nil, fmt.Errorf("syncproto: encode %s: %w", kind, err)
	}
	sig := ed25519.Sign(key, fileMessage(kind, p))
	// Written by hand so the payload bytes stay exactly as signed
	// (encoding/json would re-indent a RawMessage).
	var out bytes.Buffer
	fmt.Fprintf(&out, "{\"kind\": %q, \"version\": %d, \"signature\": %q,\n\"payload\": ", kind, Version, base64.StdEncoding.EncodeToString(sig))
	out.Write(p)
	out.WriteString("}\n")
	return out.Bytes(), nil
}

// openFile checks the envelope and returns the payload bytes, verified
// when key is not nil.
func openFile(data []byte, kind string, key ed25519.PublicKey) ([]byte, error) {
	var f signedFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("syncproto: decode %s: not a %s file: %w", kind, kind, err)
	}
	if f.Kind != kind {
		return nil, fmt.Errorf("syncproto: decode %s: file kind %q", kind, f.Kind)
	}
	if f.Version != Version {
		return nil, fmt.Errorf("syncproto: decode %s: %w %d", kind, ErrVersion, f.Version)
	}
	if len(f.Payload) == 0 || f.Payload[0] != '{' {
		return nil, fmt.Errorf("syncproto: decode %s: missing payload", kind)
	}
	if key == nil {
		return f.Payload, nil
	}
	if len(key) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("syncproto: decode %s: bad public key size", kind)
	}
	sig, err := base64.StdEncoding.DecodeString(f.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize || !ed25519.Verify(key, fileMessage(kind, f.Payload), sig) {
		return nil, fmt.Errorf("syncproto: decode %s: %w", kind, ErrFileSignature)
	}
	return f.Payload, nil
}
