package receipt

// Words is the printed receipt's catalogue: the paper carries Vietnamese
// and English side by side, so each entry is both. Render takes its
// labels from here; app takes the values it words for a receipt (the fee,
// the delivery, the test page).
var Words = struct {
	TestTitle, TestSubtitle     string
	Title, CodeLabel            string
	KeepCodeVI, KeepCodeEN      string
	Service, Copies, Fee        string
	Delivery, Expected, Created string
	// Notice is followed by the notice's version, in each language:
	// NoticeVI + v + NoticeMid + v.
	NoticeVI, NoticeMid string
	Purposes            string
	Sent, Saved         string

	// Values app writes on a receipt.
	FeeAtCounter, FeeFree, PostageOnDelivery string
	ByPost, PickUp                           string
	TestService, TestFee, TestLetters        string
}{
	TestTitle:    "TRANG IN THỬ",
	TestSubtitle: "Test page",
	Title:        "Phiếu hẹn / Receipt",
	CodeLabel:    "Mã hồ sơ / Request code",
	KeepCodeVI:   "Giữ mã này để tra cứu và nhận kết quả.",
	KeepCodeEN:   "Keep this code to look up and collect the result.",
	Service:      "Thủ tục / Service",
	Copies:       "Số bản sao / Copies",
	Fee:          "Phí / Fee",
	Delivery:     "Cách nhận / Delivery",
	Expected:     "Ngày hẹn trả (dự kiến) / Expected",
	Created:      "Thời gian nộp / Submitted",
	NoticeVI:     "Thông báo xử lý dữ liệu cá nhân, phiên bản ",
	NoticeMid:    " / Personal-data notice, version ",
	Purposes:     "Mục đích đã đồng ý / Purposes accepted:",
	Sent:         "Đã gửi lên thành phố. / Sent to the city.",
	Saved:        "Đã lưu trên máy này; sẽ tự động gửi lên thành phố. / Saved on this kiosk; it will be sent to the city automatically.",

	FeeAtCounter:      "Nộp tại quầy / Paid at the counter",
	FeeFree:           "Miễn phí / Free",
	PostageOnDelivery: "; bưu phí trả khi nhận / postage paid on delivery",
	ByPost:            "Gửi qua bưu điện / By post",
	PickUp:            "Nhận tại UBND xã/phường / Pick up at the commune",
	TestService:       "Trang in thử / Test page",
	TestFee:           "0 đồng",
	// Every Vietnamese letter, to see that the printer's font has them.
	TestLetters: "Tiếng Việt: ăâđêôơư ÀÁẢÃẠ ẦẤẨẪẬ ỀẾỂỄỆ ỒỐỔỖỘ ỜỚỞỠỢ ỪỨỬỮỰ ỲÝỶỸỴ",
}
