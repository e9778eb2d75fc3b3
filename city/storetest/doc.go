// Package storetest is the conformance suite every city.Store passes.
// Imported only by the stores' tests.
package storetest
