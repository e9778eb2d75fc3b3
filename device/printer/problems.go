package printer

import (
	"errors"
	"io/fs"
	"syscall"
)

// problemOf says what went wrong in words staff can act on. The usblp
// driver answers a write with ENOSPC when the paper is out and EIO when the
// printer is offline.
func problemOf(target string, err error) *Problem {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &Problem{State: StateOffline, err: err,
			VI: "Không thấy máy in (" + target + "). Kiểm tra máy in đã bật và cáp USB đã cắm.",
			EN: "The printer (" + target + ") is not there. Check it is switched on and its USB cable is plugged in."}
	case errors.Is(err, fs.ErrPermission):
		return &Problem{State: StateError, err: err,
			VI: "Máy kiosk không có quyền dùng máy in (" + target + "). Báo cán bộ kỹ thuật.",
			EN: "The kiosk may not use the printer (" + target + "). Tell the IT staff."}
	case errors.Is(err, syscall.ENOSPC), err == errState(StateNoPaper):
		return &Problem{State: StateNoPaper, err: err,
			VI: "Máy in hết giấy. Lắp cuộn giấy mới rồi in lại.",
			EN: "The printer is out of paper. Load a new roll, then print again."}
	case errors.Is(err, syscall.EIO), err == errState(StateOffline):
		return &Problem{State: StateOffline, err: err,
			VI: "Máy in đang ngoại tuyến (nắp mở hoặc chưa bật). Đóng nắp, bật máy rồi in lại.",
			EN: "The printer is offline (cover open or switched off). Close the cover, switch it on, then print again."}
	default:
		return &Problem{State: StateError, err: err,
			VI: "Gửi tới máy in bị lỗi. Kiểm tra giấy, nắp máy và cáp rồi in lại.",
			EN: "Sending to the printer failed. Check the paper, the cover and the cable, then print again."}
	}
}
