// Package kiosk is the domain of the kiosk: the service catalogue, the
// request, validation, fees and receipt codes. It imports only the standard
// library (and golang.org/x/text for Unicode normalisation); anything may
// import it.
package kiosk
