package kiosk

// messages are the texts of validation problems: the field's label is the
// first %s of each template, further verbs take the rule's arguments.
var messages = map[string]Text{
	"required": {
		"%s: chưa điền. Vui lòng điền thông tin này.",
		"%s: missing. Please fill it in."},
	"name_length": {
		"%s: cần từ 1 đến 100 ký tự.",
		"%s: must be 1 to 100 characters long."},
	"name_chars": {
		"%s: chỉ dùng chữ cái (có dấu), dấu cách, dấu nháy (') hoặc gạch nối (-); không dùng chữ số hay ký hiệu.",
		"%s: use only letters (with their accents), spaces, apostrophes (') or hyphens (-); no digits or symbols."},
	"id_format": {
		"%s: phải gồm đúng 12 chữ số, như trên thẻ căn cước.",
		"%s: must be exactly 12 digits, as on the ID card."},
	"id_century": {
		"%s: chữ số thứ tư không khớp với năm sinh. Kiểm tra lại số định danh và ngày sinh.",
		"%s: the fourth digit does not match the year of birth. Check the number and the date of birth."},
	"id_year": {
		"%s: chữ số thứ năm và thứ sáu không khớp với năm sinh. Kiểm tra lại số định danh và ngày sinh.",
		"%s: the fifth and sixth digits do not match the year of birth. Check the number and the date of birth."},
	"id_sex": {
		"%s: chữ số thứ tư không khớp với giới tính. Kiểm tra lại số định danh và giới tính.",
		"%s: the fourth digit does not match the sex. Check the number and the sex."},
	"id_province": {
		"%s: ba chữ số đầu không khớp với mã tỉnh nào đã biết. Kiểm tra lại; nếu đúng như trên thẻ, bạn có thể tiếp tục.",
		"%s: the first three digits are not a known province code. Check it; if it is as on the card, you may go on."},
	"phone_format": {
		"%s: không phải số điện thoại Việt Nam. Nhập 10 chữ số, ví dụ 0912 345 678.",
		"%s: not a Vietnamese phone number. Enter 10 digits, for example 0912 345 678."},
	"phone_prefix": {
		"%s: đầu số ít gặp. Kiểm tra lại; nếu đúng, bạn có thể tiếp tục.",
		"%s: unusual prefix. Check it; if it is right, you may go on."},
	"date_format": {
		"%s: ngày không hợp lệ. Chọn một ngày, tháng, năm có thật.",
		"%s: not a valid date. Choose a real day, month and year."},
	"date_future": {
		"%s: không thể là một ngày trong tương lai. Kiểm tra lại ngày, tháng, năm.",
		"%s: cannot be in the future. Check the day, month and year."},
	"date_too_old": {
		"%s: năm phải từ 1900 trở đi. Kiểm tra lại năm.",
		"%s: the year must be 1900 or later. Check the year."},
	"date_before_birth": {
		"%s: không thể trước ngày sinh (%s). Kiểm tra lại hai ngày này.",
		"%s: cannot be before the date of birth (%s). Check both dates."},
	"copies_range": {
		"%s: chọn từ 1 đến 10 bản.",
		"%s: choose from 1 to 10 copies."},
	"number_format": {
		"%s: chỉ nhập chữ số.",
		"%s: enter digits only."},
	"option_unknown": {
		"%s: chọn một mục trong danh sách.",
		"%s: choose one item from the list."},
	"checkbox_value": {
		"%s: giá trị không hợp lệ. Đánh dấu hoặc bỏ đánh dấu ô này.",
		"%s: invalid value. Tick or untick the box."},
	"authorisation_required": {
		"%s: bắt buộc vì bạn không phải người có tên trong giấy tờ hoặc ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột. Ghi số, ngày và người ký văn bản ủy quyền.",
		"%s: required because you are neither the person on the record nor their grandparent, parent, child, spouse or sibling. Give the number, date and signer of the authorisation."},
	"address_required": {
		"%s: cần địa chỉ để gửi qua bưu chính. Chọn tỉnh/thành phố, xã/phường và ghi số nhà, đường.",
		"%s: needed for delivery by post. Choose the province and the commune or ward, and give the house number and street."},
	"address_province": {
		"%s: chọn tỉnh/thành phố trong danh sách.",
		"%s: choose the province or city from the list."},
	"address_commune": {
		"%s: chọn xã/phường thuộc tỉnh/thành phố đã chọn.",
		"%s: choose a commune or ward of the chosen province."},
	"address_street": {
		"%s: ghi số nhà, tên đường, hoặc thôn, tổ dân phố.",
		"%s: give the house number and street, or the hamlet."},
	"office_unknown": {
		"%s: chọn một xã/phường của Hà Nội trong danh sách, hoặc gõ tên cơ quan đã đăng ký.",
		"%s: choose a Hanoi commune or ward from the list, or type the name of the registering office."},
	"text_length": {
		"%s: quá dài, tối đa %d ký tự.",
		"%s: too long, at most %d characters."},
	"text_chars": {
		"%s: có ký tự không hợp lệ. Xóa ký tự đó và nhập lại.",
		"%s: contains a character that is not allowed. Delete it and type again."},
	"consent_missing": {
		"%s: hãy đọc thông báo và đánh dấu đồng ý để gửi yêu cầu.",
		"%s: please read the notice and tick your consent to send the request."},
	"consent_notice_version": {
		"%s: thông báo đã được cập nhật. Vui lòng đọc lại và đồng ý.",
		"%s: the notice has been updated. Please read it again and consent."},
	"consent_purpose": {
		"%s: cần đồng ý với mục đích “%s” để gửi yêu cầu.",
		"%s: you need to accept “%s” to send the request."},
	"consent_purpose_unknown": {
		"%s: có mục đích không có trong thông báo. Vui lòng đọc lại và đồng ý.",
		"%s: a purpose is not in the notice. Please read it again and consent."},
	"service_unknown": {
		"%s: không có trong danh mục. Quay lại và chọn dịch vụ.",
		"%s: not in the catalogue. Go back and choose a service."},
	"service_counter": {
		"%s: chưa làm được trên máy này. Mời mang giấy tờ đến quầy tiếp nhận của xã/phường.",
		"%s: not yet available at this kiosk. Please bring your documents to the commune counter."},
	"event_mismatch": {
		"%s: không khớp với dịch vụ đã chọn. Quay lại và chọn đúng dịch vụ.",
		"%s: does not match the chosen service. Go back and choose the right service."},
	"self_mismatch": {
		"%s: khác với thông tin của người yêu cầu, trong khi bạn chọn “Chính tôi”. Kiểm tra lại; nếu đúng, bạn có thể tiếp tục.",
		"%s: differs from the requester's, but you chose “Myself”. Check it; if it is right, you may go on."},
	"field_unknown": {
		"%s: không thuộc dịch vụ đã chọn. Quay lại và xóa thông tin này.",
		"%s: not part of the chosen service. Go back and clear it."},
	"step_unknown": {
		"%s: bước này không có trong dịch vụ đã chọn.",
		"%s: this step is not part of the chosen service."},
}

