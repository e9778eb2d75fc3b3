// Package kiosk is the domain of the kiosk: the service catalogue, the
// request, validation, fees and receipt codes. It imports only the standard
// library (and golang.org/x/text for Unicode normalisation); anything may
// import it.
//
// It is shared by both programs: the kiosk takes, prices and codes requests
// with it, and the city validates what kiosks send, checks the catalogues
// it publishes and names communes with the same code (docs/architecture.md).
//
// Entry points:
//
//   - DefaultCatalogue, ParseCatalogue: the embedded catalogue (services,
//     their steps and fields, fee rules, waivers, postage, option lists) and
//     the strict parser for versions the city sends; CompareVersions.
//   - NormalizeRequest, Validate, ValidateStep, ValidateWith: a request as
//     stored, and its problems in Vietnamese and English.
//   - Quote: the fee lines, waiver and postage of a request on a date.
//   - NewReceiptCode, ParseReceiptCode, FormatReceiptCode: the code on the
//     receipt; ExpectedDate: the day printed on it; MaskName: the name kept
//     in the plaintext index.
//   - Provinces, Communes, UnitByCode: the administrative units of the
//     two-level government, from embedded data (units_NOTICE.md).
//
// Dates are calendar days in Asia/Ho_Chi_Minh (VietnamZone). Nothing here
// does I/O, keeps global mutable state or reads a clock: callers pass now.
// docs/catalogue.md describes the data and its sources.
package kiosk
