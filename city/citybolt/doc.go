// Package citybolt is the embedded bbolt implementation of city.Store,
// the default store of cityd. Imported by cmd/cityd.
package citybolt
