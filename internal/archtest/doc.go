// Package archtest enforces the import rules of DESIGN.md in a test.
package archtest
