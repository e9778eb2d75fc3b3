package city

import "communekiosk/sync/syncproto"

// moves lists the allowed status changes, after the national one-stop
// model (docs/backoffice.md): received → accepted → processing ⇄
// needs_supplement → ready → sent_by_post / picked_up → done; not_accepted
// at intake, refused after examination, withdrawn while open. A posted
// result that comes back goes to ready again.
//
// Two older moves stay for the token API of --demo and the scripts that
// predate the back office: received → processing (accept and process in
// one step, with no due date) and rejected from an open status.
var moves = map[syncproto.Status][]syncproto.Status{
	syncproto.StatusReceived: {syncproto.StatusAccepted, syncproto.StatusNotAccepted, syncproto.StatusWithdrawn,
		syncproto.StatusProcessing, syncproto.StatusRejected},
	syncproto.StatusAccepted: {syncproto.StatusProcessing, syncproto.StatusNeedsSupplement, syncproto.StatusReady,
		syncproto.StatusRefused, syncproto.StatusWithdrawn},
	syncproto.StatusProcessing: {syncproto.StatusNeedsSupplement, syncproto.StatusReady, syncproto.StatusRefused,
		syncproto.StatusWithdrawn, syncproto.StatusRejected},
	syncproto.StatusNeedsSupplement: {syncproto.StatusProcessing, syncproto.StatusRefused, syncproto.StatusWithdrawn},
	syncproto.StatusReady:           {syncproto.StatusPosted, syncproto.StatusPickedUp, syncproto.StatusRejected},
	syncproto.StatusPosted:          {syncproto.StatusDone, syncproto.StatusReady},
	syncproto.StatusPickedUp:        {syncproto.StatusDone},
}

// CanMove reports whether a request may go from one status to another.
func CanMove(from, to syncproto.Status) bool {
	for _, s := range moves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Moves returns the statuses a request may go to from status.
func Moves(from syncproto.Status) []syncproto.Status {
	return append([]syncproto.Status(nil), moves[from]...)
}

// NeedsReason reports whether moving to status needs a written reason (the
// law's "nêu rõ lý do", or what the citizen must bring).
func NeedsReason(to syncproto.Status) bool {
	switch to {
	case syncproto.StatusNeedsSupplement, syncproto.StatusNotAccepted, syncproto.StatusRefused,
		syncproto.StatusWithdrawn, syncproto.StatusRejected:
		return true
	}
	return false
}

// NationalCode is the DVCQG dossier status code (TrangThaiHoSoId) of a
// status, for exports: 1 mới đăng ký, 2 được tiếp nhận, 3 không được tiếp
// nhận, 4 đang xử lý, 5 yêu cầu bổ sung, 7 rút hồ sơ, 9 đã xử lý xong,
// 10 đã trả kết quả. Refused after examination has no code of its own in
// that set; it is exported as 3, with its own status beside it.
func NationalCode(s syncproto.Status) int {
	switch s {
	case syncproto.StatusReceived:
		return 1
	case syncproto.StatusAccepted:
		return 2
	case syncproto.StatusNotAccepted, syncproto.StatusRefused, syncproto.StatusRejected:
		return 3
	case syncproto.StatusProcessing:
		return 4
	case syncproto.StatusNeedsSupplement:
		return 5
	case syncproto.StatusWithdrawn:
		return 7
	case syncproto.StatusReady:
		return 9
	case syncproto.StatusPosted, syncproto.StatusPickedUp, syncproto.StatusDone:
		return 10
	}
	return 0
}

// OpenStatuses are the statuses whose due date runs.
var OpenStatuses = []syncproto.Status{syncproto.StatusAccepted, syncproto.StatusProcessing, syncproto.StatusNeedsSupplement}

// AllStatuses lists every status, in the order of a dossier's life.
var AllStatuses = []syncproto.Status{
	syncproto.StatusReceived, syncproto.StatusAccepted, syncproto.StatusProcessing, syncproto.StatusNeedsSupplement,
	syncproto.StatusReady, syncproto.StatusPosted, syncproto.StatusPickedUp, syncproto.StatusDone,
	syncproto.StatusNotAccepted, syncproto.StatusRefused, syncproto.StatusWithdrawn, syncproto.StatusRejected,
}