// Labels of things that are not catalogue fields.
var (
	labelService = Text{"Dịch vụ", "Service"}
	labelConsent = Text{"Đồng ý xử lý dữ liệu cá nhân", "Consent to personal-data processing"}
	labelEvent   = Text{"Loại sự kiện hộ tịch", "Civil-status event"}
	labelStep    = Text{"Bước", "Step"}
	// labelUnlisted names data the service's form does not ask for; the
	// key itself is not shown, since it comes from the request.
	labelUnlisted = Text{"Thông tin không thuộc biểu mẫu", "Information not in the form"}

	labelRequesterBirth = Text{"Ngày sinh của người yêu cầu (từ thẻ căn cước)", "Requester's date of birth (from the ID card)"}
	labelRequesterSex   = Text{"Giới tính của người yêu cầu (từ thẻ căn cước)", "Requester's sex (from the ID card)"}
)

// problem makes the Problem of rule code on a field.
func problem(field, code, severity string, label Text, args ...any) Problem {
	m, ok := messages[code]
	if !ok {
		panic("kiosk: no message for problem " + code)
	}
	return problemf(field, code, severity, label, m.VI, m.EN, args...)
}

// feeWords are the words of a quote's lines (quote.go).
var feeWords = struct {
	fee, waived, postage, atCounterLine, noRule, atCounter Text
	// perCopy: copies, the amount per copy (and in English the word
	// copy/copies before it).
	perCopy Text
	// currency follows the amount: "8.000 đồng", "8,000 VND".
	currency Text
}{
	fee:           Text{"Lệ phí", "Fee"},
	waived:        Text{"Được miễn phí", "Fee waived"},
	postage:       Text{"Cước bưu chính", "Postage"},
	atCounterLine: Text{"Phí, lệ phí: nộp tại quầy", "Fees: paid at the counter"},
	noRule:        Text{"Chưa có mức phí áp dụng cho ngày này; cán bộ tiếp nhận sẽ thông báo.", "No fee rule applies on this date; the counter clerk will tell you."},
	atCounter:     Text{"Nộp tại quầy", "Paid at the counter"},
	perCopy:       Text{"Phí cấp bản sao (%d bản × %s)", "Copy fee (%d %s × %s)"},
	currency:      Text{" đồng", " VND"},
}
