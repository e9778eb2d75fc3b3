package kiosk

// Values of Request fields that the domain interprets. They are stored and
// sent: never renumber, never rename.
const (
	RelationSelf = "self"

	DeliveryPickup = "pickup"
	DeliveryPost   = "post"

	SexMale   = "male"
	SexFemale = "female"

	// HanoiCode is Hà Nội's province code.
	HanoiCode = "01"
)
