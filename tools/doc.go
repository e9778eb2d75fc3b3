// Package tools pins the build tools of Commune Kiosk in their own module,
// so their dependencies stay out of the product's go.mod.
package tools
