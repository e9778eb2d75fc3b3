package app

import (
	"context"
	"errors"
	"time"

	"communekiosk/kiosk"
	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

// cityLookupTimeout bounds the call: a citizen is waiting at the screen.
const cityLookupTimeout = 15 * time.Second

// atCity looks up, at the city, a request that was not made on this kiosk
// (docs/protocol.md §7, lookup). The city needs the last 4 digits of the
// requester's ID number too and answers only status and dates; a code
// that is unknown and a code with other digits get the same answer. Not
// reaching the city is said in plain words, not as an error.
func (l *Lookup) atCity(code, idLast4 string) (StatusView, error) {
	n := l.n
	v := StatusView{Found: false, Code: code, Source: "city"}
	if _, err := n.db.Identity(); errors.Is(err, kioskdb.ErrNotEnrolled) {
		v.Source, v.StatusText = "", kiosk.Text{
			VI: "Không tìm thấy hồ sơ có mã này trên máy này, và máy chưa kết nối với thành phố nên chưa tra được hồ sơ làm ở nơi khác. Vui lòng hỏi cán bộ.",
			EN: "No request with this code was made on this kiosk, and this kiosk is not connected to the city yet, so it cannot look up requests made elsewhere. Please ask a staff member.",
		}
		return v, nil
	} else if err != nil {
		return StatusView{}, err
	}
	if !isLast4(idLast4) {
		v.NeedIDLast4 = true
		v.StatusText = kiosk.Text{
			VI: "Hồ sơ này không làm trên máy này. Để tra cứu ở thành phố, hãy nhập 4 số cuối số định danh cá nhân của người làm hồ sơ.",
			EN: "This request was not made on this kiosk. To look it up at the city, enter the last 4 digits of the personal ID number of the person who made it.",
		}
		return v, nil
	}
	ctx, cancel := context.WithTimeout(n.ctx, cityLookupTimeout)
	defer cancel()
	resp, err := n.sync.client.Lookup(ctx, code, idLast4)
	var retry *syncproto.RetryAfterError
	switch {
	case errors.As(err, &retry):
		v.StatusText = kiosk.Text{
			VI: "Đã thử quá nhiều lần với mã này. Vui lòng chờ một phút rồi thử lại, hoặc hỏi cán bộ.",
			EN: "Too many tries with this code. Please wait a minute and try again, or ask a staff member.",
		}
		return v, nil
	case syncproto.IsTransient(err):
		n.log.Info("Lookup at the city: city not reachable", "err", err)
		v.Offline = true
		v.StatusText = kiosk.Text{
			VI: "Hồ sơ này không làm trên máy này, và lúc này máy không kết nối được với thành phố nên chưa tra được hồ sơ làm ở nơi khác. Vui lòng thử lại sau hoặc hỏi cán bộ.",
			EN: "This request was not made on this kiosk, and right now the kiosk cannot reach the city, so it cannot look up requests made elsewhere. Please try again later or ask a staff member.",
		}
		return v, nil
	case err != nil:
		n.log.Warn("Lookup at the city refused", "err", err)
		v.StatusText = kiosk.Text{
			VI: "Máy không tra cứu được ở thành phố lúc này. Vui lòng hỏi cán bộ.",
			EN: "This kiosk cannot look requests up at the city right now. Please ask a staff member.",
		}
		return v, nil
	case !resp.Found:
		v.StatusText = kiosk.Text{
			VI: "Thành phố không có hồ sơ nào với mã này và 4 số này. Vui lòng kiểm tra lại mã trên phiếu hẹn và 4 số cuối số định danh.",
			EN: "The city has no request with this code and these 4 digits. Please check the code on your receipt and the last 4 digits of the ID number.",
		}
		return v, nil
	}
	v = StatusView{Found: true, Source: "city", Code: resp.Code, State: "sent", Status: resp.Status,
		StatusChangedAt: resp.StatusChangedAt, ReceivedAt: resp.ReceivedAt}
	if svc, ok := n.catalogue().Service(resp.Service); ok {
		v.ServiceName = svc.Name
	}
	v.StatusText = statusText(kioskdb.Record{Status: resp.Status, State: kioskdb.StateSent})
	return v, nil
}
