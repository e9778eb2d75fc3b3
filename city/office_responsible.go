package city

import "communekiosk/kiosk"

// ResponsibleOffice is the commune responsible for a request: its
// registering office when that is one of the city's communes, otherwise
// the commune of the kiosk that took it (an older unit's name written as
// text, or a unit outside the city). Back-office scopes filter on it.
func ResponsibleOffice(req kiosk.Request, kioskCommune string) string {
	if o := req.Register.Office; o != "" && kiosk.IsHanoiCommune(o) {
		return o
	}
	return kioskCommune
}

// describe fills what the back office indexes from the opened request.
// Office stays empty when the kiosk's commune is responsible: the store
// takes the kiosk's commune then.
func describe(it *IngestItem, req kiosk.Request) {
	it.Office = ResponsibleOffice(req, "")
	it.Delivery = req.Delivery.Method
	it.MaskedName = kiosk.MaskName(req.Requester.FullName)
}
